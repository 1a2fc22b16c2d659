"""Reduce: merge the shards into the final artifacts, mark the job succeeded, tell the tenant.

Formats are the ones documented in :mod:`tradewind.jobs.artifacts`. An optimization's table holds,
per combination (and walk-forward window), every metric averaged over the symbols (a plain sum in
the spec's symbol order divided by their number; ``start`` is the earliest, ``end`` the latest). A
backtest's portfolio is :func:`tradewind.engine.portfolio.combine` of the per-symbol runs, the same
maths as ``backtest`` on a ``{symbol: bars}`` mapping. Nothing is marked succeeded unless every
artifact is written, and a job that went final meanwhile (cancelled) is left as it is.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tradewind.errors import TradewindError
from tradewind.jobs import artifacts
from tradewind.jobs.columns import COMBINATION, WF_WINDOW
from tradewind.jobs.events import announce, notify_outcome
from tradewind.jobs.failure import describe
from tradewind.jobs.inputs import (
    Job,
    Shard,
    Window,
    bars_between,
    load_job,
    timeline,
    windows,
)
from tradewind.jobs.logs import log
from tradewind.jobs.records import finish, get_record
from tradewind.jobs.spec import FINAL_STATUSES
from tradewind.jobs.tables import (
    CSV_TYPE,
    JSON_TYPE,
    PARQUET_TYPE,
    plain,
    plain_mapping,
    strict_json,
    utc_time,
    utc_times,
)
from tradewind.jobs.views import COMPLETED, completed_payload
from tradewind.marketdata.parquet import from_parquet_bytes, to_parquet_bytes

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord
    from tradewind.engine.api import BacktestResult
    from tradewind.engine.bars import Bars

SUPERSEDED = "superseded"
"""Reduce's status for an execution that a resume replaced (the job was paused and resumed before
this execution reached reduce): it ends without touching the job."""
_READERS = 16
"""Shard objects fetched in parallel (S3 latency dominates)."""


@dataclass(frozen=True)
class Outcome:
    """What reduce produced: artifacts by result name, the record's short summary, and for an
    optimization its ``summary.json`` still without the timing (known only once everything is merged)."""

    files: dict[str, tuple[bytes, str]]
    summary: dict[str, Any]
    untimed_summary: dict[str, Any] | None = None


def reduce(event: dict[str, Any]) -> dict[str, Any]:
    """Write the results and set the job ``succeeded`` (only from ``running``; releasing its slot)."""
    from tradewind.data.jobs import JobHashRecord
    from tradewind.jobs.store import delete_prefix, get_json, put_bytes
    from tradewind.services.notification_messages import job_completed

    tenant_id, job_id = str(event["tenant_id"]), str(event["job_id"])
    out: dict[str, Any] = {"tenant_id": tenant_id, "job_id": job_id}
    record = get_record(tenant_id, job_id)
    if record is None or record.status in FINAL_STATUSES or record.status == "paused":
        # A paused job ends this execution here (the workflow's Choice goes to Paused); its resume
        # starts another one, which reduces.
        return {**out, "status": None if record is None else record.status}
    if int(record.resumes or 0) != int(event.get("resumes") or 0):
        return {**out, "status": SUPERSEDED}  # resumed meanwhile: the newer execution reduces
    job = load_job(tenant_id, job_id)
    shards = [Shard.from_item(item) for item in get_json(artifacts.manifest_key(tenant_id, job_id)) or []]
    if int(record.shards_done) != len(shards):
        raise RuntimeError(f"{int(record.shards_done)} of {len(shards)} shards were counted")
    try:
        outcome = (
            reduce_backtest(job, shards) if job.spec.kind == "backtest" else reduce_optimization(job, shards)
        )
    except TradewindError as exc:
        raise RuntimeError(describe(exc)) from exc
    now = datetime.now(UTC)
    files = dict(outcome.files)
    if outcome.untimed_summary is not None:
        files[artifacts.RESULT_SUMMARY] = (
            strict_json(timed(outcome.untimed_summary, record, now)),
            JSON_TYPE,
        )
    for name, (body, content_type) in files.items():
        put_bytes(artifacts.result_key(tenant_id, job_id, name), body, content_type)
    cause = f"reduced {len(shards)} shards"
    if not finish(
        record,
        "succeeded",
        ("running",),
        cause=cause,
        summary=outcome.summary,
        error=None,
        finished_at=now,
        updated_at=now,
    ):
        # Cancelled meanwhile: no results. Paused meanwhile: the resumed execution writes them again.
        delete_prefix(artifacts.result_key(tenant_id, job_id, ""))
        return {**out, "status": record.status}
    JobHashRecord(
        *JobHashRecord.key(tenant_id, job.spec.kind, job.spec.content_hash()),
        tenant_id=tenant_id,
        job_id=job_id,
    ).save()
    log(tenant_id, job_id, "info", f"reduced {len(shards)} shards: succeeded", shards=len(shards))
    notify_outcome(record, job_completed(record))
    announce(tenant_id, job_id, COMPLETED, completed_payload(record))
    return {**out, "status": "succeeded"}


def read_shards(job: Job, shards: list[Shard], ext: str) -> dict[int, bytes]:
    from tradewind.jobs.store import get_bytes

    def fetch(shard: Shard) -> tuple[int, bytes]:
        body = get_bytes(artifacts.shard_key(job.tenant_id, job.job_id, shard.shard, ext))
        if body is None:
            raise RuntimeError(f"shard {shard.shard} ({shard.symbol}) has no result object")
        return shard.shard, body

    if not shards:
        return {}
    with ThreadPoolExecutor(max_workers=min(_READERS, len(shards))) as pool:
        return dict(pool.map(fetch, shards))


# -- optimizations ---------------------------------------------------------------------------------


def mean_over_symbols(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Per row, each metric averaged over the frames (symbols), in order; dates: earliest ``start``,
    latest otherwise."""
    merged: dict[str, Any] = {}
    for name in frames[0].columns:
        columns = [frame[name].to_numpy() for frame in frames]
        if np.issubdtype(columns[0].dtype, np.datetime64):
            reducer = np.minimum if name == "start" else np.maximum
            merged[name] = reducer.reduce(columns)
            continue
        total = columns[0].astype(np.float64)
        for column in columns[1:]:
            total = total + column.astype(np.float64)
        merged[name] = total / len(frames)
    return pd.DataFrame(merged)


