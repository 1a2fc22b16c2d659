"""Audit routes (admin): the organisation's audit trail, filtered and paged, and its CSV export."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime, BaseModel
from starlette.responses import StreamingResponse

from tradewind.api.auth import CurrentPrincipal
from tradewind.api.pagination import Limit, NextToken, Page, decode_token, encode_token
from tradewind.data.keys import tenant_pk
from tradewind.errors import FieldProblem, InvalidInput

if TYPE_CHECKING:
    from tradewind.audit.trail import Entry, Filters

router = APIRouter(prefix="/audit", tags=["audit"])

MAX_EXPORT_ROWS = 100_000
"""The CSV export stops here (API Gateway answers at most 10 MB): narrow the dates for more."""

ActorFilter = Annotated[
    str | None,
    Query(
        pattern=r"^(user|key):[A-Za-z0-9._@+-]{1,128}$",
        description="only calls by this actor (`user:<sub>` or `key:<key id>`)",
    ),
]
ActionFilter = Annotated[
    str | None,
    Query(pattern=r"^[a-z0-9_.-]{1,100}$", description="only this action (`strategies.update`)"),
]
TargetFilter = Annotated[
    str | None, Query(pattern=r"^[A-Za-z0-9._:@-]{1,128}$", description="only calls on this target id")
]
SinceFilter = Annotated[
    AwareDatetime | None, Query(description="calls at or after this time (ISO 8601 with an offset)")
]
UntilFilter = Annotated[
    AwareDatetime | None, Query(description="calls at or before this time (ISO 8601 with an offset)")
]


class AuditEntry(BaseModel):
    """One audited call."""

    audit_id: str
    created_at: datetime
    actor: str
    action: str
    target_id: str | None
    outcome: str
    status: int
    method: str
    path: str
    route: str
    request_id: str | None
    source_ip: str | None
    user_agent: str | None
    details: dict[str, Any]


def audit_filters(
    actor: ActorFilter = None,
    action: ActionFilter = None,
    target: TargetFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
) -> Filters:
    """The list's and the export's filters (one dependency for both)."""
    from tradewind.audit.trail import Filters

    if since is not None and until is not None and since > until:
        problem = FieldProblem(["query", "until"], "must not be before since", "value_error")
        raise InvalidInput("invalid request: until is before since", [problem])
    return Filters(actor=actor, action=action, target=target, since=since, until=until)


AuditFilters = Annotated["Filters", Depends(audit_filters)]


def _out(entry: Entry) -> AuditEntry:
    return AuditEntry(
        audit_id=entry.audit_id,
        created_at=entry.created_at,
        actor=entry.actor,
        action=entry.action,
        target_id=entry.target_id,
        outcome=entry.outcome,
        status=entry.status,
        method=entry.method,
        path=entry.path,
        route=entry.route,
        request_id=entry.request_id,
        source_ip=entry.source_ip,
        user_agent=entry.user_agent,
        details=entry.details,
    )


@router.get("", summary="The organisation's audit trail, newest first")
def list_audit(
    principal: CurrentPrincipal, filters: AuditFilters, limit: Limit = 50, next_token: NextToken = None
) -> Page[AuditEntry]:
    from tradewind.audit import trail

    start = decode_token(next_token, partition=tenant_pk(principal.org_id), sort_prefix="AUDIT#")
    items, last = trail.page(principal.org_id, filters, limit, start)
    return Page(items=[_out(e) for e in items], next_token=encode_token(last))


@router.get(
    "/export",
    summary="The audit trail as CSV (same filters, newest first)",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": f"CSV, a header then one row per call (at most {MAX_EXPORT_ROWS:,})",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
def export_audit(principal: CurrentPrincipal, filters: AuditFilters) -> StreamingResponse:
    from tradewind.audit import trail

    rows = trail.entries(principal.org_id, filters, MAX_EXPORT_ROWS)
    return StreamingResponse(
        trail.csv_lines(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )
