"""Telling the tenant how a run ended: a notification (the WebSocket messages go through
:func:`tradewind.jobs.events.announce`, on the run's ``job:{id}`` topic like any job's)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pandas import DataFrame

    from tradewind.data.jobs import JobRecord
    from tradewind.services.notification_messages import Message

logger = logging.getLogger(__name__)


def label(record: JobRecord) -> str:
    from tradewind.services.notification_messages import job_label, job_ref

    return job_label(job_ref(record))


def link(record: JobRecord) -> str:
    return f"/pipeline/runs/{record.job_id}"


def _notify(record: JobRecord, message: Message) -> None:
    from tradewind.jobs.events import notify_outcome

    notify_outcome(record, message, link(record))


def notify_finished(record: JobRecord) -> None:
    from tradewind.services.notification_messages import pipeline_finished

    _notify(record, pipeline_finished(record))


def notify_failed(record: JobRecord) -> None:
    from tradewind.services.notification_messages import job_failed

    _notify(record, job_failed(record, record.error or "It failed."))


def alert_signals(record: JobRecord, table: DataFrame) -> None:
    """Send the run's newest signals (its last bar's, strongest first) to the channels subscribed to
    ``pipeline.signals``; each channel receives those at or above its ``min_strength``."""
    import pandas as pd

    from tradewind.alerts.events import MAX_SIGNALS, EventKind, signal_lines
    from tradewind.alerts.publish import publish, wants

    if table.empty or not wants(record.tenant_id, EventKind.PIPELINE_SIGNALS):
        return
    last = table[table["time"] == table["time"].max()]
    top = last.sort_values(["strength", "symbol"], ascending=[False, True], na_position="last").head(
        MAX_SIGNALS
    )
    signals = [
        {
            "symbol": str(row.symbol),
            "time": pd.Timestamp(row.time).isoformat(),
            "rule": str(row.rule),
            "action": str(row.action),
            "side": str(row.side),
            "strength": 0.0 if pd.isna(row.strength) else round(float(row.strength), 4),
            "close": round(float(row.close), 6),
        }
        for row in top.itertuples(index=False)
    ]
    title = f"{label(record)}: {len(last)} signal{'' if len(last) == 1 else 's'} on {signals[0]['time'][:10]}"
    data = {"job_id": record.job_id, "universe": record.universe, "signals": signals, "total": len(last)}
    publish(
        record.tenant_id,
        EventKind.PIPELINE_SIGNALS,
        title,
        signal_lines(signals),
        link=link(record),
        data=data,
    )
