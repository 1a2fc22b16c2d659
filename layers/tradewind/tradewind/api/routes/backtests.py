"""Backtest routes: submit (202 + ``Location``), list, compare, results. Get, cancel and delete are
the routes every job shares (``/jobs/{id}``, api/routes/jobs.py).

A backtest runs one parameter set on one or more symbols as a job (docs/jobs.md); its results are
the metrics per symbol and for the portfolio, the trades and the equity/drawdown curves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from tradewind.api.auth import Tenant
from tradewind.api.errors import problems
from tradewind.api.jobs import (
    SUBMIT_RESPONSES,
    IdempotencyKey,
    JobId,
    JobOut,
    StatusFilter,
    StrategyFilter,
    accepted,
    list_page,
    trades_offset,
    trades_token,
)
from tradewind.api.pagination import Limit, NextToken, Page
from tradewind.jobs import lifecycle, results, submit
from tradewind.jobs.spec import BacktestRequest
from tradewind.marketdata.universe import SYMBOL_PATTERN

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord

router = APIRouter(prefix="/backtests", tags=["backtests"])

MaxPoints = Annotated[
    int | None, Query(ge=2, le=100_000, description="cut each curve to at most this many points")
]
SymbolQuery = Annotated[
    str | None, Query(pattern=SYMBOL_PATTERN.pattern, description="only this symbol's trades")
]
Ids = Annotated[str, Query(max_length=1000, description="comma-separated backtest ids (1 to 10)")]


class Trade(BaseModel):
    symbol: str
    entry_time: str
    exit_time: str
    entry_price: float | None
    exit_price: float | None
    size: float | None
    pnl: float | None
    return_pct: float | None
    fees: float | None
    duration_bars: int
    exit_reason: str
    is_open: bool


class TradePage(BaseModel):
    """A page of trades by entry time; pass ``next_token`` back for the next one."""

    items: list[Trade]
    next_token: str | None = None
    total: int = Field(description="trades in the whole list (of the symbol, when filtered)")


class Curve(BaseModel):
    time: list[str]
    equity: list[float | None]
    drawdown_pct: list[float | None] = Field(description="percent below the running peak (<= 0)")
    benchmark: list[float | None] | None = Field(
        default=None,
        description="buy and hold: the same cash (split by the weights) bought at the first close and "
        "held, valued at each time (absent from results stored before it existed)",
    )


class Curves(BaseModel):
    portfolio: Curve
    symbols: dict[str, Curve] | None = None


class BacktestResults(BaseModel):
    """Metrics (ids of docs/metrics.md) per symbol and for the portfolio, the first trade page, curves."""

    job_id: str
    portfolio: dict[str, Any]
    symbols: dict[str, dict[str, Any]]
    params: dict[str, Any]
    weights: dict[str, float]
    start: str | None
    end: str | None
    trades: TradePage
    curves: Curves


class ComparedBacktest(BaseModel):
    job_id: str
    name: str | None
    strategy_name: str | None
    strategy_id: str | None
    strategy_version: int | None
    symbols: list[str]
    params: dict[str, Any]
    start: str | None
    end: str | None


class ComparedMetric(BaseModel):
    metric: str
    label: str
    unit: str
    values: list[Any] = Field(description="one value per backtest, in the order of `backtests`")


class Comparison(BaseModel):
    backtests: list[ComparedBacktest]
    metrics: list[ComparedMetric]


def _trade_page(record: JobRecord, offset: int, limit: int, symbol: str | None) -> TradePage:
    items, following, total = results.trades_page(record, offset, limit, symbol)
    return TradePage(
        items=[Trade.model_validate(t) for t in items],
        next_token=trades_token(record.job_id, following),
        total=total,
    )


def _backtest(tenant: str, job_id: str) -> JobRecord:
    return lifecycle.get_job(tenant, job_id, "backtest")


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    responses={**SUBMIT_RESPONSES, **problems(404, 409)},
    summary="Run a backtest",
)
def create(
    tenant: Tenant, body: BacktestRequest, response: Response, idempotency_key: IdempotencyKey = None
) -> JobOut:
    return accepted(response, submit.submit_backtest(tenant, body, idempotency_key), "backtests")


@router.get("", summary="List your backtests, newest first")
def list_all(
    tenant: Tenant,
    limit: Limit = 50,
    next_token: NextToken = None,
    status: StatusFilter = None,
    strategy_id: StrategyFilter = None,
) -> Page[JobOut]:
    return list_page(tenant, "backtest", limit, next_token, status, strategy_id)


@router.get(
    "/compare", responses=problems(404, 409), summary="Compare backtests' portfolio metrics side by side"
)
def compare(tenant: Tenant, ids: Ids) -> Comparison:
    job_ids = [part.strip() for part in ids.split(",") if part.strip()]
    return Comparison.model_validate(results.compare_backtests(tenant, job_ids))


@router.get(
    "/{job_id}/results",
    responses=problems(404, 409),
    summary="Metrics, the first page of trades and the curves",
)
def get_results(
    tenant: Tenant,
    job_id: JobId,
    max_points: MaxPoints = 500,
    trades_limit: Limit = 100,
    symbol_curves: Annotated[bool, Query(description="include each symbol's curves")] = False,
) -> BacktestResults:
    record = _backtest(tenant, job_id)
    summary = results.backtest_summary(record)
    return BacktestResults(
        job_id=job_id,
        portfolio=summary["portfolio"],
        symbols=summary["symbols"],
        params=summary["params"],
        weights=summary["weights"],
        start=summary.get("start"),
        end=summary.get("end"),
        trades=_trade_page(record, 0, trades_limit, None),
        curves=Curves.model_validate(results.curves(record, max_points, symbol_curves)),
    )


@router.get(
    "/{job_id}/trades", responses=problems(404, 409), summary="The trades, a page at a time, by entry time"
)
def trades(
    tenant: Tenant,
    job_id: JobId,
    limit: Limit = 100,
    next_token: NextToken = None,
    symbol: SymbolQuery = None,
) -> TradePage:
    offset = trades_offset(job_id, next_token)
    return _trade_page(_backtest(tenant, job_id), offset, limit, symbol)


@router.get(
    "/{job_id}/curves",
    responses=problems(404, 409),
    summary="Equity and drawdown of the portfolio (and each symbol)",
)
def curves(
    tenant: Tenant,
    job_id: JobId,
    max_points: MaxPoints = None,
    symbols: Annotated[bool, Query(description="include each symbol's curves")] = False,
) -> Curves:
    return Curves.model_validate(results.curves(_backtest(tenant, job_id), max_points, symbols))