def rank(table: pd.DataFrame, metric: str, direction: str, min_trades: int) -> np.ndarray:
    """Row numbers best first: a defined objective and at least ``min_trades`` trades (the mean over
    the symbols); ties go to the lower combination number."""
    values = table[metric].to_numpy(dtype=np.float64)
    keep = ~np.isnan(values)
    if min_trades:
        keep &= table["trades"].to_numpy(dtype=np.float64) >= min_trades
    key = -values if direction == "maximize" else values
    order = np.lexsort((table["combination"].to_numpy(), key))
    return order[keep[order]]


def leaderboard_row(position: int, row: pd.Series, params: list[str], metrics: list[str]) -> dict[str, Any]:
    return {
        "rank": position,
        "combination": int(row["combination"]),
        "params": {name: plain(row[name]) for name in params},
        "metrics": {name: plain(row[name]) for name in metrics},
    }


def reduce_optimization(job: Job, shards: list[Shard]) -> Outcome:
    spec = job.spec
    bodies = read_shards(job, shards, "parquet")
    parts: dict[tuple[int | None, str], list[tuple[int, pd.DataFrame]]] = defaultdict(list)
    for shard in shards:
        parts[(shard.window, shard.symbol)].append((shard.lo, from_parquet_bytes(bodies[shard.shard])))
    window_numbers = sorted({shard.window for shard in shards}, key=lambda w: -1 if w is None else w)
    param_names = list(job.combinations)
    params = pd.DataFrame(
        {
            name: col.astype(np.int64) if job.strategy.parameters[name].type == "int" else col
            for name, col in job.combinations.items()
        }
    )
    tables = {}
    for window in window_numbers:
        per_symbol = []
        for symbol in spec.symbols:
            frames = [frame for _, frame in sorted(parts[(window, symbol)], key=lambda part: part[0])]
            merged = pd.concat(frames, ignore_index=True)
            if not np.array_equal(merged["combination"].to_numpy(), np.arange(job.n_combinations)):
                raise RuntimeError(f"the shards of {symbol} do not cover every combination")
            per_symbol.append(merged.drop(columns="combination"))
        mean = mean_over_symbols(per_symbol)
        head = pd.DataFrame({COMBINATION: np.arange(job.n_combinations, dtype=np.int64)})
        if window is not None:
            head[WF_WINDOW] = window
        tables[window] = pd.concat([head, params, mean], axis=1)
    metric_names = [
        c for c in tables[window_numbers[0]].columns if c not in {COMBINATION, WF_WINDOW, *param_names}
    ]
    objective = spec.objective
    latest = tables[window_numbers[-1]]
    order = rank(latest, objective.metric, objective.direction, spec.min_trades)[: spec.top_n]
    rows = [leaderboard_row(i + 1, latest.iloc[n], param_names, metric_names) for i, n in enumerate(order)]
    objective_json = {"metric": objective.metric, "direction": objective.direction}
    table = pd.concat(list(tables.values()), ignore_index=True)
    files = {
        artifacts.RESULT_LEADERBOARD: (strict_json({"objective": objective_json, "rows": rows}), JSON_TYPE),
        artifacts.RESULT_TABLE_PARQUET: (to_parquet_bytes(table, columns=None), PARQUET_TYPE),
        artifacts.RESULT_TABLE_CSV: (table.to_csv(index=False).encode(), CSV_TYPE),
    }
    if spec.walk_forward is not None:
        keys = {shard.symbol: shard.key for shard in shards}
        walk = walk_forward(
            job, {symbol: keys[symbol] for symbol in spec.symbols}, tables, param_names, metric_names
        )
        files[artifacts.RESULT_WALK_FORWARD] = (strict_json(walk), JSON_TYPE)
    best = rows[0] if rows else None
    summary_file = {
        "objective": objective_json,
        "best": best,
        "combinations": job.n_combinations,
        "symbols": list(spec.symbols),
    }
    summary = {
        "best_params": None if best is None else best["params"],
        "best_objective": None if best is None else best["metrics"].get(objective.metric),
        "combinations": job.n_combinations,
    }
    return Outcome(files, summary, summary_file)


