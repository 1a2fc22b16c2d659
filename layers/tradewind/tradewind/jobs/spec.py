"""What a client asks for (``BacktestRequest``, ``OptimizationRequest``) and what a job runs (``JobSpec``).

A request names things (a strategy id and version, a watchlist); the API resolves them into a
``JobSpec`` that is self-contained: the strategy document itself, the symbols, the dataset. The spec
is stored with the job (``spec.json``), read by every workflow step, and hashed for the result
cache, so an identical request (same strategy version, data version and settings) finds the same
hash. Only pydantic here: the API Lambda imports this module and must not load pandas.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from tradewind.marketdata.universe import SYMBOL_PATTERN
from tradewind.strategy.limits import FINITE_PARTS, MAGNITUDE, MODEL_CONFIG, Count, Finite, Number
from tradewind.strategy.models import Constraint, Costs, Strategy
from tradewind.text import Name

JobKind = Literal["import", "backtest", "optimization", "pipeline", "command", "workflow"]
# ``import``: a dataset import, recorded as a job by the import use case (docs/jobs.md); ``command``:
# a run of a catalogue command (tradewind.commands.runs, docs/commands.md); ``workflow``: a run of a
# saved workflow's steps (tradewind.workflows, docs/workflows.md).
JobStatus = Literal["queued", "running", "paused", "succeeded", "failed", "cancelled", "stopped"]
# ``stopped``: a pipeline run asked to stop ends with what it had finished (docs/pipeline.md).
# ``paused``: an optimization or pipeline run that starts no new shard until resumed (jobs.pause).
FINAL_STATUSES: frozenset[str] = frozenset({"succeeded", "failed", "cancelled", "stopped"})

Symbol = Annotated[str, Field(pattern=SYMBOL_PATTERN.pattern)]  # any symbol a dataset can hold
SpaceValue = Annotated[Number | list[Number] | dict[str, Number], FINITE_PARTS]
"""A parameter's values in a sweep: one value, a list, or ``{"min", "max", "step"}`` (its size and
keys are checked by ``tradewind.strategy.space``, which also serves the Python API)."""


class _Model(BaseModel):
    model_config = MODEL_CONFIG


class StrategySource(_Model):
    """Which strategy to run: a stored one (``strategy_id``, latest version unless ``strategy_version``)
    or an inline ``strategy`` document. Exactly one of the two."""

    strategy_id: str | None = Field(default=None, min_length=1, max_length=64)
    strategy_version: int | None = Field(default=None, ge=1, le=MAGNITUDE)
    strategy: Strategy | None = None

    @model_validator(mode="after")
    def _one_source(self) -> StrategySource:
        if (self.strategy_id is None) == (self.strategy is None):
            raise ValueError("give exactly one of strategy_id or an inline strategy document")
        if self.strategy_version is not None and self.strategy_id is None:
            raise ValueError("strategy_version needs strategy_id")
        return self


class Universe(_Model):
    """Which bars: a dataset, and symbols listed or taken from a watchlist (one of the two)."""

    dataset_id: str = Field(min_length=1, max_length=40)
    symbols: list[Symbol] | None = Field(default=None, min_length=1, max_length=500)
    watchlist_id: str | None = Field(default=None, min_length=1, max_length=64)
    start: date | None = None
    end: date | None = None

    @model_validator(mode="after")
    def _one_list(self) -> Universe:
        if (self.symbols is None) == (self.watchlist_id is None):
            raise ValueError("give exactly one of symbols or watchlist_id")
        if self.start and self.end and self.start >= self.end:
            raise ValueError("start must be before end")
        return self


class Settings(_Model):
    """Money and costs; ``costs`` replaces the strategy document's costs when given."""

    cash: float = Field(default=10_000.0, gt=0, le=1e12)
    costs: Costs | None = None
    weights: dict[str, Finite] | None = None  # portfolio weights by symbol; equal by default


class BacktestRequest(StrategySource, Universe, Settings):
    """``POST /backtests``: one parameter set (``params`` override the strategy's defaults)."""

    params: dict[str, Number] = Field(default_factory=dict)
    name: Name | None = Field(default=None, max_length=200)
    force: bool = False  # run even if an identical request has a stored result


class WalkForward(_Model):
    """Rolling windows, in bars: optimize on ``train_bars``, then test the winner on the next
    ``test_bars`` (``tradewind.jobs.inputs.windows`` cuts them)."""

    train_bars: int = Field(ge=50, le=MAGNITUDE)
    test_bars: int = Field(ge=10, le=MAGNITUDE)
    # default: test_bars (back-to-back test windows)
    step_bars: int | None = Field(default=None, ge=1, le=MAGNITUDE)


class Objective(_Model):
    """The metric to rank by (any metric id of ``tradewind.metrics``) and which way is better."""

    metric: str = "sharpe"
    direction: Literal["maximize", "minimize"] = "maximize"


class OptimizationRequest(StrategySource, Universe, Settings):
    """``POST /optimizations`` (and ``/optimizations/estimate``, which runs nothing)."""

    space: dict[str, SpaceValue] = Field(default_factory=dict)  # empty: the strategy's own ranges
    samples: int | None = Field(default=None, ge=1, le=MAGNITUDE)  # a random sample of N instead of the grid
    seed: Count = 0  # numpy's generator takes no negative seed
    objective: Objective = Field(default_factory=Objective)
    constraints: list[Constraint] = Field(default_factory=list)
    min_trades: Count = 0
    walk_forward: WalkForward | None = None
    metrics: Literal["screening", "full"] = "full"
    top_n: int = Field(default=50, ge=1, le=1000)
    name: Name | None = Field(default=None, max_length=200)
    force: bool = False


class JobSpec(_Model):
    """A resolved, self-contained job: what every workflow step reads from ``spec.json``."""

    kind: JobKind
    strategy: Strategy
    strategy_id: str | None = None
    strategy_version: int | None = None
    dataset_id: str
    dataset_version: str  # changes whenever the dataset's data could have changed (its updated_at)
    symbols: list[str]
    start: date | None = None
    end: date | None = None
    cash: float = 10_000.0
    weights: dict[str, float] | None = None
    params: dict[str, Number] = Field(default_factory=dict)  # backtest
    space: dict[str, SpaceValue] = Field(default_factory=dict)  # optimization
    samples: int | None = None
    seed: int = 0
    objective: Objective = Field(default_factory=Objective)
    constraints: list[Constraint] = Field(default_factory=list)
    min_trades: int = 0
    walk_forward: WalkForward | None = None
    metrics: Literal["screening", "full"] = "full"
    top_n: int = 50

    def content_hash(self) -> str:
        """Identical work gives an identical hash (the job's name and ids play no part)."""
        payload: dict[str, Any] = self.model_dump(mode="json", exclude={"strategy_id"})
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()
