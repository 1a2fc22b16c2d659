"""The read side of finished jobs: what reduce wrote (formats in :mod:`tradewind.jobs.artifacts`).

Backtests: metrics per symbol and for the portfolio, trades a page at a time, equity and drawdown
curves cut to ``max_points``. Optimizations: the leaderboard, a heatmap of any two parameters, the
full table through a presigned download, the walk-forward report, and a drill-down that reruns one
combination as a full backtest. Backtests side by side. Each reader takes the job's record, read
once per request (:func:`tradewind.jobs.lifecycle.get_job`); a job that has not succeeded answers
409 naming its status. JSON artifacts are read without pandas; the heatmap (``table.parquet``) and
the drill-down (which expands the space as the workers did) load it on first use.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from tradewind.errors import FieldProblem, InvalidInput, NotFound
from tradewind.jobs import store
from tradewind.jobs.artifacts import (
    RESULT_CURVES,
    RESULT_LEADERBOARD,
    RESULT_SUMMARY,
    RESULT_TABLE_CSV,
    RESULT_TABLE_PARQUET,
    RESULT_TRADES,
    RESULT_WALK_FORWARD,
    result_key,
)
from tradewind.jobs.columns import COMBINATION, WF_WINDOW
from tradewind.jobs.lifecycle import JOB_ID_LOC, Loc, get_job, require_succeeded
from tradewind.jobs.spec import BacktestRequest
from tradewind.settings import get_settings

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord

Curve = dict[str, list[Any]]
Aggregate = Literal["max", "mean", "min"]
DOWNLOADS = {"csv": RESULT_TABLE_CSV, "parquet": RESULT_TABLE_PARQUET}
MAX_COMPARED = 10


def _artifact(record: JobRecord, name: str, loc: Loc = JOB_ID_LOC) -> Any:
    """A JSON result of a succeeded job (409 at ``loc`` before); a missing file is a broken job: 500."""
    require_succeeded(record, loc)
    found = store.get_json(result_key(record.tenant_id, record.job_id, name))
    if found is None:
        raise RuntimeError(f"job {record.job_id} succeeded but has no {name}")
    return found


# --- backtests ------------------------------------------------------------------------------------


def backtest_summary(record: JobRecord) -> dict[str, Any]:
    """``summary.json``: portfolio and per-symbol metrics, parameters, weights, period."""
    summary: dict[str, Any] = _artifact(record, RESULT_SUMMARY)
    return summary


def trades_page(
    record: JobRecord, offset: int, limit: int, symbol: str | None = None
) -> tuple[list[dict[str, Any]], int | None, int]:
    """Trades ``offset..offset+limit`` (of one symbol, or all) by entry time, the next offset
    (``None`` at the end) and how many trades there are."""
    trades: list[dict[str, Any]] = _artifact(record, RESULT_TRADES)
    if symbol is not None:
        trades = [t for t in trades if t.get("symbol") == symbol]
    page = trades[offset : offset + limit]
    following = offset + limit
    return page, (following if following < len(trades) else None), len(trades)


def curves(record: JobRecord, max_points: int | None, symbols: bool) -> dict[str, Any]:
    """The portfolio's (and each symbol's) equity and drawdown, each cut to ``max_points``."""
    found: dict[str, Any] = _artifact(record, RESULT_CURVES)

    def cut(curve: Curve) -> Curve:
        return curve if max_points is None else downsample_curve(curve, max_points)

    out: dict[str, Any] = {"portfolio": cut(found["portfolio"])}
    if symbols:
        out["symbols"] = {name: cut(curve) for name, curve in found.get("symbols", {}).items()}
    return out


def downsample_curve(curve: Curve, max_points: int) -> Curve:
    """At most ``max_points`` points that keep what an equity chart shows.

    The first point stays; the rest are cut into equal runs, each shown at its last time with its last
    equity (and buy-and-hold ``benchmark``, when the curve has one) and its deepest drawdown, so the
    worst drawdown and the final equity survive any cut.
    """
    if max_points < 2:
        raise ValueError("max_points must be at least 2")
    times, equity, drawdown = curve["time"], curve["equity"], curve["drawdown_pct"]
    n = len(times)
    if n <= max_points:
        return curve
    buckets = max_points - 1
    ends = [1 + ((i + 1) * (n - 1)) // buckets for i in range(buckets)]
    starts = [1, *ends[:-1]]
    deepest = [
        min((v for v in drawdown[a:b] if v is not None), default=None)
        for a, b in zip(starts, ends, strict=True)
    ]
    out: Curve = {
        "time": [times[0], *(times[b - 1] for b in ends)],
        "equity": [equity[0], *(equity[b - 1] for b in ends)],
        "drawdown_pct": [drawdown[0], *deepest],
    }
    benchmark = curve.get("benchmark")
    if benchmark is not None:
        out["benchmark"] = [benchmark[0], *(benchmark[b - 1] for b in ends)]
    return out


# --- optimizations --------------------------------------------------------------------------------


def leaderboard(record: JobRecord, limit: int | None) -> dict[str, Any]:
    """The top rows by the objective (``limit`` of the ``top_n`` stored), each with every metric."""
    board: dict[str, Any] = _artifact(record, RESULT_LEADERBOARD)
    if limit is not None:
        board = {**board, "rows": board["rows"][:limit]}
    return board


def walk_forward(record: JobRecord) -> dict[str, Any]:
    """Each window's in-sample winner and its out-of-sample metrics (404 without walk-forward)."""
    require_succeeded(record)
    report = store.get_json(result_key(record.tenant_id, record.job_id, RESULT_WALK_FORWARD))
    if report is None:
        raise NotFound(f"optimization {record.job_id!r} ran without walk_forward: no walk-forward report")
    result: dict[str, Any] = report
    return result


