"""What every workflow step reads: the job's record and spec, its combinations, the symbols' bars.

Specs never change for a job id and published bars never change for an object key, so both are
cached in-process: a warm worker that runs many shards of one job reads ``spec.json``, expands the
parameter space and loads a symbol's bars once. The expansion is deterministic (the grid, or a
sample drawn with the spec's seed), so every worker slices the same combinations by index.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

from tradewind.engine.api import load_strategy, single_params
from tradewind.engine.bars import Bars
from tradewind.jobs.errors import JobInputError
from tradewind.jobs.spec import JobSpec, WalkForward
from tradewind.strategy.models import Strategy
from tradewind.strategy.space import expand

_DAY = np.timedelta64(1, "D")
_NS = np.timedelta64(1, "ns")


@dataclass(frozen=True)
class Job:
    """A job's immutable inputs: the spec and its validated strategy."""

    tenant_id: str
    job_id: str
    spec: JobSpec
    strategy: Strategy

    @functools.cached_property
    def combinations(self) -> dict[str, np.ndarray]:
        """The combinations a job evaluates, as equal-length columns (index = combination number)."""
        return combinations(self.spec, self.strategy)

    @property
    def n_combinations(self) -> int:
        columns = self.combinations
        return len(next(iter(columns.values()))) if columns else 1

    def params(self, combination: int) -> dict[str, int | float]:
        """One combination's parameter values, typed as the strategy declares them."""
        return {
            name: int(col[combination])
            if self.strategy.parameters[name].type == "int"
            else float(col[combination])
            for name, col in self.combinations.items()
        }


@functools.lru_cache(maxsize=8)
def load_job(tenant_id: str, job_id: str) -> Job:
    """The job's spec from ``spec.json`` (cached: a spec never changes)."""
    from tradewind.jobs.store import read_spec

    spec = read_spec(tenant_id, job_id)
    if spec is None:
        raise JobInputError(f"job {job_id} has no spec.json")
    return Job(tenant_id, job_id, spec, load_strategy(spec.strategy))


def combinations(spec: JobSpec, strategy: Strategy) -> dict[str, np.ndarray]:
    """A backtest's one combination; an optimization's grid (constraints applied) or, with ``samples``,
    that many combinations drawn from it without replacement with ``seed``, kept in grid order."""
    if spec.kind == "backtest":
        return single_params(strategy, spec.params)
    columns = expand(strategy, spec.space, spec.constraints)
    size = len(next(iter(columns.values()))) if columns else 1
    if size == 0:
        raise JobInputError("no combination of the parameter space satisfies the constraints")
    if spec.samples is not None and spec.samples < size and columns:
        picked = np.sort(np.random.default_rng(spec.seed).choice(size, spec.samples, replace=False))
        columns = {name: col[picked] for name, col in columns.items()}
    return columns


def object_keys(tenant_id: str, spec: JobSpec) -> dict[str, str]:
    """Each symbol's bars object in the spec's dataset, in the spec's order."""
    from tradewind.data.marketdata import SymbolRecord

    keys = [SymbolRecord.key(tenant_id, symbol, spec.dataset_id) for symbol in spec.symbols]
    found = {record.symbol: record.object_key for record in SymbolRecord.batch_get(keys)}
    missing = [symbol for symbol in spec.symbols if symbol not in found]
    if missing:
        raise JobInputError(f"not in dataset {spec.dataset_id}: {', '.join(missing)}")
    return {symbol: found[symbol] for symbol in spec.symbols}


def period(spec: JobSpec) -> tuple[np.datetime64 | None, np.datetime64 | None]:
    """The spec's period as inclusive bar-time bounds: ``start`` from midnight, ``end`` to its last
    nanosecond; ``None`` where the spec leaves it open."""
    first = np.datetime64(spec.start, "ns") if spec.start else None
    last = np.datetime64(spec.end, "ns") + _DAY - _NS if spec.end else None
    return first, last


