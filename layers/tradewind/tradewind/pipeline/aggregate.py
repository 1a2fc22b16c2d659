"""The aggregation, once per run after its last batch: signal table, breadth, history, summary.

It reads the batches that ran (their markers say which: a skipped batch wrote nothing), writes the
run's results (``results/signals.parquet`` by symbol then time, ``results/breadth.parquet``),
extends the universe's breadth history, then makes the run final in one conditional write
(``succeeded``, or ``stopped`` when a stop was asked), which releases its running slot. If the run
went final meanwhile (failed by a dead batch), the results it wrote are deleted: nothing
half-written stays visible.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from tradewind.jobs import store
from tradewind.jobs.artifacts import result_key
from tradewind.jobs.events import announce
from tradewind.jobs.logs import log
from tradewind.jobs.records import finish
from tradewind.jobs.tables import PARQUET_TYPE, plain
from tradewind.jobs.views import COMPLETED, STOPPED, completed_payload
from tradewind.marketdata.parquet import from_parquet_bytes, to_parquet_bytes
from tradewind.pipeline import breadth, history
from tradewind.pipeline.batch import empty_signals
from tradewind.pipeline.events import alert_signals, notify_finished
from tradewind.pipeline.keys import BREADTH, SIGNALS, batch_key, run_result

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord

READERS = 16
ROW_GROUP = 20_000
"""Rows per Parquet row group of the signal table."""


def processed_batches(record: JobRecord) -> list[int]:
    """Batches that ran (a marker with symbols), in order."""
    from tradewind.data.jobs import ShardMarker

    pk, prefix = ShardMarker.key(record.tenant_id, record.job_id)
    markers = ShardMarker.query(pk, ShardMarker.sk.startswith(prefix), consistent_read=True)
    return sorted(int(m.shard) for m in markers if int(m.combos) > 0)


def _read(key: str) -> pd.DataFrame:
    raw = store.get_bytes(key)
    if raw is None:
        raise RuntimeError(f"a counted batch's object is missing: {key}")
    return from_parquet_bytes(raw)


def collect(record: JobRecord, numbers: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every processed batch's signals (one table, by symbol then time) and summed components."""
    t, j = record.tenant_id, record.job_id
    with ThreadPoolExecutor(max_workers=READERS) as pool:
        found = list(pool.map(_read, [batch_key(t, j, n, "signals") for n in numbers]))
        parts = list(pool.map(_read, [batch_key(t, j, n, "breadth") for n in numbers]))
    table = pd.concat([empty_signals(), *found], ignore_index=True)
    table = table.sort_values(["symbol", "time"], kind="stable", ignore_index=True)
    components = breadth.combine(
        p.set_index(pd.DatetimeIndex(p["time"], name="time")).drop(columns=["time"]) for p in parts
    )
    return table, components


def summary(record: JobRecord, table: pd.DataFrame, measures: pd.DataFrame, started: float) -> dict[str, Any]:
    """The run's summary row: counts, the span, the last bar's breadth."""
    last = measures.iloc[-1] if len(measures) else None
    return {
        "signals": len(table),
        "symbols": int(record.combos_done or 0),
        "symbols_with_signals": int(table["symbol"].nunique()),
        "by_action": {str(k): int(v) for k, v in table["action"].value_counts().sort_index().items()},
        "first_signal": None if table.empty else plain(table["time"].min()),
        "last_signal": None if table.empty else plain(table["time"].max()),
        "breadth_bars": len(measures),
        "breadth_last": None
        if last is None
        else {"time": plain(measures.index[-1]), **{k: plain(v) for k, v in last.items()}},
        "universe": record.universe,
        "timeframe": record.timeframe,
        "aggregation_seconds": round(time.monotonic() - started, 3),
    }


def aggregate(record: JobRecord) -> None:
    """Write the run's results and make it final (see the module docstring)."""
    started = time.monotonic()
    table, components = collect(record, processed_batches(record))
    measures = breadth.measures(components)
    t, j = record.tenant_id, record.job_id
    store.put_bytes(run_result(t, j, SIGNALS), signals_parquet(table), PARQUET_TYPE)
    store.put_bytes(
        run_result(t, j, BREADTH), to_parquet_bytes(measures.reset_index(), columns=None), PARQUET_TYPE
    )
    if len(components):
        history.extend(t, str(record.universe), str(record.timeframe), j, components)
    status = "stopped" if record.stop_requested else "succeeded"
    now = datetime.now(UTC)
    done = summary(record, table, measures, started)
    if not finish(record, status, ("queued", "running"), summary=done, finished_at=now, updated_at=now):
        store.delete_prefix(result_key(t, j, ""))
        return
    log(
        t,
        j,
        "info",
        f"aggregated {len(table)} signals over {len(measures)} bars: {status}",
        signals=len(table),
        breadth_bars=len(measures),
        seconds=done["aggregation_seconds"],
    )
    announce(t, j, STOPPED if status == "stopped" else COMPLETED, completed_payload(record))
    notify_finished(record)
    alert_signals(record, table)


def signals_parquet(table: pd.DataFrame) -> bytes:
    """The signal table in row groups, so a reader filtering by symbol can skip most of it."""
    import io
    import warnings

    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*fastparquet.*deprecated")
        table.to_parquet(buffer, engine="fastparquet", index=False, row_group_offsets=ROW_GROUP)
    return buffer.getvalue()