def download(record: JobRecord, file_format: str) -> dict[str, Any]:
    """A presigned GET of the full table (one row per combination and window)."""
    require_succeeded(record)
    job_id = record.job_id
    key = result_key(record.tenant_id, job_id, DOWNLOADS[file_format])
    if not store.exists(key):
        raise RuntimeError(f"job {job_id} succeeded but has no {DOWNLOADS[file_format]}")
    expires = get_settings().presign_expiry_seconds
    filename = f"optimization-{job_id}.{file_format}"
    return {
        "url": store.presigned_get(key, filename, expires),
        "method": "GET",
        "format": file_format,
        "filename": filename,
        "expires_in": expires,
    }


def wf_column(columns: Iterable[str], params: Iterable[str]) -> str | None:
    """The table's walk-forward window column: ``wf_window``, or ``window`` in a table written before
    it was namespaced (then no parameter is named ``window``: such a job could not finish); ``None``
    without walk-forward."""
    names, taken = set(columns), set(params)
    if WF_WINDOW in names:
        return WF_WINDOW
    return "window" if "window" in names and "window" not in taken else None


def heatmap(
    record: JobRecord, x: str, y: str, metric: str | None, agg: Aggregate, window: int | None
) -> dict[str, Any]:
    """``metric`` (default: the objective; a number, not the dates ``start``/``end``) over the grid
    of parameters ``x`` and ``y``: each cell is ``agg`` over the rows with that pair (the other
    parameters, walk-forward windows unless one is chosen); ``z[j][i]`` is the cell of
    ``y.values[j]`` and ``x.values[i]``, ``null`` where no row."""
    import numpy as np
    import pandas as pd
    from fastparquet import ParquetFile

    from tradewind.metrics.catalog import rankable

    require_succeeded(record)
    tenant_id, job_id = record.tenant_id, record.job_id
    spec = store.read_spec(tenant_id, job_id)
    if spec is None:
        raise RuntimeError(f"job {job_id} has no spec.json")
    metric = metric or spec.objective.metric
    raw = store.get_bytes(result_key(tenant_id, job_id, RESULT_TABLE_PARQUET))
    if raw is None:
        raise RuntimeError(f"job {job_id} succeeded but has no {RESULT_TABLE_PARQUET}")
    table = ParquetFile(io.BytesIO(raw))
    params = set(spec.strategy.parameters)
    problems = [
        FieldProblem(
            ["query", name], f"'{value}' is not a parameter of the strategy ({', '.join(sorted(params))})"
        )
        for name, value in (("x", x), ("y", y))
        if value not in params
    ]
    if x == y:
        problems.append(FieldProblem(["query", "y"], "must differ from x"))
    wf = wf_column(table.columns, params)
    metrics = rankable(c for c in table.columns if c not in {COMBINATION, wf, *params})
    if metric not in metrics:
        problems.append(
            FieldProblem(
                ["query", "metric"], f"'{metric}' is not a metric of the table ({', '.join(metrics)})"
            )
        )
    if window is not None and wf is None:
        problems.append(FieldProblem(["query", "window"], "this optimization ran without walk_forward"))
    if problems:
        raise InvalidInput("The heatmap request is invalid.", problems)
    columns = list(dict.fromkeys([x, y, metric, *([wf] if window is not None and wf else [])]))
    frame: pd.DataFrame = table.to_pandas(columns=columns)
    if window is not None and wf:
        frame = frame[frame[wf] == window]
        if frame.empty:
            raise InvalidInput("no such window", [FieldProblem(["query", "window"], f"no window {window}")])
    frame = frame[[x, y, metric]].astype({metric: np.float64})
    cells = frame.groupby([y, x])[metric].agg(agg)
    xs, ys = sorted(frame[x].unique().tolist()), sorted(frame[y].unique().tolist())
    grid = cells.unstack(x).reindex(index=ys, columns=xs)
    z = [[None if np.isnan(v) else float(v) for v in row] for row in grid.to_numpy(dtype=np.float64)]
    return {
        "x": {"param": x, "values": xs},
        "y": {"param": y, "values": ys},
        "metric": metric,
        "agg": agg,
        "window": window,
        "z": z,
    }


