"""Reading a run's results: signals (filter, sort, page, export), latest signals across runs, and a
universe's breadth series. pandas loads here, inside the API's routes, never at its cold start.

A run's tables are immutable once it is final, so parsed tables are cached in-process by key with
each symbol's row range (the table is sorted by symbol): a warm Lambda answers a symbol's page of a
100,000-signal table by slicing, without reading or scanning the table again.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from threading import Lock
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from tradewind.errors import Conflict, FieldProblem, NotFound
from tradewind.jobs import store
from tradewind.jobs.tables import CSV_TYPE, JSON_TYPE, plain, strict_json, utc_times
from tradewind.marketdata.parquet import from_parquet_bytes
from tradewind.pipeline import breadth
from tradewind.pipeline.keys import BREADTH, SIGNALS, export_key, run_result
from tradewind.settings import get_settings

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord

Sort = Literal["time", "symbol", "strength", "rule", "action", "side"]
Order = Literal["asc", "desc"]
WITH_RESULTS = ("succeeded", "stopped")
EXPORT_INLINE_ROWS = 10_000
"""An export up to this many rows is the response body; a larger one is written to S3 and the answer
redirects (303) to a presigned download."""
MAX_LATEST_RUNS = 20
_CACHE_ENTRIES = 8
_cache: OrderedDict[str, Table] = OrderedDict()
_lock = Lock()


@dataclass(frozen=True)
class Table:
    """A signal table and, when it is sorted by symbol, each symbol's row range."""

    frame: pd.DataFrame
    ranges: dict[str, tuple[int, int]] | None = None

    @classmethod
    def indexed(cls, frame: pd.DataFrame) -> Table:
        if "symbol" not in frame.columns:
            return cls(frame)
        symbols = frame["symbol"].to_numpy()
        if len(symbols) and not (symbols[:-1] <= symbols[1:]).all():
            return cls(frame)
        names, starts = np.unique(symbols, return_index=True)
        stops = np.append(starts[1:], len(symbols))
        return cls(frame, {str(n): (int(a), int(b)) for n, a, b in zip(names, starts, stops, strict=True)})


