"""What a client asks of the pipeline and what a run executes; pydantic only (the API imports it).

``PipelineRunRequest`` (``POST /pipeline/runs``) names things: a universe, a strategy source. The
API resolves it into a self-contained ``PipelineSpec`` (``spec.json``, read by every worker):
the strategy document itself, the symbols, the period and the timeframe. ``BatchMessage`` is one SQS
message: a batch of symbols and where their bars are.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from tradewind.marketdata.universe import SYMBOL_PATTERN
from tradewind.strategy.limits import MAGNITUDE, MODEL_CONFIG, Number
from tradewind.strategy.models import Strategy
from tradewind.text import Name

Mode = Literal["demo", "small", "full"]
Timeframe = Literal["1d", "1w", "1mo", "intraday"]
UniverseKind = Literal["sample", "dataset", "watchlist", "symbols"]
MODE_SYMBOLS: dict[str, int | None] = {"demo": 5, "small": 50, "full": None}
"""How many symbols of the universe (in its order) each mode scans; ``full`` scans all of them."""
MAX_SYMBOLS = 5000
"""The largest universe a run scans (a dataset's or a listed one)."""
MAX_PARAMS = 64

Symbol = Annotated[str, Field(pattern=SYMBOL_PATTERN.pattern)]
DatasetId = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
ObjectId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class _Model(BaseModel):
    model_config = MODEL_CONFIG


class UniverseRequest(_Model):
    """Which symbols: the sample universe, a whole dataset, a watchlist's or listed symbols (the last
    two with the dataset their bars come from)."""

    kind: UniverseKind = "sample"
    dataset_id: DatasetId | None = None
    watchlist_id: ObjectId | None = None
    symbols: list[Symbol] | None = Field(default=None, min_length=1, max_length=MAX_SYMBOLS)


class StrategyChoice(_Model):
    """A stored strategy (``strategy_id``, latest version unless ``strategy_version``), a template by
    name, or an inline document; exactly one. ``params`` override the strategy's defaults."""

    strategy_id: ObjectId | None = None
    strategy_version: int | None = Field(default=None, ge=1, le=MAGNITUDE)
    template: str | None = Field(default=None, min_length=1, max_length=64)
    strategy: Strategy | None = None
    params: dict[str, Number] = Field(default_factory=dict, max_length=MAX_PARAMS)


class PipelineRunRequest(StrategyChoice):
    """``POST /pipeline/runs``: scan a universe over a period (inclusive UTC dates) and timeframe."""

    universe: UniverseRequest = Field(default_factory=UniverseRequest)
    mode: Mode = "full"
    timeframe: Timeframe = "1d"
    start: date | None = None
    end: date | None = None
    name: Name | None = Field(default=None, max_length=200)


class ScanRequest(StrategyChoice):
    """``POST /pipeline/scan``: one dataset's signals in one call (the signal explorer)."""

    dataset_id: DatasetId
    symbols: list[Symbol] | None = Field(default=None, min_length=1, max_length=50)
    timeframe: Timeframe = "1d"
    start: date | None = None
    end: date | None = None
    limit: int = Field(default=1000, ge=1, le=5000)


class PipelineSpec(_Model):
    """A resolved run: what every worker reads from ``spec.json``."""

    strategy: Strategy
    strategy_id: str | None = None
    strategy_version: int | None = None
    template: str | None = None
    params: dict[str, Number] = Field(default_factory=dict)
    dataset_id: str
    universe: str  # the key breadth history is kept under (docs/pipeline.md)
    mode: Mode
    timeframe: Timeframe
    start: date | None = None
    end: date | None = None
    symbols: list[str]
    batch_size: int

    def content_hash(self) -> str:
        payload: dict[str, Any] = self.model_dump(mode="json", exclude={"strategy_id", "batch_size"})
        return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


class BatchSymbol(_Model):
    symbol: str
    key: str  # its bars object in the data bucket


class BatchMessage(_Model):
    """One SQS message: batch ``batch`` of run ``job_id``."""

    tenant_id: str
    job_id: str
    batch: int = Field(ge=0)
    symbols: list[BatchSymbol] = Field(min_length=1)