def table_page(
    record: JobRecord,
    sort: str | None,
    order: Literal["asc", "desc"] | None,
    offset: int,
    limit: int,
    window: int | None,
    where: list[str] | None = None,
) -> dict[str, Any]:
    """Rows ``offset..offset+limit`` of the full table (``table.parquet``: every combination, per
    walk-forward window when there are windows), sorted by ``sort`` (a parameter, a metric but the
    dates, ``combination`` or ``window``; default: the objective) in ``order`` (default: the
    objective's direction for it, else ascending). Rows without a value sort last either way; ties
    go to the lower combination, then window. ``window`` keeps one walk-forward window, ``where``
    (``["fast:10", "slow:40"]``) the rows whose parameters have those values (a heatmap's cell)."""
    import math

    import numpy as np
    import pandas as pd

    from tradewind.jobs.tables import plain
    from tradewind.marketdata.parquet import from_parquet_bytes
    from tradewind.metrics.catalog import rankable

    require_succeeded(record)
    tenant_id, job_id = record.tenant_id, record.job_id
    spec = store.read_spec(tenant_id, job_id)
    if spec is None:
        raise RuntimeError(f"job {job_id} has no spec.json")
    raw = store.get_bytes(result_key(tenant_id, job_id, RESULT_TABLE_PARQUET))
    if raw is None:
        raise RuntimeError(f"job {job_id} succeeded but has no {RESULT_TABLE_PARQUET}")
    frame: pd.DataFrame = from_parquet_bytes(raw)
    params = [name for name in spec.strategy.parameters if name in frame.columns]
    wf = wf_column(frame.columns, params)
    metrics = rankable(c for c in frame.columns if c not in {COMBINATION, wf, *params})
    windowed = wf is not None
    keys = list(dict.fromkeys([COMBINATION, *([WF_WINDOW] if windowed else []), *params, *metrics]))
    if wf is not None and wf != WF_WINDOW:
        frame = frame.rename(columns={wf: WF_WINDOW})
    objective = spec.objective
    column = sort or objective.metric
    problems = []
    if column not in keys:
        msg = f"'{column}' is not a column of the table ({', '.join(keys)})"
        problems.append(FieldProblem(["query", "sort"], msg))
    if window is not None and not windowed:
        problems.append(FieldProblem(["query", "window"], "this optimization ran without walk_forward"))
    equal: dict[str, float] = {}
    for i, condition in enumerate(where or []):
        name, _, text = condition.partition(":")
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if name not in params or not math.isfinite(value):
            msg = f"'{condition}' is not parameter:value with a parameter of {', '.join(params)}"
            problems.append(FieldProblem(["query", "where", i], msg))
        else:
            equal[name] = value
    if problems:
        raise InvalidInput("The table request is invalid.", problems)
    for name, value in equal.items():
        frame = frame[frame[name].to_numpy(dtype=np.float64) == value]
    if order is None:
        maximize = column == objective.metric and objective.direction == "maximize"
        order = "desc" if maximize else "asc"
    if window is not None:
        frame = frame[frame[WF_WINDOW] == window]
    frame = frame.reset_index(drop=True)
    values = frame[column].to_numpy(dtype=np.float64)
    missing = np.isnan(values)
    key = -values if order == "desc" else values
    ties = [frame[WF_WINDOW].to_numpy()] if windowed else []
    ranked = np.lexsort((*ties, frame["combination"].to_numpy(), np.where(missing, 0.0, key), missing))
    chosen = frame.iloc[ranked[offset : offset + limit]]
    rows = [
        {
            "combination": int(row["combination"]),
            "window": int(row[WF_WINDOW]) if windowed else None,
            "params": {name: plain(row[name]) for name in params},
            "metrics": {name: plain(row[name]) for name in metrics},
        }
        for row in chosen.to_dict("records")
    ]
    return {
        "params": params,
        "metrics": metrics,
        "windowed": windowed,
        "sort": column,
        "order": order,
        "total": len(frame),
        "offset": offset,
        "rows": rows,
    }


