"""``POST /pipeline/scan``, the signal explorer: one dataset's signals in one call, no run.

For the researcher who brings a file: once its import is ready, the dataset (all its symbols, or up
to 50 listed) is scanned in the request itself with the same domain a run's workers use
(:mod:`batch`), bounded so it answers within the API's time (``MAX_SCAN_BARS``; a larger universe is
a pipeline run). The answer is the signal table (newest first, up to ``limit`` rows) and counts; the
symbol's candles come from ``GET /symbols/{symbol}/candles`` with the same dataset.
"""

from __future__ import annotations

from typing import Any

from tradewind.errors import FieldProblem, InvalidInput
from tradewind.pipeline import resolve
from tradewind.pipeline.spec import ScanRequest

MAX_SCAN_SYMBOLS = 50
MAX_SCAN_BARS = 500_000
"""Bars (over all symbols, before the period cut) one scan may read: ~150 symbol-years of daily bars."""


def scan_dataset(tenant_id: str, request: ScanRequest) -> dict[str, Any]:
    from tradewind.data.bars import read_bars
    from tradewind.pipeline import batch, results
    from tradewind.pipeline.spec import PipelineSpec

    chosen = resolve.strategy(tenant_id, request)
    resolve.dataset(tenant_id, request.dataset_id, ["body", "dataset_id"])
    if request.symbols is None:
        rows = resolve.dataset_rows(tenant_id, request.dataset_id)
        if len(rows) > MAX_SCAN_SYMBOLS:
            msg = (
                f"the dataset has {len(rows)} symbols; a scan takes at most {MAX_SCAN_SYMBOLS} "
                "(list them, or start a pipeline run)"
            )
            raise InvalidInput(msg, [FieldProblem(["body", "symbols"], msg, "too_large")])
    else:
        locs: list[resolve.Loc] = [["body", "symbols", i] for i in range(len(request.symbols))]
        rows, problems = resolve.listed_rows(tenant_id, request.dataset_id, request.symbols, locs)
        if problems:
            raise InvalidInput("Some symbols cannot be scanned.", problems)
    bars = sum(int(r.rows) for r in rows)
    if bars > MAX_SCAN_BARS:
        msg = f"the symbols hold {bars} bars; a scan reads at most {MAX_SCAN_BARS} (start a pipeline run)"
        raise InvalidInput(msg, [FieldProblem(["body", "symbols"], msg, "too_large")])
    resolve.period(request.start, request.end, rows)
    resolve.timeframe_fits(request.timeframe, rows, ["body", "timeframe"])
    spec = PipelineSpec(
        strategy=chosen.strategy,
        params=dict(request.params),
        dataset_id=request.dataset_id,
        universe=f"scan-{request.dataset_id}",
        mode="full",
        timeframe=request.timeframe,
        start=request.start,
        end=request.end,
        symbols=[r.symbol for r in rows],
        batch_size=len(rows),
    )
    found, _ = batch.run(spec, ((r.symbol, r.object_key) for r in rows), read_bars)
    ordered = results.select(results.Table(found), results.SignalQuery())
    return {
        "dataset_id": request.dataset_id,
        "strategy_name": chosen.name,
        "timeframe": request.timeframe,
        "symbols": [r.symbol for r in rows],
        "total": len(ordered),
        "truncated": len(ordered) > request.limit,
        "by_action": {str(k): int(v) for k, v in ordered["action"].value_counts().sort_index().items()},
        "by_symbol": {str(k): int(v) for k, v in ordered["symbol"].value_counts().sort_index().items()},
        "signals": results.rows(ordered.iloc[: request.limit]),
    }
