"""Checking a pipeline request against what the tenant has: every problem is a 4xx naming its field.

Shared by ``POST /pipeline/runs`` (:mod:`submit`) and ``POST /pipeline/scan`` (:mod:`scan`). Nothing
is written here; pynamodb loads on first use and pandas never does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tradewind.errors import Conflict, FieldProblem, InvalidInput, NotFound
from tradewind.marketdata.universe import SAMPLE_DATASET_ID
from tradewind.pipeline.spec import (
    MAX_SYMBOLS,
    MODE_SYMBOLS,
    PipelineRunRequest,
    StrategyChoice,
    UniverseRequest,
)
from tradewind.strategy.models import Strategy

if TYPE_CHECKING:
    from tradewind.data.marketdata import DatasetRecord, SymbolRecord

Loc = list[str | int]
_LISTED = 5
INTRADAY_BARS_PER_DAY = 1.5
"""A dataset whose bars come more often than this per calendar day holds intraday bars."""


@dataclass(frozen=True)
class ChosenStrategy:
    strategy: Strategy
    strategy_id: str | None
    strategy_version: int | None
    template: str | None
    name: str


@dataclass(frozen=True)
class ChosenUniverse:
    dataset_id: str
    key: str  # breadth history key
    rows: list[SymbolRecord]  # the symbols scanned, in the universe's order


def strategy(tenant_id: str, choice: StrategyChoice) -> ChosenStrategy:
    """The document to run, checked with its ``params``; 404 for a stored one that does not exist."""
    from tradewind.jobs.spec import StrategySource
    from tradewind.jobs.submit import param_problems, resolve_strategy
    from tradewind.services.strategies import builtin_template

    given = [name for name in ("strategy_id", "template", "strategy") if getattr(choice, name) is not None]
    if len(given) != 1:
        msg = "give exactly one of strategy_id, template or strategy"
        raise InvalidInput(
            msg, [FieldProblem(["body", name], msg, "value_error") for name in given or ["strategy_id"]]
        )
    if choice.strategy_version is not None and choice.strategy_id is None:
        msg = "strategy_version needs strategy_id"
        raise InvalidInput(msg, [FieldProblem(["body", "strategy_version"], msg, "value_error")])
    if choice.template is not None:
        doc = builtin_template(choice.template, InvalidInput, ["body", "template"])
        chosen = ChosenStrategy(doc, None, None, choice.template, doc.name)
    else:
        source = StrategySource(
            strategy_id=choice.strategy_id, strategy_version=choice.strategy_version, strategy=choice.strategy
        )
        doc, strategy_id, version, name = resolve_strategy(tenant_id, source)
        chosen = ChosenStrategy(doc, strategy_id, version, None, name)
    problems = param_problems(chosen.strategy, choice.params)
    if problems:
        raise InvalidInput("The parameters are invalid.", problems)
    return chosen


def dataset(tenant_id: str, dataset_id: str, loc: Loc) -> DatasetRecord:
    """The tenant's ready dataset: 404 or 409 naming ``loc``."""
    from tradewind.data.marketdata import READY
    from tradewind.services.datasets import get_dataset

    try:
        record = get_dataset(tenant_id, dataset_id)
    except NotFound as exc:
        raise NotFound(exc.detail, [FieldProblem(loc, "no such dataset", "not_found")]) from None
    if record.status != READY:
        detail = f"dataset {dataset_id!r} is {record.status}, not ready"
        raise Conflict(detail, [FieldProblem(loc, f"the dataset is {record.status}", "not_ready")])
    return record


def dataset_rows(tenant_id: str, dataset_id: str) -> list[SymbolRecord]:
    """Every symbol of a dataset, by symbol."""
    from tradewind.data.marketdata import SymbolRecord

    hash_key, prefix = SymbolRecord.dataset_index_key(tenant_id, dataset_id)
    rows = SymbolRecord.gsi1.query(hash_key, SymbolRecord.gsi1sk.startswith(prefix))
    return sorted(rows, key=lambda row: row.symbol)


def listed_rows(
    tenant_id: str, dataset_id: str, symbols: Sequence[str], locs: Sequence[Loc]
) -> tuple[list[SymbolRecord], list[FieldProblem]]:
    """The rows of ``symbols`` in the dataset (in their order), and a problem for each missing or
    repeated one at its ``loc``."""
    from tradewind.data.marketdata import SymbolRecord

    keys = [SymbolRecord.key(tenant_id, s, dataset_id) for s in dict.fromkeys(symbols)]
    found = {row.symbol: row for row in SymbolRecord.batch_get(keys)}
    problems, seen = [], set()
    for symbol, loc in zip(symbols, locs, strict=True):
        if symbol in seen:
            problems.append(FieldProblem(loc, f"{symbol} is listed twice", "duplicate"))
        elif symbol not in found:
            problems.append(FieldProblem(loc, f"{symbol} is not in dataset {dataset_id!r}", "unknown_symbol"))
        seen.add(symbol)
    return [found[s] for s in dict.fromkeys(symbols) if s in found], problems


