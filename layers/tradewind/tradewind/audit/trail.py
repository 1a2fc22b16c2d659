"""Writing and reading the audit trail: one conditional ``PutItem`` per call, filtered range queries.

Records are immutable: :func:`record` puts with ``attribute_not_exists(pk)`` and nothing updates or
deletes them (TTL removes them after ``settings.audit_retention_days``). Reads are always inside the
caller's organisation partition and a time range of its sort key; ``actor``, ``action`` and
``target`` narrow that range with a filter (docs/audit.md explains why no index per filter).
pynamodb loads on first use (:func:`_records`), keeping it out of the API Lambda's cold import.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tradewind.settings import get_settings

if TYPE_CHECKING:
    from tradewind.data.audit import AuditRecord

FIELDS = (
    "audit_id",
    "created_at",
    "org_id",
    "actor",
    "action",
    "target_id",
    "outcome",
    "status",
    "method",
    "path",
    "route",
    "request_id",
    "source_ip",
    "user_agent",
    "details",
)
"""Columns of the CSV export and keys of the JSON-lines export, in order."""

SCANNED_PAGE = 200
"""Items one query page reads at most: a filtered page's evaluated items (DynamoDB filters after
reading), and the export's pages (small pages keep each call short; moto's are quadratic in size)."""


@dataclass(frozen=True)
class Entry:
    """One audited call, as stored and as listed."""

    audit_id: str
    created_at: datetime
    org_id: str
    actor: str
    action: str
    target_id: str | None
    outcome: str  # "success" (status < 400) or "failure"
    status: int
    method: str
    path: str
    route: str
    request_id: str | None
    source_ip: str | None
    user_agent: str | None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Filters:
    """What ``GET /audit`` narrows by; ``since``/``until`` bound the time range (inclusive)."""

    actor: str | None = None
    action: str | None = None
    target: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _records() -> type[AuditRecord]:
    from tradewind.data.audit import AuditRecord

    return AuditRecord


def new_id(at: datetime) -> str:
    """Time-sortable: 12 hex digits of epoch milliseconds, then 40 random bits."""
    return f"{int(at.timestamp() * 1000):012x}{secrets.token_hex(5)}"


def outcome_of(status: int) -> str:
    return "success" if status < 400 else "failure"


def new_entry(**values: Any) -> Entry:
    """An entry made now, with its id, time and outcome filled in."""
    now = datetime.now(UTC)
    return Entry(audit_id=new_id(now), created_at=now, outcome=outcome_of(values["status"]), **values)


def record(entry: Entry) -> None:
    """Save ``entry`` once; a second save of the same id fails (append-only)."""
    records = _records()
    retention = timedelta(days=get_settings().audit_retention_days)
    gsi1pk, gsi1sk = records.day_key(entry.created_at.date().isoformat(), entry.org_id, entry.audit_id)
    values = asdict(entry)
    values["details"] = values["details"] or None
    item = records(
        *records.key(entry.org_id, entry.audit_id),
        gsi1pk=gsi1pk,
        gsi1sk=gsi1sk,
        expires_at=entry.created_at + retention,
        **values,
    )
    item.save(condition=records.pk.does_not_exist())


def _view(row: AuditRecord) -> Entry:
    return Entry(
        audit_id=row.audit_id,
        created_at=row.created_at,
        org_id=row.org_id,
        actor=row.actor,
        action=row.action,
        target_id=row.target_id,
        outcome=row.outcome,
        status=int(row.status),
        method=row.method,
        path=row.path,
        route=row.route,
        request_id=row.request_id,
        source_ip=row.source_ip,
        user_agent=row.user_agent,
        details=dict(row.details or {}),
    )


def _bound(at: datetime) -> str:
    return f"{int(at.timestamp() * 1000):012x}"


def _rows(
    org_id: str, filters: Filters, limit: int | None, start: dict[str, Any] | None
) -> Any:  # pynamodb's ResultIterator[AuditRecord]
    records = _records()
    pk, prefix = records.key(org_id)
    low = prefix + (_bound(filters.since) if filters.since else "")
    high = prefix + (_bound(filters.until) + "g" if filters.until else "g")  # "g" sorts after hex
    condition = None
    for attribute, value in (
        (records.actor, filters.actor),
        (records.action, filters.action),
        (records.target_id, filters.target),
    ):
        if value is not None:
            clause = attribute == value
            condition = clause if condition is None else condition & clause
    return records.query(
        pk,
        records.sk.between(low, high),
        filter_condition=condition,
        scan_index_forward=False,
        limit=limit,
        page_size=min(limit or SCANNED_PAGE, SCANNED_PAGE) if condition is None else SCANNED_PAGE,
        last_evaluated_key=start,
    )


def page(
    org_id: str, filters: Filters, limit: int, start: dict[str, Any] | None
) -> tuple[list[Entry], dict[str, Any] | None]:
    """One page, newest first, and the key to continue from."""
    rows = _rows(org_id, filters, limit, start)
    items = [_view(r) for r in rows]
    return items, rows.last_evaluated_key


def entries(org_id: str, filters: Filters, cap: int) -> Iterator[Entry]:
    """Every matching entry, newest first, at most ``cap`` (the CSV export streams these)."""
    for row in _rows(org_id, filters, cap, None):
        yield _view(row)


def _cells(entry: Entry) -> list[str]:
    values = asdict(entry)
    values["created_at"] = entry.created_at.isoformat()
    values["details"] = _json(entry.details) if entry.details else ""
    return ["" if values[name] is None else str(values[name]) for name in FIELDS]


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def csv_lines(rows: Iterator[Entry]) -> Iterator[str]:
    """The CSV export: a header, then one line per entry (RFC 4180 quoting)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for entry in rows:
        writer.writerow(_cells(entry))
        if buffer.tell() > 16_384:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_line(entry: Entry) -> str:
    """One entry as a JSON-lines line (the S3 export)."""
    values = asdict(entry)
    values["created_at"] = entry.created_at.isoformat()
    return json.dumps({name: values[name] for name in FIELDS}, separators=(",", ":"), default=str)


def day_entries(day: str) -> Iterator[Entry]:
    """Every organisation's entries of one UTC day (``YYYY-MM-DD``), grouped by organisation, oldest
    first within each (``gsi1``)."""
    records = _records()
    pk, _ = records.day_key(day, "", "")
    for row in records.gsi1.query(pk):
        yield _view(row)