@dataclass(frozen=True)
class SignalQuery:
    """Filters (all optional; dates inclusive, UTC) and the order of a signal list."""

    symbol: str | None = None
    side: str | None = None
    action: str | None = None
    rule: str | None = None
    min_strength: float | None = None
    start: date | None = None
    end: date | None = None
    sort: Sort = "time"
    order: Order = "desc"

    def digest(self) -> str:
        text = json.dumps(asdict(self), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _cached(key: str) -> Table:
    with _lock:
        table = _cache.get(key)
        if table is not None:
            _cache.move_to_end(key)
            return table
    raw = store.get_bytes(key)
    if raw is None:
        raise NotFound(
            "the run's results are missing", [FieldProblem(["path", "job_id"], "no results", "not_found")]
        )
    table = Table.indexed(from_parquet_bytes(raw))
    with _lock:
        _cache[key] = table
        while len(_cache) > _CACHE_ENTRIES:
            _cache.popitem(last=False)
    return table


def require_results(record: JobRecord) -> None:
    """409 naming the status unless the run ended with results (``succeeded`` or ``stopped``)."""
    if record.status not in WITH_RESULTS:
        msg = f"the run is {record.status}; signals exist once it has succeeded or stopped"
        raise Conflict(
            f"run {record.job_id!r} is {record.status}",
            [FieldProblem(["path", "job_id"], msg, "not_finished")],
        )


def run_signals(record: JobRecord) -> Table:
    """The run's whole signal table (by symbol, then time)."""
    require_results(record)
    return _cached(run_result(record.tenant_id, record.job_id, SIGNALS))


def latest_signals(tenant_id: str, runs: int) -> Table:
    """The signals of the tenant's ``runs`` newest runs with results, each row with its ``run_id``."""
    from tradewind.pipeline.runs import list_runs

    frames: list[pd.DataFrame] = []
    start: dict[str, Any] | None = None
    while len(frames) < runs:
        page, start = list_runs(tenant_id, 50, start)
        for record in page:
            if record.status in WITH_RESULTS and len(frames) < runs:
                frames.append(run_signals(record).frame.assign(run_id=record.job_id))
        if start is None:
            break
    if not frames:
        columns = ["symbol", "time", "bar", "rule", "action", "side", "strength", "close", "values", "run_id"]
        return Table(pd.DataFrame(columns=columns))
    return Table(pd.concat(frames, ignore_index=True))


def _bound(day: date, after: bool) -> np.datetime64:
    moment = datetime.combine(day + timedelta(days=1) if after else day, time())
    return np.datetime64(moment, "ns")


def select(source: Table, query: SignalQuery) -> pd.DataFrame:
    """The rows matching every filter, in the query's order (ties: symbol, then time, ascending)."""
    table = source.frame
    columns = ["symbol", "side", "action", "rule"]
    if query.symbol is not None and source.ranges is not None:
        start, stop = source.ranges.get(query.symbol, (0, 0))
        table, columns = table.iloc[start:stop], columns[1:]
    keep = np.ones(len(table), dtype=bool)
    for column in columns:
        value = getattr(query, column)
        if value is not None:
            keep &= table[column].to_numpy() == value
    if query.min_strength is not None:
        keep &= table["strength"].to_numpy(dtype=np.float64) >= query.min_strength
    times = table["time"].to_numpy(dtype="datetime64[ns]")
    if query.start is not None:
        keep &= times >= _bound(query.start, after=False)
    if query.end is not None:
        keep &= times < _bound(query.end, after=True)
    picked = table[keep] if not keep.all() else table
    by = list(dict.fromkeys([query.sort, "symbol", "time"]))
    ascending = [query.order == "asc"] + [True] * (len(by) - 1)
    return picked.sort_values(by, ascending=ascending, kind="stable", na_position="last", ignore_index=True)


def rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready signal rows (``values`` parsed, times ISO 8601 with a ``Z``)."""
    columns = {name: frame[name].tolist() for name in ("symbol", "bar", "rule", "action", "side", "values")}
    numbers = {
        name: [plain(v) for v in frame[name].to_numpy(dtype=np.float64)] for name in ("strength", "close")
    }
    runs = frame["run_id"].tolist() if "run_id" in frame.columns else None
    out = []
    for i, time_text in enumerate(utc_times(frame["time"].to_numpy())):
        item = {
            "symbol": columns["symbol"][i],
            "time": time_text,
            "bar": int(columns["bar"][i]),
            "rule": columns["rule"][i],
            "action": columns["action"][i],
            "side": columns["side"][i],
            "strength": numbers["strength"][i],
            "close": numbers["close"][i],
            "values": json.loads(columns["values"][i]),
        }
        if runs is not None:
            item["run_id"] = runs[i]
        out.append(item)
    return out


def page(frame: pd.DataFrame, offset: int, limit: int) -> tuple[list[dict[str, Any]], int | None]:
    """Rows ``offset`` to ``offset + limit`` and the next offset (None at the end)."""
    chunk = frame.iloc[offset : offset + limit]
    following = offset + limit if offset + limit < len(frame) else None
    return rows(chunk), following


def export(
    frame: pd.DataFrame,
    file_format: str,
    tenant_id: str,
    scope: str,
    query: SignalQuery,
    *,
    link: bool = False,
) -> tuple[str, Any, str]:
    """``("body", bytes, content type)`` for a small export, ``("url", presigned url, filename)`` for a
    large one, or for any size when ``link`` (written once per query under the run's results)."""
    filename = f"signals-{scope}.{file_format}"
    if len(frame) <= EXPORT_INLINE_ROWS and not link:
        body, content_type = _encode(frame, file_format)
        return "body", body, content_type
    key = export_key(tenant_id, scope, query.digest(), file_format)
    if not store.exists(key):
        body, content_type = _encode(frame, file_format)
        store.put_bytes(key, body, content_type)
    return "url", store.presigned_get(key, filename, get_settings().presign_expiry_seconds), filename


def _encode(frame: pd.DataFrame, file_format: str) -> tuple[bytes, str]:
    if file_format == "json":
        return strict_json(rows(frame)), JSON_TYPE
    out = frame.copy()
    out["time"] = utc_times(out["time"].to_numpy())
    return out.to_csv(index=False).encode(), CSV_TYPE


def breadth_histories(tenant_id: str) -> list[dict[str, Any]]:
    """Every universe and timeframe with a breadth history."""
    from tradewind.data.pipeline import BreadthRecord

    pk, prefix = BreadthRecord.key(tenant_id)
    return [
        {
            "universe": r.universe,
            "timeframe": r.timeframe,
            "first": plain(np.datetime64(r.first.replace(tzinfo=None), "ns")),
            "last": plain(np.datetime64(r.last.replace(tzinfo=None), "ns")),
            "bars": int(r.bars),
            "run_id": r.run_id,
        }
        for r in BreadthRecord.query(pk, BreadthRecord.sk.startswith(prefix))
    ]


def breadth_series(
    tenant_id: str,
    universe: str,
    timeframe: str,
    start: date | None,
    end: date | None,
    max_points: int | None,
) -> dict[str, Any]:
    """A universe's breadth measures over a range, cut to ``max_points`` (each bucket of consecutive
    bars keeps its last bar: cumulative lines stay exact at the points shown)."""
    from tradewind.data.pipeline import BreadthRecord
    from tradewind.pipeline.history import read_components

    try:
        record = BreadthRecord.get(*BreadthRecord.key(tenant_id, universe, timeframe))
    except BreadthRecord.DoesNotExist:
        msg = f"no breadth history for universe {universe!r} in timeframe {timeframe}"
        raise NotFound(msg, [FieldProblem(["path", "universe"], msg, "not_found")]) from None
    measures = breadth.measures(read_components(record.object_key))
    times = measures.index.to_numpy(dtype="datetime64[ns]")
    keep = np.ones(times.size, dtype=bool)
    if start is not None:
        keep &= times >= _bound(start, after=False)
    if end is not None:
        keep &= times < _bound(end, after=True)
    measures = measures[keep]
    if max_points is not None and len(measures) > max_points:
        n = len(measures)
        ends = ((np.arange(max_points) + 1) * n) // max_points - 1
        measures = measures.iloc[ends]
    return {
        "universe": universe,
        "timeframe": timeframe,
        "time": utc_times(measures.index.to_numpy(dtype="datetime64[ns]")),
        "series": {name: [plain(v) for v in measures[name].to_numpy()] for name in breadth.MEASURES},
    }


def run_breadth(record: JobRecord, max_points: int | None) -> dict[str, Any]:
    """The breadth measures of one run (its period only)."""
    require_results(record)
    frame = _cached(run_result(record.tenant_id, record.job_id, BREADTH)).frame
    frame = frame.set_index(pd.DatetimeIndex(frame["time"])).drop(columns=["time"])
    if max_points is not None and len(frame) > max_points:
        ends = ((np.arange(max_points) + 1) * len(frame)) // max_points - 1
        frame = frame.iloc[ends]
    return {
        "universe": record.universe,
        "timeframe": record.timeframe,
        "time": utc_times(frame.index.to_numpy(dtype="datetime64[ns]")),
        "series": {name: [plain(v) for v in frame[name].to_numpy()] for name in breadth.MEASURES},
    }
