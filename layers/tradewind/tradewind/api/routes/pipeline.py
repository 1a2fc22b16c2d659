"""Pipeline routes (docs/pipeline.md): runs (start, list, get, stop), stats, signals (per run and
latest across runs: filter, sort, page, export), breadth (a run's, a universe's history) and the
signal explorer's one-call scan of a dataset.

Imports nothing heavy: the use cases load pynamodb, boto3 and pandas on first use.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Response, status
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel, Field

from tradewind.api.auth import Tenant
from tradewind.api.errors import problems
from tradewind.api.jobs import SUBMIT_RESPONSES, JobId, Progress, StrategyFilter
from tradewind.api.pagination import Limit, NextToken, Page, decode_token, encode_token
from tradewind.errors import FieldProblem, InvalidInput
from tradewind.jobs.spec import JobStatus
from tradewind.marketdata.universe import SYMBOL_PATTERN
from tradewind.pipeline import runs
from tradewind.pipeline.spec import Mode, PipelineRunRequest, ScanRequest, Timeframe

if TYPE_CHECKING:
    from collections.abc import Callable

    from tradewind.data.jobs import JobRecord
    from tradewind.pipeline.results import SignalQuery, Table

router = APIRouter(prefix="/pipeline", tags=["pipeline"])

Action = Literal["buy", "sell", "short", "cover", "close"]
Side = Literal["long", "short", "flat"]
SortKey = Literal["time", "symbol", "strength", "rule", "action", "side"]
UniverseKey = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,160}$", examples=["sample"])]
MaxPoints = Annotated[
    int | None, Query(ge=2, le=100_000, description="cut the series to at most this many points")
]
ExportFormat = Annotated[Literal["csv", "json"], Query(description="the file's format")]
ExportLinkQuery = Annotated[
    bool,
    Query(
        description="answer `{url, filename, rows}`: a presigned download of the file whatever its size "
        "(a browser's fetch cannot follow the 303 to the bucket's origin)"
    ),
]


class PipelineRun(BaseModel):
    """A pipeline run: a job of kind ``pipeline`` (status, progress) in a pipeline's words."""

    job_id: str
    kind: Literal["pipeline"]
    status: JobStatus
    name: str | None
    strategy_id: str | None
    strategy_version: int | None
    strategy_name: str | None
    dataset_id: str
    progress: Progress = Field(description="shards are batches, combos are symbols")
    summary: dict[str, Any] | None = Field(
        description="signals, symbols, symbols_with_signals, by_action, first_signal, last_signal, "
        "breadth_bars, breadth_last, universe, timeframe, aggregation_seconds"
    )
    error: str | None = Field(description="a readable reason (the failed batch's symbols), when failed")
    cached: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime
    mode: Mode
    timeframe: Timeframe
    universe: str = Field(
        description="the key its breadth history is kept under (GET /pipeline/breadth/{universe})"
    )
    symbols_total: int
    symbols_done: int
    batches_total: int
    batches_done: int = Field(description="batches scanned")
    batches_skipped: int = Field(description="batches left out because the run was asked to stop")
    signals_found: int
    stop_requested: bool

    @classmethod
    def of(cls, record: JobRecord) -> PipelineRun:
        from tradewind.pipeline.views import run_view

        return cls.model_validate(run_view(record))


class PipelineStats(BaseModel):
    total_runs: int
    by_status: dict[str, int]
    success_rate: float | None = Field(description="succeeded / runs that ended (null before any ended)")
    runs_last_24h: int
    average_duration_seconds: float | None = Field(description="from start to end, over runs that ended")
    window: int = Field(description="the figures cover at most this many of the newest runs")


class Signal(BaseModel):
    """A decision the strategy takes on a bar: exactly what a backtest would decide there."""

    symbol: str
    time: str = Field(description="the bar's time, ISO 8601 UTC")
    bar: int = Field(description="the bar's number in the run's period")
    rule: str = Field(description="the deciding rule's id")
    action: Action = Field(description="after the strategy's direction")
    side: Side = Field(description="the position the action asks for")
    strength: float | None = Field(description="0 (on the threshold) to 1 (docs/pipeline.md, Strength)")
    close: float | None
    values: dict[str, float | None] = Field(description="the series the rule read, at this bar")
    run_id: str | None = Field(default=None, description="the run it came from (latest signals)")