def universe(tenant_id: str, request: PipelineRunRequest) -> ChosenUniverse:
    """The symbols a run scans (cut to its mode), their dataset, and the universe's key."""
    u = request.universe
    required = {
        "dataset": ["dataset_id"],
        "watchlist": ["dataset_id", "watchlist_id"],
        "symbols": ["dataset_id", "symbols"],
    }
    missing = [
        FieldProblem(["body", "universe", name], f"required for a {u.kind} universe", "missing")
        for name in required.get(u.kind, [])
        if getattr(u, name) is None
    ]
    extra = _extra_fields(u)
    if missing or extra:
        raise InvalidInput("The universe is incomplete.", missing + extra)
    dataset_id = SAMPLE_DATASET_ID if u.kind == "sample" else str(u.dataset_id)
    loc: Loc = ["body", "universe", "kind" if u.kind == "sample" else "dataset_id"]
    dataset(tenant_id, dataset_id, loc)
    if u.kind in ("sample", "dataset"):
        rows = dataset_rows(tenant_id, dataset_id)
        key = "sample" if u.kind == "sample" else f"dataset-{dataset_id}"
    elif u.kind == "watchlist":
        rows, key = _watchlist_rows(tenant_id, dataset_id, str(u.watchlist_id))
    else:
        symbols = list(u.symbols or [])
        rows, problems = listed_rows(
            tenant_id, dataset_id, symbols, [["body", "universe", "symbols", i] for i in range(len(symbols))]
        )
        if problems:
            raise InvalidInput("Some symbols cannot be scanned.", problems)
        digest = hashlib.sha256(",".join(symbols).encode()).hexdigest()[:12]
        key = f"symbols-{dataset_id}-{digest}"
    if not rows:
        raise InvalidInput(
            "The universe is empty.", [FieldProblem(loc, "the universe has no symbols", "empty")]
        )
    if len(rows) > MAX_SYMBOLS:
        msg = f"the universe has {len(rows)} symbols; a run scans at most {MAX_SYMBOLS}"
        raise InvalidInput(msg, [FieldProblem(loc, msg, "too_large")])
    limit = MODE_SYMBOLS[request.mode]
    if limit is not None and limit < len(rows):
        rows, key = rows[:limit], f"{key}-{request.mode}"
    period(request.start, request.end, rows)
    timeframe_fits(request.timeframe, rows, ["body", "timeframe"])
    return ChosenUniverse(dataset_id, key, rows)


def _extra_fields(u: UniverseRequest) -> list[FieldProblem]:
    allowed = {
        "sample": set(),
        "dataset": {"dataset_id"},
        "watchlist": {"dataset_id", "watchlist_id"},
        "symbols": {"dataset_id", "symbols"},
    }[u.kind]
    return [
        FieldProblem(["body", "universe", name], f"not used by a {u.kind} universe", "extra_forbidden")
        for name in ("dataset_id", "watchlist_id", "symbols")
        if name not in allowed and getattr(u, name) is not None
    ]


def _watchlist_rows(tenant_id: str, dataset_id: str, watchlist_id: str) -> tuple[list[SymbolRecord], str]:
    from tradewind.services.watchlists import get_watchlist

    loc: Loc = ["body", "universe", "watchlist_id"]
    try:
        symbols = get_watchlist(tenant_id, watchlist_id).symbols
    except NotFound as exc:
        raise NotFound(exc.detail, [FieldProblem(loc, "no such watchlist", "not_found")]) from None
    rows, problems = listed_rows(tenant_id, dataset_id, symbols, [loc] * len(symbols))
    if problems:
        raise InvalidInput("Some watchlist symbols cannot be scanned.", problems)
    return rows, f"watchlist-{watchlist_id}-{dataset_id}"


def period(start: date | None, end: date | None, rows: Sequence[SymbolRecord]) -> None:
    """``start`` before ``end``, and some symbol with bars between them (inclusive UTC dates)."""
    if start and end and start >= end:
        raise InvalidInput(
            "The period is empty.", [FieldProblem(["body", "end"], "end must be after start", "value_error")]
        )
    covered = [
        r
        for r in rows
        if (start is None or r.end_at.date() >= start) and (end is None or r.start_at.date() <= end)
    ]
    if not covered:
        first, last = min(r.start_at for r in rows).date(), max(r.end_at for r in rows).date()
        msg = f"no symbol has bars in this period (they span {first} to {last})"
        raise InvalidInput(msg, [FieldProblem(["body", "start" if start else "end"], msg, "empty_period")])


def timeframe_fits(timeframe: str, rows: Sequence[SymbolRecord], loc: Loc) -> None:
    """``intraday`` needs bars more often than daily (read off the symbols' counts and spans)."""
    if timeframe != "intraday":
        return
    row = max(rows, key=lambda r: int(r.rows))
    days = max((row.end_at - row.start_at) / timedelta(days=1), 1.0)
    if int(row.rows) / days <= INTRADAY_BARS_PER_DAY:
        msg = "the data holds daily (or longer) bars: choose 1d, 1w or 1mo"
        raise InvalidInput(msg, [FieldProblem(loc, msg, "not_intraday")])