@functools.lru_cache(maxsize=64)
def _all_bars(key: str) -> Bars:
    """A symbol's whole published object as arrays; this is the only cache of it (``read_bars`` would
    keep a second copy as a DataFrame)."""
    from tradewind.data.bars import read_object
    from tradewind.marketdata.parquet import from_parquet_bytes

    return Bars.from_frame(from_parquet_bytes(read_object(key)))


def bars_between(symbol: str, key: str, first: np.datetime64 | None, last: np.datetime64 | None) -> Bars:
    """The symbol's bars with ``first <= time <= last`` (views into the cached arrays)."""
    bars = _all_bars(key)
    lo = 0 if first is None else int(np.searchsorted(bars.index, first, side="left"))
    hi = len(bars) if last is None else int(np.searchsorted(bars.index, last, side="right"))
    if hi - lo < 2:
        bounded = first is not None or last is not None
        where = f"between {_day(first, 'the start')} and {_day(last, 'the end')}" if bounded else "in total"
        raise JobInputError(f"{symbol} has {max(hi - lo, 0)} bars {where}; at least 2 are needed")
    return Bars(
        bars.index[lo:hi],
        bars.open[lo:hi],
        bars.high[lo:hi],
        bars.low[lo:hi],
        bars.close[lo:hi],
        bars.volume[lo:hi],
    )


def _day(value: np.datetime64 | None, open_end: str) -> str:
    return open_end if value is None else str(value.astype("datetime64[D]"))


def _time(value: str | None) -> np.datetime64 | None:
    return None if value is None else np.datetime64(value, "ns")


def iso(value: np.datetime64) -> str:
    """A bar time as ISO 8601 (naive UTC, as the bars store it)."""
    return str(value.astype("datetime64[ns]"))


@dataclass(frozen=True)
class Window:
    """One walk-forward window: optimize on the train bars, test the winner on the test bars."""

    number: int
    train_first: np.datetime64
    train_last: np.datetime64
    test_first: np.datetime64
    test_last: np.datetime64


def windows(timeline: np.ndarray, walk_forward: WalkForward) -> list[Window]:
    """Rolling windows over ``timeline`` (the sorted union of the symbols' bar times): window ``w``
    trains on ``train_bars`` bars from ``w * step`` and tests on the next ``test_bars``."""
    train, test = walk_forward.train_bars, walk_forward.test_bars
    step = walk_forward.step_bars or test
    found = []
    for number, start in enumerate(range(0, len(timeline) - train - test + 1, step)):
        found.append(
            Window(
                number,
                timeline[start],
                timeline[start + train - 1],
                timeline[start + train],
                timeline[start + train + test - 1],
            )
        )
    if not found:
        raise JobInputError(
            f"walk_forward needs train_bars + test_bars = {train + test} bars; the period has {len(timeline)}"
        )
    return found


def timeline(spec: JobSpec, keys: dict[str, str]) -> np.ndarray:
    """The sorted union of every symbol's bar times in the spec's period."""
    first, last = period(spec)
    return np.unique(np.concatenate([bars_between(s, k, first, last).index for s, k in keys.items()]))


@dataclass(frozen=True)
class Shard:
    """One manifest item: a symbol, a slice ``[lo, hi)`` of the combinations, bars ``first..last``
    (a walk-forward window's train bars, or the whole period)."""

    shard: int
    symbol: str
    key: str
    lo: int
    hi: int
    first: str | None  # None: from the first bar
    last: str | None  # None: to the last bar
    window: int | None = None

    def as_item(self) -> dict[str, Any]:
        return {
            "shard": self.shard,
            "symbol": self.symbol,
            "key": self.key,
            "lo": self.lo,
            "hi": self.hi,
            "first": self.first,
            "last": self.last,
            "window": self.window,
        }

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Shard:
        return cls(
            shard=int(item["shard"]),
            symbol=str(item["symbol"]),
            key=str(item["key"]),
            lo=int(item["lo"]),
            hi=int(item["hi"]),
            first=item.get("first"),
            last=item.get("last"),
            window=None if item.get("window") is None else int(item["window"]),
        )

    @property
    def combos(self) -> int:
        return self.hi - self.lo

    def bars(self) -> Bars:
        return bars_between(self.symbol, self.key, _time(self.first), _time(self.last))