class SignalPage(BaseModel):
    items: list[Signal]
    next_token: str | None = None
    total: int = Field(description="signals matching the filters")


class BreadthSeries(BaseModel):
    universe: str | None
    timeframe: str | None
    time: list[str]
    series: dict[str, list[float | None]] = Field(
        description="each measure of docs/pipeline.md, one value per time"
    )


class BreadthHistory(BaseModel):
    universe: str
    timeframe: str
    first: str | None
    last: str | None
    bars: int
    run_id: str


class ExportLink(BaseModel):
    """Where to download an export (``link=true``): a presigned URL that expires."""

    url: str
    filename: str
    rows: int = Field(description="signals in the file")


class ScanResult(BaseModel):
    dataset_id: str
    strategy_name: str
    timeframe: str
    symbols: list[str]
    total: int
    truncated: bool = Field(description="more signals than `limit`: the newest are listed")
    by_action: dict[str, int]
    by_symbol: dict[str, int]
    signals: list[Signal]


EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The signals as a file (up to 10,000 rows); with `link=true`, an `ExportLink` "
        "`{url, filename, rows}` whatever the size (the file written once per filter set)",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/json": {
                "schema": {
                    "anyOf": [
                        {"type": "array", "items": {"type": "object"}},
                        ExportLink.model_json_schema(),  # link=true
                    ]
                }
            },
        },
    },
    303: {
        "description": "A larger table: `Location` is a presigned download of the file",
        "headers": {"Location": {"schema": {"type": "string"}}},
    },
}


def _run(tenant: str, job_id: str) -> JobRecord:
    return runs.get_run(tenant, job_id)


def _offset(scope: str, token: str | None) -> int:
    start = decode_token(token, partition=f"SIGNALS#{scope}")
    if start is None:
        return 0
    offset = start.get("offset", {}).get("S", "")
    if set(start) != {"pk", "offset"} or not (offset.isascii() and offset.isdigit()):
        problem = FieldProblem(["query", "next_token"], "not a token this API issued")
        raise InvalidInput("invalid next_token: not a token this API issued", [problem])
    return int(offset)


def _token(scope: str, offset: int | None) -> str | None:
    return (
        None
        if offset is None
        else encode_token({"pk": {"S": f"SIGNALS#{scope}"}, "offset": {"S": str(offset)}})
    )


SymbolFilter = Annotated[str | None, Query(pattern=SYMBOL_PATTERN.pattern, description="only this symbol")]
SideFilter = Annotated[Side | None, Query(description="only this side")]
ActionFilter = Annotated[Action | None, Query(description="only this action")]
RuleFilter = Annotated[str | None, Query(max_length=64, description="only this rule id")]
StrengthFilter = Annotated[float | None, Query(ge=0, le=1, description="only signals at least this strong")]
StartFilter = Annotated[date | None, Query(description="bars from this UTC date (inclusive)")]
EndFilter = Annotated[date | None, Query(description="bars up to this UTC date (inclusive)")]
SortQuery = Annotated[SortKey, Query(description="order by (ties: symbol, then time)")]
OrderQuery = Annotated[Literal["asc", "desc"], Query(description="direction of the order")]
RunsQuery = Annotated[
    int, Query(ge=1, le=20, description="how many of the newest runs with results to merge")
]


def signal_query(
    symbol: SymbolFilter = None,
    side: SideFilter = None,
    action: ActionFilter = None,
    rule: RuleFilter = None,
    min_strength: StrengthFilter = None,
    start: StartFilter = None,
    end: EndFilter = None,
    sort: SortQuery = "time",
    order: OrderQuery = "desc",
) -> SignalQuery:
    """The signal lists' filters and order, from the query string (one dependency for the four routes)."""
    from tradewind.pipeline.results import SignalQuery

    return SignalQuery(symbol, side, action, rule, min_strength, start, end, sort, order)


