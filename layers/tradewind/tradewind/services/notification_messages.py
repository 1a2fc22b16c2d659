"""What each notification says: a stable code with its parameters, and the English text built from them.

The web app renders a notification from ``code`` + ``params`` in the reader's language; the CLI, the
alert channels and older clients read the English ``title``/``body``. One builder per message makes
both from the same values, so the two cannot drift. Codes and their params are listed in docs/api.md
(Notifications); adding a code means a translation in the web app's ``notifications`` namespace
(until then it shows the English text).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tradewind.services.notifications import (
    CHANNEL_PAUSED,
    DATASET_FAILED,
    DATASET_READY,
    JOB_CANCELLED,
    JOB_COMPLETED,
    JOB_FAILED,
    JOB_STALLED,
    SCHEDULE_FAILED,
)

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord
    from tradewind.data.marketdata import DatasetRecord


@dataclass(frozen=True)
class Message:
    """One notification's content: ``kind`` (the settings switch), ``code`` + ``params`` (rendered
    per language), ``title`` + ``body`` (the same in English)."""

    kind: str
    code: str
    params: dict[str, Any]
    title: str
    body: str

    def stored(self) -> dict[str, Any]:
        """The ``message`` a notification keeps and the API shows."""
        return {"code": self.code, "params": self.params}


_JOB_NOUNS = {
    "backtest": "Backtest",
    "optimization": "Optimization",
    "workflow": "Workflow run",
    "pipeline": "Pipeline run",
    "command": "Command",
    "import": "Import",
}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def job_ref(record: JobRecord) -> dict[str, Any]:
    """Which job a message is about: its kind, its name (else its strategy's) and its id."""
    kind = record.kind if record.kind in _JOB_NOUNS else "optimization"
    return {"kind": kind, "name": record.name or record.strategy_name or None, "id": record.job_id}


def job_label(job: dict[str, Any]) -> str:
    """``Backtest 'name'``, or ``Backtest <id>`` for a job without a name."""
    noun = _JOB_NOUNS[job["kind"]]
    return f"{noun} '{job['name']}'" if job["name"] else f"{noun} {job['id']}"


def job_completed(record: JobRecord) -> Message:
    """A backtest, optimization or workflow run succeeded: the numbers a listing shows."""
    job, summary = job_ref(record), record.summary or {}
    if job["kind"] == "workflow":
        steps = int(summary.get("steps", 0))
        params: dict[str, Any] = {"job": job, "steps": steps}
        return Message(
            JOB_COMPLETED,
            "job.completed.workflow",
            params,
            f"{job_label(job)} succeeded",
            f"{_plural(steps, 'step')} succeeded.",
        )
    if job["kind"] == "backtest":
        return _backtest_completed(job, summary)
    return _optimization_completed(job, summary)


def _backtest_completed(job: dict[str, Any], summary: dict[str, Any]) -> Message:
    keys = ("return_pct", "sharpe", "max_drawdown_pct")
    params = {"job": job, **{k: summary.get(k) for k in keys}, "trades": int(summary.get("trades") or 0)}
    names = {
        "return_pct": ("return", "%"),
        "sharpe": ("Sharpe", ""),
        "max_drawdown_pct": ("max drawdown", "%"),
    }
    shown = [f"{names[k][0]} {params[k]:.2f}{names[k][1]}" for k in keys if params[k] is not None]
    body = ", ".join(shown) + f", {params['trades']} trades" if shown else "No result metrics."
    return Message(JOB_COMPLETED, "job.completed.backtest", params, f"{job_label(job)} finished", body)


def _optimization_completed(job: dict[str, Any], summary: dict[str, Any]) -> Message:
    best = summary.get("best_params")
    objective = summary.get("best_objective")
    params = {
        "job": job,
        "combinations": int(summary.get("combinations") or 0),
        "best": best,
        "objective": objective,
    }
    title = f"{job_label(job)} finished"
    if best is None:
        body = f"{params['combinations']} combinations evaluated; none met the minimum number of trades."
        return Message(JOB_COMPLETED, "job.completed.optimization.none", params, title, body)
    # Read by people: 4 significant digits, whole numbers without ".0" (a row's values share a dtype).
    values = ", ".join(f"{k}={v:.6g}" if isinstance(v, int | float) else f"{k}={v}" for k, v in best.items())
    shown = f"{objective:.4g}" if isinstance(objective, int | float) else str(objective)
    body = f"{params['combinations']} combinations evaluated; best {values} ({shown})"
    return Message(JOB_COMPLETED, "job.completed.optimization", params, title, body)


def job_failed(record: JobRecord, reason: str) -> Message:
    """A job failed; ``reason`` is the recorded error (shown as written, in any language)."""
    job = job_ref(record)
    return Message(
        JOB_FAILED, "job.failed", {"job": job, "reason": reason}, f"{job_label(job)} failed", reason
    )


def job_cancelled(record: JobRecord) -> Message:
    job = job_ref(record)
    return Message(
        JOB_CANCELLED,
        "job.cancelled",
        {"job": job},
        f"{job_label(job)} cancelled",
        "Cancelled before it finished.",
    )


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def job_stalled(record: JobRecord, quiet_seconds: float, limit_seconds: float) -> Message:
    """A running job made no progress for longer than its threshold (both in whole seconds)."""
    job = job_ref(record)
    quiet, limit = round(quiet_seconds), round(limit_seconds)
    params = {"job": job, "quiet_seconds": quiet, "limit_seconds": limit}
    body = (
        f"It is still running but made no progress for {_duration(quiet)} (the threshold for this "
        f"{record.kind} is {_duration(limit)}). It may still finish; you can cancel it."
    )
    return Message(JOB_STALLED, "job.stalled", params, f"{job_label(job)} seems stalled", body)


def pipeline_finished(record: JobRecord) -> Message:
    """A pipeline run ended: finished, or stopped early after some of its batches."""
    job, summary = job_ref(record), record.summary or {}
    signals, symbols = int(summary.get("signals", 0)), int(summary.get("symbols", 0))
    found = f"{signals} signals over {symbols} symbols"
    params: dict[str, Any] = {"job": job, "signals": signals, "symbols": symbols}
    if record.status == "stopped":
        done = int(record.shards_done or 0) - int(record.batches_skipped or 0)
        params |= {"done": done, "total": int(record.shards_total or 0)}
        body = f"Stopped after {done} of {params['total']} batches: {found}."
        return Message(JOB_COMPLETED, "pipeline.stopped", params, f"{job_label(job)} stopped", body)
    return Message(
        JOB_COMPLETED, "pipeline.finished", params, f"{job_label(job)} finished", f"Found {found}."
    )


def dataset_ready(record: DatasetRecord) -> Message:
    symbols, rows = int(record.symbols_count or 0), int(record.rows or 0)
    params = {"name": record.name, "symbols": symbols, "rows": rows}
    title = f"Dataset '{record.name}' imported: {_plural(symbols, 'symbol')}"
    body = f"{rows:,} bars across {_plural(symbols, 'symbol')} are ready to use."
    return Message(DATASET_READY, "dataset.ready", params, title, body)


def dataset_failed(record: DatasetRecord) -> Message:
    """The import's first problem: where (row, column), what, and how many rows break that rule."""
    error = record.error
    row = int(error.row) if error is not None and error.row is not None else None
    column = (error.column or None) if error is not None else None
    message = error.message if error is not None else "The import failed."
    count = int(error.count) if error is not None and error.count else None
    params = {"name": record.name, "row": row, "column": column, "message": message, "count": count}
    where = ([f"row {row}"] if row is not None else []) + ([f"column '{column}'"] if column else [])
    place = f"{', '.join(where)}: " if where else ""
    title = f"Dataset '{record.name}' failed: {place}{message}"
    body = message + (f" ({count} rows break this rule)" if count else "")
    return Message(DATASET_FAILED, "dataset.failed", params, title, body)


def schedule_failed(name: str, reason: str) -> Message:
    params = {"name": name, "reason": reason}
    return Message(
        SCHEDULE_FAILED, "schedule.failed", params, f"Schedule {name!r} could not start its job", reason
    )


def paused_reason(failures: int, error: str) -> str:
    """Why a channel was paused, as its ``paused_reason`` records it."""
    return f"{failures} deliveries in a row failed; the last: {error}"[:500]


def channel_paused(name: str, failures: int, error: str) -> Message:
    """An alert channel paused after ``failures`` failed deliveries in a row (``error``: the last)."""
    params = {"name": name, "failures": failures, "error": error}
    body = f"{paused_reason(failures, error)}. Fix it and resume it in Integrations."
    return Message(CHANNEL_PAUSED, "channel.paused", params, f"Channel '{name}' was paused", body)
