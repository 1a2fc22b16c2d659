"""Optimization routes: estimate, submit, list, and the results (leaderboard,
heatmap, table download, walk-forward report, drill-down into one combination). Get, cancel and
delete are the routes every job shares (``/jobs/{id}``, api/routes/jobs.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import BaseModel, Field, StringConstraints

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
)
from tradewind.api.pagination import Limit, NextToken, Page
from tradewind.jobs import lifecycle, results, submit
from tradewind.jobs.estimate import Estimate, estimate
from tradewind.jobs.spec import Objective, OptimizationRequest

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord

router = APIRouter(prefix="/optimizations", tags=["optimizations"])

ParamName = Annotated[str, Query(min_length=1, max_length=64, description="a parameter of the strategy")]


class LeaderboardRow(BaseModel):
    rank: int
    combination: int = Field(description="the combination's number (drill down with it)")
    params: dict[str, Any]
    metrics: dict[str, Any] = Field(description="each metric's mean over the symbols")


class Leaderboard(BaseModel):
    objective: Objective
    rows: list[LeaderboardRow]


class Axis(BaseModel):
    param: str
    values: list[int | float]


class Heatmap(BaseModel):
    x: Axis
    y: Axis
    metric: str
    agg: Literal["max", "mean", "min"]
    window: int | None
    z: list[list[float | None]] = Field(description="z[j][i]: the cell of y.values[j] and x.values[i]")


class Download(BaseModel):
    url: str = Field(description="presigned: GET it without credentials before it expires")
    method: Literal["GET"]
    format: Literal["csv", "parquet"]
    filename: str
    expires_in: int


class WalkForwardReport(BaseModel):
    windows: list[dict[str, Any]] = Field(
        description='per window: {"window", "train": {"start", "end"}, "test": {...}, "params", '
        '"in_sample": {metrics}, "out_of_sample": {metrics}}'
    )
    out_of_sample: dict[str, Any] | None = Field(description="the out-of-sample metrics' mean over windows")


class TableRow(BaseModel):
    combination: int = Field(description="the combination's number (drill down with it)")
    window: int | None = Field(description="the walk-forward window (null without walk_forward)")
    params: dict[str, Any]
    metrics: dict[str, float | None] = Field(description="each metric's mean over the symbols")


class TablePage(BaseModel):
    params: list[str] = Field(description="the parameter columns, in the strategy's order")
    metrics: list[str] = Field(description="the metric columns (numbers: not the dates start/end)")
    windowed: bool = Field(description="rows are per walk-forward window and combination")
    sort: str
    order: Literal["asc", "desc"]
    total: int = Field(description="rows in the table (of the chosen window)")
    offset: int
    rows: list[TableRow]


def _optimization(tenant: str, job_id: str) -> JobRecord:
    return lifecycle.get_job(tenant, job_id, "optimization")


@router.post(
    "/estimate",
    responses=problems(404, 409),
    summary="Size, duration and AWS cost of an optimization, before it runs",
)
def estimate_cost(tenant: Tenant, body: OptimizationRequest) -> Estimate:
    return estimate(tenant, body)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    responses={**SUBMIT_RESPONSES, **problems(404, 409)},
    summary="Run an optimization",
)
def create(
    tenant: Tenant, body: OptimizationRequest, response: Response, idempotency_key: IdempotencyKey = None
) -> JobOut:
    return accepted(response, submit.submit_optimization(tenant, body, idempotency_key), "optimizations")


@router.get("", summary="List your optimizations, newest first")
def list_all(
    tenant: Tenant,
    limit: Limit = 50,
    next_token: NextToken = None,
    status: StatusFilter = None,
    strategy_id: StrategyFilter = None,
) -> Page[JobOut]:
    return list_page(tenant, "optimization", limit, next_token, status, strategy_id)


@router.get(
    "/{job_id}/leaderboard",
    responses=problems(404, 409),
    summary="The best combinations by the objective, with all metrics",
)
def leaderboard(
    tenant: Tenant, job_id: JobId, limit: Annotated[int | None, Query(ge=1, le=1000)] = None
) -> Leaderboard:
    return Leaderboard.model_validate(results.leaderboard(_optimization(tenant, job_id), limit))


@router.get(
    "/{job_id}/table",
    responses=problems(404, 409),
    summary="The full table a page at a time, sorted by any column",
)
def table(
    tenant: Tenant,
    job_id: JobId,
    sort: Annotated[
        str | None,
        Query(
            max_length=64,
            description="a parameter, a metric, combination or wf_window (the walk-forward window); "
            "default: the objective",
        ),
    ] = None,
    order: Annotated[
        Literal["asc", "desc"] | None,
        Query(description="default: the objective's direction when sorting by it, else asc"),
    ] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    window: Annotated[int | None, Query(ge=0, description="one walk-forward window (default: all)")] = None,
    where: Annotated[
        list[Annotated[str, StringConstraints(max_length=100)]] | None,
        Query(
            max_length=20, description="`param:value`, repeated: only rows with those values (a heatmap cell)"
        ),
    ] = None,
) -> TablePage:
    record = _optimization(tenant, job_id)
    return TablePage.model_validate(results.table_page(record, sort, order, offset, limit, window, where))


@router.get(
    "/{job_id}/heatmap", responses=problems(404, 409), summary="A metric over the grid of two parameters"
)
def heatmap(
    tenant: Tenant,
    job_id: JobId,
    x: ParamName,
    y: ParamName,
    metric: Annotated[
        str | None, Query(max_length=64, description="a metric id; default: the objective")
    ] = None,
    agg: Annotated[Literal["max", "mean", "min"], Query(description="how a cell combines its rows")] = "max",
    window: Annotated[int | None, Query(ge=0, description="one walk-forward window (default: all)")] = None,
) -> Heatmap:
    record = _optimization(tenant, job_id)
    return Heatmap.model_validate(results.heatmap(record, x, y, metric, agg, window))


@router.get(
    "/{job_id}/download",
    responses=problems(404, 409),
    summary="A presigned URL of the full table (CSV or Parquet)",
)
def download(
    tenant: Tenant, job_id: JobId, format: Annotated[Literal["csv", "parquet"], Query()] = "csv"
) -> Download:
    return Download.model_validate(results.download(_optimization(tenant, job_id), format))


@router.get(
    "/{job_id}/walk-forward",
    responses=problems(404, 409),
    summary="Out-of-sample metrics of each window's in-sample winner",
)
def walk_forward(tenant: Tenant, job_id: JobId) -> WalkForwardReport:
    return WalkForwardReport.model_validate(results.walk_forward(_optimization(tenant, job_id)))


@router.post(
    "/{job_id}/combinations/{n}/backtest",
    status_code=status.HTTP_202_ACCEPTED,
    responses={**SUBMIT_RESPONSES, **problems(404, 409)},
    summary="Rerun one combination as a full backtest (trades and curves)",
)
def drill_down(
    tenant: Tenant,
    job_id: JobId,
    n: Annotated[
        int, Path(ge=0, description="the combination's number, as the leaderboard and table give it")
    ],
    response: Response,
    force: Annotated[bool, Query(description="run even if an identical backtest has a result")] = False,
    idempotency_key: IdempotencyKey = None,
) -> JobOut:
    record = submit.submit_combination(tenant, job_id, n, force=force, idempotency_key=idempotency_key)
    return accepted(response, record, "backtests")