def export_link(link: ExportLinkQuery = False) -> bool:
    """``link`` as a dependency, so that it stays listed after the filters, as it always was."""
    return link


SignalFilters = Annotated["SignalQuery", Depends(signal_query)]
LinkQuery = Annotated[bool, Depends(export_link)]


def _signal_page(
    scope: str, next_token: str | None, limit: int, query: SignalQuery, signals: Callable[[], Table]
) -> SignalPage:
    """One page of ``signals()`` picked by ``query``; the token is checked before the signals load."""
    from tradewind.pipeline import results

    offset = _offset(scope, next_token)
    picked = results.select(signals(), query)
    items, following = results.page(picked, offset, limit)
    return SignalPage(
        items=[Signal.model_validate(i) for i in items],
        next_token=_token(scope, following),
        total=len(picked),
    )


def _export(
    tenant: str, scope: str, signals: Table, file_format: str, query: SignalQuery, link: bool
) -> Response:
    """``signals`` picked by ``query`` as a file, a redirect to it, or (``link``) where to get it."""
    from tradewind.pipeline import results

    picked = results.select(signals, query)
    return _file(results.export(picked, file_format, tenant, scope, query, link=link), link, len(picked))


@router.post(
    "/runs",
    status_code=status.HTTP_202_ACCEPTED,
    responses={202: SUBMIT_RESPONSES[202], 429: SUBMIT_RESPONSES[429], **problems(404, 409)},
    summary="Start a pipeline run over a universe",
)
def start_run(tenant: Tenant, body: PipelineRunRequest, response: Response) -> PipelineRun:
    from tradewind.pipeline.submit import submit_run

    record = submit_run(tenant, body)
    response.headers["Location"] = f"/pipeline/runs/{record.job_id}"
    return PipelineRun.of(record)


@router.get("/runs", summary="List your pipeline runs, newest first")
def list_runs(
    tenant: Tenant,
    limit: Limit = 50,
    next_token: NextToken = None,
    status: Annotated[JobStatus | None, Query(description="only runs with this status")] = None,
    mode: Annotated[Mode | None, Query(description="only runs of this mode")] = None,
    strategy_id: StrategyFilter = None,
    date: Annotated[date | None, Query(description="only runs started on this UTC date")] = None,
) -> Page[PipelineRun]:
    partition, prefix = runs.index_key(tenant)
    start = decode_token(
        next_token, partition=partition, partition_attr="gsi1pk", sort_attr="gsi1sk", sort_prefix=prefix
    )
    items, last = runs.list_runs(
        tenant, limit, start, status=status, mode=mode, strategy_id=strategy_id, day=date
    )
    return Page(items=[PipelineRun.of(r) for r in items], next_token=encode_token(last))


@router.get("/stats", summary="Runs, success rate, runs in the last 24 h, average duration")
def stats(tenant: Tenant) -> PipelineStats:
    return PipelineStats.model_validate(runs.stats(tenant))


@router.get("/runs/{job_id}", responses=problems(404), summary="Get a run: status, progress, summary")
def get_run(tenant: Tenant, job_id: JobId) -> PipelineRun:
    return PipelineRun.of(_run(tenant, job_id))


@router.post(
    "/runs/{job_id}/stop",
    responses=problems(404, 409),
    summary="Stop a run: its remaining batches are skipped and it ends `stopped` (409 when final)",
)
def stop_run(tenant: Tenant, job_id: JobId) -> PipelineRun:
    return PipelineRun.of(runs.stop_run(tenant, job_id))


@router.get(
    "/runs/{job_id}/signals",
    responses=problems(404, 409),
    summary="A run's signals, filtered, sorted, a page at a time",
)
def run_signals(
    *,
    tenant: Tenant,
    job_id: JobId,
    limit: Limit = 100,
    next_token: NextToken = None,
    query: SignalFilters,
) -> SignalPage:
    from tradewind.pipeline import results

    return _signal_page(job_id, next_token, limit, query, lambda: results.run_signals(_run(tenant, job_id)))


