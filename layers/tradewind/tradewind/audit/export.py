"""The daily export of the audit trail to S3: ``audit/<org>/<YYYY-MM-DD>.jsonl`` in the artifacts bucket.

Run once a day for the previous UTC day (``functions/audit_export``, docs/audit.md). It reads that
day's records of every organisation from ``gsi1`` (``AUDITDAY#<day>``, sorted by organisation, then
time) and writes one JSON-lines object per organisation as soon as the next one starts, so memory
holds one organisation's day. A record's id is its write time, so once the day is over nothing new
joins it: a rerun (a retry, a backfill with ``{"day": ...}``) writes the same objects again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from tradewind import aws
from tradewind.audit.trail import Entry, day_entries, json_line
from tradewind.settings import get_settings

PREFIX = "audit"


def object_key(org_id: str, day: date) -> str:
    return f"{PREFIX}/{org_id}/{day.isoformat()}.jsonl"


def yesterday(now: datetime | None = None) -> date:
    return ((now or datetime.now(UTC)) - timedelta(days=1)).date()


def _write(org_id: str, day: date, lines: list[str]) -> None:
    aws.client("s3").put_object(
        Bucket=get_settings().artifacts_bucket,
        Key=object_key(org_id, day),
        Body=("\n".join(lines) + "\n").encode(),
        ContentType="application/x-ndjson",
    )


def export_entries(day: date, entries: Iterable[Entry]) -> dict[str, int]:
    """Write ``entries`` (grouped by organisation) as the day's objects; records per organisation."""
    counts: dict[str, int] = {}
    org: str | None = None
    lines: list[str] = []
    for entry in entries:
        if entry.org_id != org:
            if org is not None:
                _write(org, day, lines)
            org, lines = entry.org_id, []
        lines.append(json_line(entry))
        counts[entry.org_id] = counts.get(entry.org_id, 0) + 1
    if org is not None:
        _write(org, day, lines)
    return counts


def export_day(day: date) -> dict[str, int]:
    """Export every organisation's records of ``day``; how many each had."""
    return export_entries(day, day_entries(day.isoformat()))
