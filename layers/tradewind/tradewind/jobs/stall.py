"""Stalled jobs (issue #13, docs/jobs.md#stalled-jobs): a running job that stopped making progress.

A job is **stalled** when it is ``running`` and nothing moved it for longer than its threshold::

    threshold = max(stall_factor x expected seconds between two signs of progress, stall_floor_seconds)

where the expected gap comes from the kind's estimate (:func:`expected_gap_seconds`): one shard of
an optimization or backtest (``jobs.estimate.shard_seconds`` on the dataset's bars per symbol, full
metrics: the slower case), one pipeline batch (its symbols at the measured cost per symbol), and for
a command or an import the whole run (it reports no progress until it ends: the runner's or the
import worker's timeout). ``stall_factor`` (``TW_STALL_FACTOR``, 10) and ``stall_floor_seconds``
(``TW_STALL_FLOOR_SECONDS``, 900) are settings. A sign of progress is any write that moves
``updated_at`` (a counted shard or batch, a start, a resume).

It is a **timeline event, not a status**: :func:`check_all` (the janitor, every 10 minutes) appends
``{"status": "stalled"}`` and notifies the tenant once, by a write conditioned on the timeline and
``updated_at`` being what it read, so two checks never flag (or notify) the same stall twice. When the
job moves again it is no longer stalled at once (:func:`stalled_since` compares the times), and the
next check appends ``{"status": "progressing"}``; a later stall is flagged and notified again. The job
may still finish normally. Workflow runs are not checked: each of their steps is a job that is.

No pynamodb or boto3 at import time (the API's job view reads :func:`stalled_since`).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord

logger = logging.getLogger(__name__)

STALLED = "stalled"
PROGRESSING = "progressing"
CHECKED_KINDS = ("backtest", "optimization", "pipeline", "command", "import")
PIPELINE_SYMBOL_SECONDS = 0.05
"""A pipeline batch's cost per symbol: 3.8-5.3 ms measured (docs/pipeline.md), x10 for reading bars."""
WHOLE_RUN_SECONDS = {"command": 600.0, "import": 300.0}
"""Kinds without progress until they end: their Lambda's timeout (command runner, import worker)."""


def _parse(at: str) -> datetime:
    return datetime.fromisoformat(at.replace("Z", "+00:00"))


def stall_entry(record: JobRecord) -> dict[str, Any] | None:
    """The timeline's last ``stalled`` entry when no ``progressing`` entry followed it."""
    for step in reversed(record.timeline or []):
        if step.get("status") == PROGRESSING:
            return None
        if step.get("status") == STALLED:
            return dict(step)
    return None


def last_progress(record: JobRecord) -> datetime:
    """When something last moved the job: ``updated_at`` (every write that starts, counts or resumes
    it sets it; a stall flag does not touch it)."""
    return record.updated_at


def stalled_since(record: JobRecord) -> str | None:
    """The ISO time the running job was flagged stalled, or ``None`` (not running, never flagged,
    or moved since: cleared before the next check writes it in the timeline)."""
    if record.status != "running":
        return None
    step = stall_entry(record)
    if step is None or last_progress(record) > _parse(step["at"]):
        return None
    return str(step["at"])


def expected_gap_seconds(record: JobRecord, bars_per_symbol: float | None) -> float:
    """The kind's estimated time between two signs of progress (see the module docstring)."""
    if record.kind in WHOLE_RUN_SECONDS:
        return WHOLE_RUN_SECONDS[record.kind]
    shards = max(int(record.shards_total or 0), 1)
    if record.kind == "pipeline":
        return PIPELINE_SYMBOL_SECONDS * int(record.combos_total or 0) / shards
    from tradewind.jobs.estimate import shard_seconds

    return shard_seconds(int(record.combos_total or 0) / shards, bars_per_symbol or 0.0, "full")


def threshold_seconds(record: JobRecord, bars_per_symbol: float | None) -> float:
    from tradewind.settings import get_settings

    settings = get_settings()
    return max(
        settings.stall_factor * expected_gap_seconds(record, bars_per_symbol), settings.stall_floor_seconds
    )


def _bars_per_symbol(record: JobRecord) -> float | None:
    """The dataset's mean bars per symbol (a shard runs on one symbol), ``None`` when unknown."""
    if record.kind not in ("backtest", "optimization"):
        return None
    from tradewind.services.imports import load

    dataset = load(record.tenant_id, record.dataset_id)
    if dataset is None or not dataset.symbols_count:
        return None
    return int(dataset.rows or 0) / int(dataset.symbols_count)


def check_all(now: datetime | None = None) -> dict[str, int]:
    """Flag every newly stalled running job (and notify), clear those that moved again; the counts."""
    from tradewind.jobs.recovery import active_jobs

    moment = now or datetime.now(UTC)
    counts = {"checked": 0, "stalled": 0, "cleared": 0}
    for record in active_jobs(CHECKED_KINDS):
        if record.status != "running":
            continue
        counts["checked"] += 1
        try:
            outcome = check(record, moment)
        except Exception:
            logger.exception("could not check job %s for a stall", record.job_id)
            continue
        if outcome is not None:
            counts[outcome] += 1
    return counts


def check(record: JobRecord, now: datetime) -> str | None:
    """``stalled`` or ``cleared`` when this check wrote that in the job's timeline, else ``None``."""
    step = stall_entry(record)
    moved = last_progress(record)
    if step is not None:
        if moved <= _parse(step["at"]):
            return None  # still stalled: flagged and notified already
        cause = f"progress resumed at {moved.isoformat(timespec='seconds')}"
        return "cleared" if _append(record, PROGRESSING, cause, now) else None
    limit = threshold_seconds(record, _bars_per_symbol(record))
    quiet = (now - moved).total_seconds()
    if quiet <= limit:
        return None
    cause = f"no progress for {_minutes(quiet)} (the threshold for this {record.kind} is {_minutes(limit)})"
    if not _append(record, STALLED, cause, now):
        return None
    _notify(record, quiet, limit)
    return "stalled"


def _minutes(seconds: float) -> str:
    return str(timedelta(seconds=round(seconds)))


def _append(record: JobRecord, status: str, cause: str, now: datetime) -> bool:
    """Append the entry if the job is still running, unmoved and its timeline unchanged since read."""
    from pynamodb.expressions.condition import size

    from tradewind.data.jobs import JobRecord
    from tradewind.data.table import condition_failed
    from tradewind.jobs.logs import log
    from tradewind.jobs.timeline import append_action, entry

    length = len(record.timeline or [])
    unchanged = (
        (JobRecord.timeline.does_not_exist() if length == 0 else size(JobRecord.timeline) == length)
        & (JobRecord.status == "running")
        & (JobRecord.updated_at == record.updated_at)
    )
    step = entry(status, cause, now)
    try:
        record.update(actions=[append_action(step)], condition=unchanged)
    except Exception as exc:
        if condition_failed(exc):
            return False  # moved, finished, or another check got there first
        raise
    log(record.tenant_id, record.job_id, "warning" if status == STALLED else "info", f"{status}: {cause}")
    return True


def _notify(record: JobRecord, quiet: float, limit: float) -> None:
    from tradewind.services.notification_messages import job_stalled
    from tradewind.services.notifications import send

    try:
        send(record.tenant_id, job_stalled(record, quiet, limit), f"/jobs/{record.job_id}")
    except Exception:
        logger.exception("could not notify the stall of job %s", record.job_id)