def timed(summary_file: dict[str, Any], record: JobRecord, now: datetime) -> dict[str, Any]:
    """An optimization's ``summary.json`` with the time since the job started and the rate."""
    elapsed = (now - record.started_at).total_seconds() if record.started_at else None
    rate = int(record.combos_total) / elapsed if elapsed else None
    return {
        **summary_file,
        "elapsed_seconds": None if elapsed is None else round(elapsed, 3),
        "combos_per_second": None if rate is None else round(rate, 1),
    }


def walk_forward(
    job: Job,
    keys: dict[str, str],
    tables: dict[int | None, pd.DataFrame],
    param_names: list[str],
    metric_names: list[str],
) -> dict[str, Any]:
    """Each window's in-sample winner, run on the window's test bars (out of sample); ``keys`` are the
    symbols' bars objects in the spec's order (the shards carry them)."""
    from tradewind.engine.api import backtest_one

    spec = job.spec
    assert spec.walk_forward is not None
    found = windows(timeline(spec, keys), spec.walk_forward)
    entries, tested = [], []
    for window in found:
        table = tables[window.number]
        entry: dict[str, Any] = {
            **window_json(window),
            "params": None,
            "in_sample": None,
            "out_of_sample": None,
        }
        order = rank(table, spec.objective.metric, spec.objective.direction, spec.min_trades)
        if len(order):
            best = table.iloc[order[0]]
            params = job.params(int(best["combination"]))
            entry["params"] = {name: plain(params[name]) for name in param_names}
            entry["in_sample"] = {name: plain(best[name]) for name in metric_names}
            try:
                runs = [
                    pd.DataFrame(
                        backtest_one(
                            bars_between(symbol, key, window.test_first, window.test_last),
                            job.strategy,
                            params,
                            spec.cash,
                        ).metric_columns
                    )
                    for symbol, key in keys.items()
                ]
            except Exception as exc:  # e.g. a test window shorter than the strategy's longest indicator
                entry["error"] = describe(exc)
            else:
                out = mean_over_symbols(runs)
                tested.append(out)
                entry["out_of_sample"] = plain_mapping(out.iloc[0].to_dict())
        entries.append(entry)
    overall = mean_over_symbols(tested).iloc[0].to_dict() if tested else None
    return {"windows": entries, "out_of_sample": None if overall is None else plain_mapping(overall)}