def combination_request(record: JobRecord, combination: int) -> BacktestRequest:
    """A backtest request for combination ``combination`` of a succeeded optimization: its strategy,
    symbols, dataset, period, cash and weights, with that combination's parameter values."""
    from tradewind.jobs.inputs import load_job

    require_succeeded(record)
    job = load_job(record.tenant_id, record.job_id)
    if not 0 <= combination < job.n_combinations:
        msg = f"combinations are numbered 0 to {job.n_combinations - 1}"
        raise NotFound(
            f"optimization {record.job_id!r} has no combination {combination}",
            [FieldProblem(["path", "n"], msg)],
        )
    spec = job.spec
    return BacktestRequest(
        strategy=spec.strategy,
        dataset_id=spec.dataset_id,
        symbols=list(spec.symbols),
        start=spec.start,
        end=spec.end,
        cash=spec.cash,
        weights=spec.weights,
        params=job.params(combination),
    )


# --- comparing backtests --------------------------------------------------------------------------


def compare_backtests(tenant_id: str, job_ids: list[str]) -> dict[str, Any]:
    """The portfolio metrics of succeeded backtests side by side, in the order asked.

    404 names an id that is not one of the tenant's backtests (``["query", "ids", i]``), 409 one that
    has not succeeded.
    """
    from tradewind.metrics.catalog import METRICS

    if not job_ids or len(job_ids) > MAX_COMPARED:
        msg = f"give 1 to {MAX_COMPARED} comma-separated backtest ids"
        raise InvalidInput("invalid ids", [FieldProblem(["query", "ids"], msg, "value_error")])
    jobs: list[JobRecord] = []
    for i, job_id in enumerate(job_ids):
        record = get_job(tenant_id, job_id, "backtest", ["query", "ids", i])
        require_succeeded(record, ["query", "ids", i])
        jobs.append(record)
    summaries = [_artifact(record, RESULT_SUMMARY) for record in jobs]
    portfolios = [summary.get("portfolio", {}) for summary in summaries]
    rows = [
        {"metric": m, "label": spec.label, "unit": spec.unit, "values": [p.get(m) for p in portfolios]}
        for m, spec in METRICS.items()
        if any(m in p for p in portfolios)
    ]
    columns = [
        {
            "job_id": r.job_id,
            "name": r.name,
            "strategy_name": r.strategy_name,
            "strategy_id": r.strategy_id,
            "strategy_version": None if r.strategy_version is None else int(r.strategy_version),
            "symbols": list(r.symbols),
            "params": summary.get("params", {}),
            "start": summary.get("start"),
            "end": summary.get("end"),
        }
        for r, summary in zip(jobs, summaries, strict=True)
    ]
    return {"backtests": columns, "metrics": rows}
