"""Telling the tenant how a run ended: a notification (the WebSocket messages go through
:func:`tradewind.jobs.events.announce`, on the run's ``job:{id}`` topic like any job's)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord

logger = logging.getLogger(__name__)


def label(record: JobRecord) -> str:
    name = record.name or record.strategy_name
    return f"Pipeline run '{name}'" if name else f"Pipeline run {record.job_id}"


def link(record: JobRecord) -> str:
    return f"/pipeline/runs/{record.job_id}"


def _notify(record: JobRecord, kind: str, title: str, body: str) -> None:
    from tradewind.services.notifications import notify

    try:
        notify(record.tenant_id, kind, title, body, link(record))
    except Exception:  # the outcome is saved already; a notification is best effort
        logger.exception("could not notify the outcome of run %s", record.job_id)


def notify_finished(record: JobRecord) -> None:
    from tradewind.services.notifications import JOB_COMPLETED

    summary = record.summary or {}
    found = f"{summary.get('signals', 0)} signals over {summary.get('symbols', 0)} symbols"
    if record.status == "stopped":
        done = (
            f"{int(record.shards_done or 0) - int(record.batches_skipped or 0)} of {int(record.shards_total)}"
        )
        _notify(record, JOB_COMPLETED, f"{label(record)} stopped", f"Stopped after {done} batches: {found}.")
    else:
        _notify(record, JOB_COMPLETED, f"{label(record)} finished", f"Found {found}.")


def notify_failed(record: JobRecord) -> None:
    from tradewind.services.notifications import JOB_FAILED

    _notify(record, JOB_FAILED, f"{label(record)} failed", record.error or "It failed.")