def window_json(window: Window) -> dict[str, Any]:
    return {
        "window": window.number,
        "train": {"start": utc_time(window.train_first), "end": utc_time(window.train_last)},
        "test": {"start": utc_time(window.test_first), "end": utc_time(window.test_last)},
    }


# -- backtests -------------------------------------------------------------------------------------


def rebuild(job: Job, shard: dict[str, Any], bars: Bars) -> BacktestResult:
    """The worker's ``BacktestResult`` from its shard object and the same bars."""
    from tradewind.engine.api import BacktestResult
    from tradewind.engine.trades import TradeArrays

    trades, empty = shard["trades"], TradeArrays.empty()
    count = len(trades["pnl"])
    arrays = TradeArrays(
        **{
            # one symbol's run is combination 0 (the worker does not store ``combo``)
            name: np.zeros(count, dtype=empty.combo.dtype)
            if name == "combo"
            else np.asarray(trades[name], dtype=getattr(empty, name).dtype)
            for name in TradeArrays.columns()
        }
    )
    return BacktestResult(
        strategy=job.strategy,
        params=shard["params"],
        trade_arrays=arrays,
        metric_columns={name: np.asarray([value]) for name, value in shard["metrics"].items()},
        index=bars.index,
        equity_values=np.asarray(shard["equity"], dtype=np.float64),
        units=np.asarray(shard["units"], dtype=np.float64),
    )


def symbol_metrics(shard: dict[str, Any]) -> dict[str, Any]:
    from tradewind.metrics.catalog import METRICS

    return {
        name: utc_time(np.datetime64(value, "ns")) if METRICS[name].unit == "date" else plain(value)
        for name, value in shard["metrics"].items()
    }


def curve(
    index: np.ndarray, equity: np.ndarray, drawdown: np.ndarray, benchmark: np.ndarray | None = None
) -> dict[str, list[Any]]:
    out = {
        "time": utc_times(index),
        "equity": [plain(v) for v in equity.tolist()],
        "drawdown_pct": [plain(v) for v in drawdown.tolist()],
    }
    if benchmark is not None:
        out["benchmark"] = [plain(v) for v in benchmark.tolist()]
    return out


def buy_and_hold(
    index: np.ndarray,
    closes: dict[str, tuple[np.ndarray, np.ndarray]],
    weights: dict[str, float],
    cash: float,
) -> np.ndarray:
    """The equity of buying and holding: each symbol's share of ``cash`` (``weights``) bought at its
    first close of ``closes`` (``{symbol: (times, close)}``) and held, valued at each time of
    ``index`` (a symbol not trading yet holds its cash; later gaps keep its last close). The same
    benchmark ``engine.portfolio.combine`` measures ``buy_hold_return_pct`` against."""
    at = pd.DatetimeIndex(index)
    total = np.zeros(len(index))
    for symbol, (times, close) in closes.items():
        share = cash * weights[symbol]
        if len(close) == 0 or not close[0] > 0:
            total += share
            continue
        growth = pd.Series(close / close[0], index=pd.DatetimeIndex(times)).reindex(at).ffill().fillna(1.0)
        total += share * growth.to_numpy()
    return total


