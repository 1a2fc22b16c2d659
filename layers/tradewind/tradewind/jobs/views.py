"""A job's public view and its WebSocket messages, built from the job record.

One place for the shape clients see, shared by the API (``GET /jobs/{id}``...), the workflow
steps (``job.progress``/``job.completed``/``job.failed`` on topic ``job:{id}``) and the snapshot a
new subscriber gets. Everything returned is JSON-ready (ISO-8601 times, plain numbers). No pynamodb
at import time: the API Lambda's cold import must stay light.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tradewind.jobs.stall import stalled_since

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord

PROGRESS, COMPLETED, FAILED, CANCELLED = "job.progress", "job.completed", "job.failed", "job.cancelled"
STOPPED = "job.stopped"  # a pipeline run that was asked to stop, with what it had finished
PAUSED, RESUMED = "job.paused", "job.resumed"  # jobs.pause: progress payloads with the new status


def topic(job_id: str) -> str:
    """The WebSocket topic of one job."""
    return f"job:{job_id}"


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _int(value: Any) -> int:
    return int(value or 0)


def job_view(record: JobRecord) -> dict[str, Any]:
    """What a client reads about one job (status, progress, summary, times)."""
    return {
        "job_id": record.job_id,
        "kind": record.kind,
        "status": record.status,
        "name": record.name,
        "strategy_id": record.strategy_id,
        "strategy_version": None if record.strategy_version is None else int(record.strategy_version),
        "strategy_name": record.strategy_name,
        "dataset_id": record.dataset_id,
        "symbols": list(record.symbols or []),
        "progress": progress_counts(record),
        "summary": record.summary,
        # A worker records its last error while retries may still succeed: shown once the job failed.
        "error": record.error if record.status == "failed" else None,
        "cached": bool(record.cached),
        "created_at": _iso(record.created_at),
        "started_at": _iso(record.started_at),
        "finished_at": _iso(record.finished_at),
        "updated_at": _iso(record.updated_at),
        "stalled_since": stalled_since(record),
    }


def progress_counts(record: JobRecord) -> dict[str, Any]:
    """Shards and combinations done out of their totals, and the percentage of combinations done."""
    done, total = _int(record.combos_done), _int(record.combos_total)
    return {
        "shards_done": _int(record.shards_done),
        "shards_total": _int(record.shards_total),
        "combos_done": done,
        "combos_total": total,
        "percent": round(100.0 * done / total, 1)
        if total
        else (100.0 if record.status == "succeeded" else 0.0),
    }


def progress_payload(record: JobRecord, now: datetime | None = None) -> dict[str, Any]:
    """``job.progress``: counters, the rate since the job started and the time left at that rate."""
    counts = progress_counts(record)
    done, total = counts["combos_done"], counts["combos_total"]
    rate: float | None = None
    eta: float | None = None
    if record.started_at is not None:
        elapsed = ((now or datetime.now(UTC)) - record.started_at).total_seconds()
        if elapsed > 0 and done > 0:
            rate = done / elapsed
            eta = max(0.0, (total - done) / rate)
    payload = {
        "job_id": record.job_id,
        "status": record.status,
        "shards_done": counts["shards_done"],
        "shards_total": counts["shards_total"],
        "combos_done": done,
        "combos_total": total,
        "combos_per_second": None if rate is None else round(rate, 1),
        "eta_seconds": None if eta is None else round(eta, 1),
    }
    if getattr(record, "kind", None) == "pipeline":  # the counters in a pipeline's words (websocket.md)
        payload.update(
            batches_done=counts["shards_done"],
            batches_total=counts["shards_total"],
            symbols_done=done,
            symbols_total=total,
            signals_found=_int(record.signals_found),
            symbols_per_second=payload["combos_per_second"],
            stop_requested=bool(record.stop_requested),
        )
    return payload


def completed_payload(record: JobRecord) -> dict[str, Any]:
    return {"job_id": record.job_id, "status": record.status, "summary": record.summary}


def failed_payload(record: JobRecord) -> dict[str, Any]:
    return {"job_id": record.job_id, "status": record.status, "error": record.error}


def job_message(record: JobRecord) -> tuple[str, dict[str, Any]]:
    """The message that describes the job now: completed, failed, cancelled (its view, as the API
    sends at cancel), paused (its progress), else progress (queued or running)."""
    if record.status == "succeeded":
        return COMPLETED, completed_payload(record)
    if record.status == "failed":
        return FAILED, failed_payload(record)
    if record.status == "cancelled":
        return CANCELLED, job_view(record)
    if record.status == "stopped":
        return STOPPED, completed_payload(record)
    if record.status == "paused":
        return PAUSED, progress_payload(record)
    return PROGRESS, progress_payload(record)