@router.get(
    "/runs/{job_id}/signals/export",
    responses={**EXPORT_RESPONSES, **problems(404, 409)},
    response_class=Response,
    summary="A run's signals (filtered, sorted) as CSV or JSON",
)
def export_run_signals(
    *,
    tenant: Tenant,
    job_id: JobId,
    format: ExportFormat = "csv",
    query: SignalFilters,
    link: LinkQuery,
) -> Response:
    from tradewind.pipeline import results

    return _export(tenant, job_id, results.run_signals(_run(tenant, job_id)), format, query, link)


@router.get(
    "/runs/{job_id}/breadth", responses=problems(404, 409), summary="A run's breadth measures over its period"
)
def run_breadth(tenant: Tenant, job_id: JobId, max_points: MaxPoints = None) -> BreadthSeries:
    from tradewind.pipeline import results

    return BreadthSeries.model_validate(results.run_breadth(_run(tenant, job_id), max_points))


@router.get("/signals", summary="The latest signals: the newest runs' tables merged, filtered, sorted, paged")
def latest_signals(
    *,
    tenant: Tenant,
    runs_count: Annotated[
        int, Query(alias="runs", ge=1, le=20, description="newest runs with results to merge")
    ] = 1,
    limit: Limit = 100,
    next_token: NextToken = None,
    query: SignalFilters,
) -> SignalPage:
    from tradewind.pipeline import results

    return _signal_page(
        "latest", next_token, limit, query, lambda: results.latest_signals(tenant, runs_count)
    )


@router.get(
    "/signals/export",
    responses=EXPORT_RESPONSES,
    response_class=Response,
    summary="The latest signals (filtered, sorted) as CSV or JSON",
)
def export_latest_signals(
    *,
    tenant: Tenant,
    runs_count: Annotated[
        int, Query(alias="runs", ge=1, le=20, description="newest runs with results to merge")
    ] = 1,
    format: ExportFormat = "csv",
    query: SignalFilters,
    link: LinkQuery,
) -> Response:
    from tradewind.pipeline import results

    signals = results.latest_signals(tenant, runs_count)
    return _export(tenant, f"latest-{runs_count}", signals, format, query, link)


def _file(answer: tuple[str, Any, str], link: bool, rows: int) -> Response:
    kind, payload, detail = answer
    if kind == "url" and link:
        found = ExportLink(url=payload, filename=detail, rows=rows)
        return JSONResponse(found.model_dump())
    if kind == "url":
        return RedirectResponse(payload, status_code=status.HTTP_303_SEE_OTHER)
    ext = "csv" if detail.startswith("text/csv") else "json"
    return Response(
        payload, media_type=detail, headers={"Content-Disposition": f'attachment; filename="signals.{ext}"'}
    )


@router.get("/breadth", summary="The universes and timeframes with a breadth history")
def breadth_histories(tenant: Tenant) -> list[BreadthHistory]:
    from tradewind.pipeline import results

    return [BreadthHistory.model_validate(h) for h in results.breadth_histories(tenant)]


@router.get(
    "/breadth/{universe}", responses=problems(404), summary="A universe's breadth series over a range"
)
def breadth_series(
    tenant: Tenant,
    universe: UniverseKey,
    timeframe: Annotated[Timeframe, Query(description="the history's timeframe")] = "1d",
    start: StartFilter = None,
    end: EndFilter = None,
    max_points: MaxPoints = 1000,
) -> BreadthSeries:
    from tradewind.pipeline import results

    return BreadthSeries.model_validate(
        results.breadth_series(tenant, universe, timeframe, start, end, max_points)
    )


@router.post(
    "/scan",
    responses=problems(404, 409),
    summary="Scan a dataset with a strategy: its signal table in one call",
)
def scan(tenant: Tenant, body: ScanRequest) -> ScanResult:
    from tradewind.pipeline.scan import scan_dataset

    return ScanResult.model_validate(scan_dataset(tenant, body))
