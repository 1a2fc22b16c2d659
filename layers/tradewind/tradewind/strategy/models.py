"""The declarative strategy document: pydantic models that are also the JSON wire format.

Structure only lives here (types, required fields, enums); cross-field rules that need the whole
document (references, cycles, ranges) live in ``validation`` so that every problem is reported at once.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from tradewind.strategy.limits import FINITE_FIRST, MAGNITUDE, MODEL_CONFIG, Number
from tradewind.text import Description, Name

PRICE_COLUMNS = ("open", "high", "low", "close", "volume")
IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]*$"


class _Model(BaseModel):
    """Strict base: unknown keys are errors, so a typo never silently disables a rule; every number
    is finite and within ``limits.MAGNITUDE``."""

    model_config = MODEL_CONFIG


class ParamRef(_Model):
    """A value taken from a strategy parameter (``{"param": "fast"}``), so it can be swept."""

    param: str


Value = Annotated[Number | ParamRef, FINITE_FIRST]
# A series: a price column, an indicator id, or ``id.output`` for multi-output indicators.
SeriesRef = Annotated[
    str, Field(min_length=1, pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")
]
Operand = Annotated[Number | ParamRef | SeriesRef, FINITE_FIRST]


class Parameter(_Model):
    """A tunable number: its default is used by a single backtest, its range or choices by a sweep.

    A parameter is a sweep dimension when it has ``choices`` or a ``step`` (with ``min`` and ``max``).
    """

    type: Literal["int", "float"] = "int"
    default: Number
    min: Number | None = None
    max: Number | None = None
    step: Number | None = None
    choices: list[Number] | None = None
    description: Description | None = None


class Constraint(_Model):
    """A relation between parameters that every swept combination must satisfy (``fast < slow``)."""

    left: str
    op: Literal["<", "<=", ">", ">=", "!="]
    right: Annotated[str | Number, FINITE_FIRST]


class Indicator(_Model):
    """One computed series: ``kind`` applied to ``source`` (a price column or another indicator)."""

    kind: Literal[
        "sma",
        "ema",
        "wma",
        "rsi",
        "macd",
        "bollinger",
        "atr",
        "stochastic",
        "roc",
        "donchian",
        "highest",
        "lowest",
        "volume_sma",
        "lag",
    ]
    source: SeriesRef = "close"
    params: dict[str, Value] = Field(default_factory=dict)


class Comparison(_Model):
    """``left op right`` evaluated on each bar's close; crosses compare with the previous bar too."""

    op: Literal[">", "<", ">=", "<=", "crosses_above", "crosses_below"]
    left: Operand
    right: Operand


class Between(_Model):
    """``lower <= left <= upper`` (inclusive)."""

    op: Literal["between"]
    left: Operand
    lower: Operand
    upper: Operand


class AllOf(_Model):
    op: Literal["all"]
    of: list[Condition] = Field(min_length=1)


class AnyOf(_Model):
    op: Literal["any"]
    of: list[Condition] = Field(min_length=1)


class Not(_Model):
    op: Literal["not"]
    of: Condition


Condition = Annotated[Comparison | Between | AllOf | AnyOf | Not, Field(discriminator="op")]


class Rule(_Model):
    """When ``when`` holds on a bar's close, ``action`` is ordered; ``priority`` settles conflicts."""

    id: Annotated[str, Field(pattern=IDENTIFIER)]
    when: Condition
    action: Literal["buy", "sell", "short", "cover", "close"]
    enabled: bool = True
    priority: int = Field(default=0, ge=-MAGNITUDE, le=MAGNITUDE)


class Sizing(_Model):
    """How many units an entry buys: all the equity, a fraction of it, or a fixed count."""

    mode: Literal["all_in", "fraction", "units"] = "all_in"
    value: Value | None = None
    fractional: bool = False


class RiskExit(_Model):
    """A distance from a reference price: ``pct`` percent of it, or ``atr`` multiples of the ATR."""

    pct: Value | None = None
    atr: Value | None = None


class Risk(_Model):
    stop_loss: RiskExit | None = None
    take_profit: RiskExit | None = None
    trailing_stop: RiskExit | None = None
    atr_window: Value = 14


class Costs(_Model):
    """Commission per side (a fraction of the notional and/or a fixed amount) and slippage."""

    commission: float = Field(default=0.0, ge=0, lt=1)
    commission_fixed: float = Field(default=0.0, ge=0, le=MAGNITUDE)
    slippage_bps: float = Field(default=0.0, ge=0, lt=10_000)


class Execution(_Model):
    """When orders fill: at the next bar's open (default) or at the signal bar's close."""

    fill: Literal["next_open", "close"] = "next_open"
    close_at_end: bool = False


class Strategy(_Model):
    """A complete, self-contained strategy document."""

    name: Name = Field(min_length=1, max_length=200)
    description: Description | None = None
    parameters: dict[Annotated[str, Field(pattern=IDENTIFIER)], Parameter] = Field(default_factory=dict)
    constraints: list[Constraint] = Field(default_factory=list)
    indicators: dict[Annotated[str, Field(pattern=IDENTIFIER)], Indicator] = Field(default_factory=dict)
    rules: list[Rule] = Field(min_length=1)
    direction: Literal["long_only", "short_only", "long_short"] = "long_only"
    sizing: Sizing = Field(default_factory=lambda: Sizing())
    risk: Risk = Field(default_factory=lambda: Risk())
    costs: Costs = Field(default_factory=lambda: Costs())
    execution: Execution = Field(default_factory=lambda: Execution())
