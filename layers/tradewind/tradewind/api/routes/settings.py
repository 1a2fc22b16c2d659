"""Organisation settings routes: read (viewer) and replace (admin, with ``If-Match``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Header, Request, Response

from tradewind.api.auth import CurrentPrincipal
from tradewind.api.errors import PROBLEM_JSON
from tradewind.orgsettings.model import OrgSettingsBody

if TYPE_CHECKING:
    from tradewind.orgsettings.store import OrgSettings

router = APIRouter(prefix="/settings", tags=["settings"])


class OrgSettingsOut(OrgSettingsBody):
    """The settings, their version (also the ``ETag``; 0 until first saved) and who saved them last."""

    version: int
    updated_at: datetime | None = None
    updated_by: str | None = None


def _out(found: OrgSettings, response: Response) -> OrgSettingsOut:
    response.headers["ETag"] = found.etag
    return OrgSettingsOut(
        **found.body.model_dump(),
        version=found.version,
        updated_at=found.updated_at,
        updated_by=found.updated_by,
    )


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {}}}


@router.get("", summary="The organisation's settings (ETag: their version)")
def get_settings(principal: CurrentPrincipal, response: Response) -> OrgSettingsOut:
    from tradewind.orgsettings.store import get_settings

    return _out(get_settings(principal.org_id), response)


@router.put(
    "",
    summary="Replace the organisation's settings (If-Match: the ETag you read)",
    responses={
        412: _problem("The settings changed since the ETag you sent: read them again"),
        428: _problem("If-Match is required"),
    },
)
def put_settings(
    principal: CurrentPrincipal,
    body: OrgSettingsBody,
    request: Request,
    response: Response,
    if_match: Annotated[
        str | None, Header(description='the `ETag` of the settings you edited (`"0"` before any save)')
    ] = None,
) -> OrgSettingsOut:
    from tradewind.orgsettings import store

    expected = store.parse_if_match(if_match)
    saved, changed = store.save_settings(principal.org_id, body, expected, principal.actor, datetime.now(UTC))
    request.state.audit_details = {"changed": changed, "version": saved.version}
    return _out(saved, response)