def reduce_backtest(job: Job, shards: list[Shard]) -> Outcome:
    import json

    from tradewind.engine.portfolio import combine, normalized_weights

    spec = job.spec
    bodies = read_shards(job, shards, "json")
    loaded = {shard.symbol: json.loads(bodies[shard.shard]) for shard in shards}
    bars = {shard.symbol: shard.bars() for shard in shards}
    results = {symbol: rebuild(job, loaded[symbol], bars[symbol]) for symbol in loaded}
    weights = normalized_weights(spec.symbols, spec.weights)
    portfolio = combine(results, bars, weights, spec.cash, 0.0)
    params = next(iter(results.values())).params if results else {}
    equity_index = portfolio.equity.index.to_numpy(dtype="datetime64[ns]")
    summary_file: dict[str, Any] = {
        "portfolio": plain_mapping(portfolio.metrics.to_dict()),
        "symbols": {symbol: symbol_metrics(loaded[symbol]) for symbol in loaded},
        "params": plain_mapping(params),
        "weights": plain_mapping(weights),
        "start": utc_time(equity_index[0]),
        "end": utc_time(equity_index[-1]),
    }
    trades = trade_list(results)
    closes = {symbol: (bars[symbol].index, bars[symbol].close) for symbol in results}
    curves = {
        "portfolio": curve(
            equity_index,
            portfolio.equity.to_numpy(),
            portfolio.drawdown.to_numpy(),
            buy_and_hold(equity_index, closes, weights, spec.cash),
        ),
        "symbols": {
            symbol: curve(
                result.index,
                result.equity_values,
                result.drawdown.to_numpy(),
                buy_and_hold(result.index, {symbol: closes[symbol]}, {symbol: weights[symbol]}, spec.cash),
            )
            for symbol, result in results.items()
        },
    }
    metrics = summary_file["portfolio"]
    summary = {name: metrics.get(name) for name in ("return_pct", "sharpe", "max_drawdown_pct", "trades")}
    files = {
        artifacts.RESULT_SUMMARY: (strict_json(summary_file), JSON_TYPE),
        artifacts.RESULT_TRADES: (strict_json(trades), JSON_TYPE),
        artifacts.RESULT_CURVES: (strict_json(curves), JSON_TYPE),
    }
    return Outcome(files, summary)


def trade_list(results: dict[str, BacktestResult]) -> list[dict[str, Any]]:
    """Every symbol's trades, by entry time (symbols in the spec's order on the same bar)."""
    from tradewind.engine.trades import EXIT_REASONS

    rows: list[tuple[np.datetime64, int, dict[str, Any]]] = []
    for position, (symbol, result) in enumerate(results.items()):
        t = result.trade_arrays
        entry_times, exit_times = result.index[t.entry_idx], result.index[t.exit_idx]
        entry_text, exit_text = utc_times(entry_times), utc_times(exit_times)
        for i in range(len(t)):
            rows.append(
                (
                    entry_times[i],
                    position,
                    {
                        "symbol": symbol,
                        "entry_time": entry_text[i],
                        "exit_time": exit_text[i],
                        "entry_price": plain(t.entry_price[i]),
                        "exit_price": plain(t.exit_price[i]),
                        "size": plain(t.size[i]),
                        "pnl": plain(t.pnl[i]),
                        "return_pct": plain(t.return_pct[i]),
                        "fees": plain(t.fees[i]),
                        "duration_bars": int(t.exit_idx[i] - t.entry_idx[i]),
                        "exit_reason": EXIT_REASONS[int(t.exit_reason[i])],
                        "is_open": bool(t.is_open[i]),
                    },
                )
            )
    rows.sort(key=lambda row: (row[0], row[1]))
    return [row[2] for row in rows]
