"""A universe's breadth history: kept as summed components, extended by every run.

The record (:class:`tradewind.data.pipeline.BreadthRecord`) points at the current components object.
Extending writes version ``n + 1`` under its own key and moves the pointer on condition
``version = n`` (or creates it), so two runs extending one history at once never lose each other's
rows: the loser re-reads and tries again. The version before the one replaced is deleted afterwards
(best effort; the replaced one stays, since a reader may hold the old pointer).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from tradewind.data.table import condition_failed
from tradewind.jobs import store
from tradewind.jobs.tables import PARQUET_TYPE
from tradewind.marketdata.parquet import from_parquet_bytes, to_parquet_bytes
from tradewind.pipeline import breadth
from tradewind.pipeline.keys import history_key

ATTEMPTS = 5
logger = logging.getLogger(__name__)


def read_components(object_key: str) -> pd.DataFrame:
    raw = store.get_bytes(object_key)
    if raw is None:
        raise RuntimeError(f"breadth history object {object_key} is missing")
    frame = from_parquet_bytes(raw)
    return frame.set_index(pd.DatetimeIndex(frame["time"], name="time")).drop(columns=["time"])


def extend(
    tenant_id: str,
    universe: str,
    timeframe: str,
    run_id: str,
    fresh: pd.DataFrame,
    span: tuple[np.datetime64 | None, np.datetime64 | None] | None = None,
) -> int:
    """Merge a run's components into the universe's history (replacing every bar inside ``span``
    when given: :func:`breadth.extend`); returns the history's bar count."""
    from tradewind.data.pipeline import BreadthRecord

    key = BreadthRecord.key(tenant_id, universe, timeframe)
    for _ in range(ATTEMPTS):
        try:
            current: BreadthRecord | None = BreadthRecord.get(*key, consistent_read=True)
        except BreadthRecord.DoesNotExist:
            current = None
        old = None if current is None else read_components(current.object_key)
        merged = breadth.extend(old, fresh, span)
        if merged.empty:
            raise ValueError(f"the breadth history of {universe} would be left empty")
        version = 1 if current is None else int(current.version) + 1
        object_key = history_key(tenant_id, universe, timeframe, version)
        store.put_bytes(object_key, to_parquet_bytes(merged.reset_index(), columns=None), PARQUET_TYPE)
        now = datetime.now(UTC)
        record = BreadthRecord(
            *key,
            tenant_id=tenant_id,
            universe=universe,
            timeframe=timeframe,
            version=version,
            object_key=object_key,
            first=merged.index[0].to_pydatetime().replace(tzinfo=UTC),
            last=merged.index[-1].to_pydatetime().replace(tzinfo=UTC),
            bars=len(merged),
            run_id=run_id,
            updated_at=now,
        )
        condition = (
            BreadthRecord.pk.does_not_exist() if current is None else BreadthRecord.version == version - 1
        )
        try:
            record.save(condition=condition)
        except Exception as exc:
            store.delete_prefix(object_key)
            if condition_failed(exc):
                continue  # another run extended it meanwhile: merge into theirs
            raise
        if version > 2:  # keep the one just replaced: a reader may have its pointer still
            stale = history_key(tenant_id, universe, timeframe, version - 2)
            try:
                store.delete_prefix(stale)
            except Exception:
                logger.exception("could not delete the old breadth object %s", stale)
        return len(merged)
    raise RuntimeError(f"the breadth history of {universe} kept changing; gave up after {ATTEMPTS} tries")
