"""Submitting a job: a request becomes a checked, self-contained ``JobSpec``, a job record and a run.

:func:`resolve_backtest` / :func:`resolve_optimization` check everything a request names against what
the tenant has, and report every bad field by its path (``["body", "symbols", 2]``,
``["body", "constraints", 0, "left"]``) before anything is written. :func:`submit` then answers, in
this order (docs/jobs.md, Submission):

1. an ``Idempotency-Key`` seen in the last 24 hours: with the same request, the job it created; with
   another request, 422 naming the header;
2. unless ``force``, a succeeded job of identical work (same :meth:`JobSpec.content_hash`): a new
   job, already ``succeeded`` and marked ``cached``, holding a server-side copy of its results;
3. otherwise a new ``queued`` job: ``spec.json``, then the record, then ``StartExecution`` named after
   the job. If the start fails, the job stays as ``failed`` with the reason (so the attempt is visible
   and nothing is left ``queued`` forever), the key is released for a retry, and the error propagates.

Nothing here loads pandas except counting walk-forward windows (which reads the bars, as the plan
step does); numpy loads with the parameter space, pynamodb and boto3 on first use.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import math
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from tradewind import aws
from tradewind.data.table import condition_failed
from tradewind.errors import Conflict, FieldProblem, InvalidInput, NotFound
from tradewind.jobs import caps, columns, events, store
from tradewind.jobs.artifacts import result_key
from tradewind.jobs.records import finish, get_record, transact
from tradewind.jobs.spec import BacktestRequest, JobSpec, OptimizationRequest, StrategySource, Universe
from tradewind.jobs.timeline import entry
from tradewind.orgsettings.jobs import apply_job_defaults
from tradewind.settings import get_settings
from tradewind.strategy.models import Number, ParamRef, Strategy
from tradewind.strategy.weights import normalized_weights, weight_problems

if TYPE_CHECKING:
    from pynamodb.transactions import TransactWrite

    from tradewind.data.jobs import JobRecord
    from tradewind.data.marketdata import DatasetRecord, SymbolRecord

Loc = list[str | int]
logger = logging.getLogger(__name__)

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_TTL = timedelta(hours=24)
HEADER_LOC: Loc = ["header", IDEMPOTENCY_HEADER]
_LISTED = 5  # symbols named in one problem message
_T = TypeVar("_T")


@dataclass(frozen=True)
class Resolved:
    """A checked request: the spec a job runs and the sizes the limit and the estimate need."""

    spec: JobSpec
    strategy_name: str
    grid: int  # combinations of the space that pass every constraint (1 for a backtest)
    combinations: int  # combinations run on each symbol and window: the grid, or the random sample
    bars: dict[str, int]  # bars of each symbol in the period (see :func:`_bars_in_period`)
    windows: dict[str, int]  # walk-forward windows of each symbol (1 without walk-forward)

    @property
    def runs(self) -> int:
        """Combination runs: combinations x symbols (x windows); the job's ``combos_total``."""
        return self.combinations * sum(self.windows.values())

    @property
    def shards(self) -> int:
        """One shard = one symbol x one window x at most ``settings.shard_combinations`` combinations."""
        per_window = math.ceil(self.combinations / get_settings().shard_combinations)
        return per_window * sum(self.windows.values())


def new_job_id() -> str:
    """Time-sortable and unguessable: 12 hex digits of epoch milliseconds, then 40 random bits.

    Also a valid execution name and ``job:<id>`` topic id.
    """
    return f"{time.time_ns() // 1_000_000:012x}{secrets.token_hex(5)}"


def request_hash(kind: str, request: Mapping[str, Any]) -> str:
    """What an ``Idempotency-Key`` is bound to: the kind and the request as the client sent it."""
    text = json.dumps({"kind": kind, "request": request}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


# --- resolving a request --------------------------------------------------------------------------


def resolve_backtest(tenant_id: str, request: BacktestRequest) -> Resolved:
    """The backtest's spec, or every bad field of the request (404/409/422)."""
    strategy, strategy_id, version, name = resolve_strategy(tenant_id, request)
    request, strategy = apply_job_defaults(tenant_id, request, strategy)
    dataset, symbols, rows, problems = _universe(tenant_id, request)
    problems += _weight_problems(symbols, request.weights)
    problems += param_problems(strategy, request.params)
    if not problems:
        values = {n: [request.params.get(n, p.default)] for n, p in strategy.parameters.items()}
        problems += _window_problems(strategy, request, rows, values, ["body", "params"])
    if problems:
        raise InvalidInput("The backtest request is invalid.", problems)
    spec = JobSpec(
        kind="backtest",
        **_named(strategy, strategy_id, version, dataset, symbols, request),
        params=dict(request.params),
    )
    bars = {s: _bars_in_period(rows[s], request.start, request.end) for s in symbols}
    weights = normalized_weights(symbols, request.weights)
    weighted = [s for s in symbols if weights[s] > 0]
    return Resolved(spec, name, 1, 1, bars, dict.fromkeys(weighted, 1))  # one shard per weighted symbol


def resolve_optimization(tenant_id: str, request: OptimizationRequest) -> Resolved:
    """The optimization's spec and sizes, or every bad field (the size limit is :func:`check_size`)."""
    strategy, strategy_id, version, name = resolve_strategy(tenant_id, request)
    request, strategy = apply_job_defaults(tenant_id, request, strategy)
    dataset, symbols, rows, problems = _universe(tenant_id, request)
    problems += _weight_problems(symbols, request.weights)
    problems += _objective_problems(request)
    problems += columns.parameter_problems(strategy, request)
    constraint_problems = _constraint_problems(strategy, request)
    problems += constraint_problems
    grid = 0
    if not constraint_problems:
        grid, extremes, space_problems = _grid(strategy, request)
        problems += space_problems
        if not space_problems:
            problems += _window_problems(strategy, request, rows, extremes, ["body", "space"])
            problems += _walk_forward_window_problems(strategy, request, extremes)
    if problems:
        raise InvalidInput("The optimization request is invalid.", problems)
    spec = JobSpec(
        kind="optimization",
        **_named(strategy, strategy_id, version, dataset, symbols, request),
        space=dict(request.space),
        samples=request.samples,
        seed=request.seed,
        objective=request.objective,
        constraints=list(request.constraints),
        min_trades=request.min_trades,
        walk_forward=request.walk_forward,
        metrics=request.metrics,
        top_n=request.top_n,
    )
    combinations = min(grid, request.samples) if request.samples is not None else grid
    bars = {s: _bars_in_period(rows[s], request.start, request.end) for s in symbols}
    windows = dict.fromkeys(symbols, 1 if spec.walk_forward is None else _window_count(spec, rows))
    return Resolved(spec, name, grid, combinations, bars, windows)


def _named(
    strategy: Strategy,
    strategy_id: str | None,
    version: int | None,
    dataset: DatasetRecord,
    symbols: list[str],
    request: BacktestRequest | OptimizationRequest,
) -> dict[str, Any]:
    """The spec fields both kinds of job take from what the request names and its money settings."""
    return {
        "strategy": strategy,
        "strategy_id": strategy_id,
        "strategy_version": version,
        "dataset_id": dataset.dataset_id,
        "dataset_version": dataset.updated_at.isoformat(),
        "symbols": symbols,
        "start": request.start,
        "end": request.end,
        "cash": request.cash,
        "weights": request.weights,
    }


def check_size(resolved: Resolved) -> None:
    """422 with the count when the sweep runs more than ``settings.max_sweep_combinations``."""
    limit = get_settings().max_sweep_combinations
    if resolved.runs <= limit:
        return
    spec = resolved.spec
    windows = sum(resolved.windows.values())
    parts = [f"{resolved.combinations:,} combinations", f"{len(spec.symbols)} symbols"]
    if spec.walk_forward is not None:
        parts[1] = f"{windows} symbol windows"
    msg = f"{' x '.join(parts)} = {resolved.runs:,} runs exceed the limit of {limit:,}"
    loc: Loc = ["body", "samples"] if spec.samples is not None else ["body", "space"]
    raise InvalidInput(
        f"The sweep is too large: {resolved.runs:,} runs.", [FieldProblem(loc, msg, "too_long")]
    )


def resolve_strategy(tenant_id: str, source: StrategySource) -> tuple[Strategy, str | None, int | None, str]:
    """The document to run, its stored id and version (``None`` inline) and its name."""
    from tradewind.services.strategies import resolve, storage_problems

    if source.strategy is not None:
        from tradewind.strategy.validation import check_strategy

        problems = check_strategy(source.strategy) or storage_problems(source.strategy, ())
        if problems:
            rerooted = [FieldProblem(["body", "strategy", *p.loc], p.msg, p.type) for p in problems]
            raise InvalidInput("The strategy document is invalid.", rerooted)
        return source.strategy, None, None, source.strategy.name

    assert source.strategy_id is not None  # StrategySource guarantees one of the two
    stored = resolve(tenant_id, source.strategy_id, source.strategy_version)
    return stored.strategy, stored.strategy_id, stored.version, stored.name


def _dataset(tenant_id: str, dataset_id: str) -> DatasetRecord:
    from tradewind.data.marketdata import READY
    from tradewind.services.datasets import get_dataset

    loc: Loc = ["body", "dataset_id"]
    try:
        record = get_dataset(tenant_id, dataset_id)
    except NotFound as exc:
        raise NotFound(exc.detail, [FieldProblem(loc, "no such dataset", "not_found")]) from None
    if record.status != READY:
        detail = f"dataset {dataset_id!r} is {record.status}, not ready"
        raise Conflict(detail, [FieldProblem(loc, f"the dataset is {record.status}", "not_ready")])
    return record


def _symbols(tenant_id: str, universe: Universe) -> tuple[list[str], list[Loc], list[FieldProblem]]:
    """The symbols, where each came from (for problems) and duplicates among listed symbols (a
    watchlist's are unique: services.watchlists refuses duplicates)."""
    locs: list[Loc]
    problems: list[FieldProblem] = []
    if universe.symbols is not None:
        symbols = list(universe.symbols)
        locs = [["body", "symbols", i] for i in range(len(symbols))]
        seen: set[str] = set()
        for symbol, loc in zip(symbols, locs, strict=True):
            if symbol in seen:
                problems.append(FieldProblem(loc, f"{symbol} is listed twice", "duplicate"))
            seen.add(symbol)
    else:
        from tradewind.services.watchlists import get_watchlist

        source: Loc = ["body", "watchlist_id"]
        assert universe.watchlist_id is not None  # Universe guarantees one of the two
        try:
            symbols = get_watchlist(tenant_id, universe.watchlist_id).symbols
        except NotFound as exc:
            raise NotFound(exc.detail, [FieldProblem(source, "no such watchlist", "not_found")]) from None
        if not symbols:
            raise InvalidInput(
                "The watchlist is empty.", [FieldProblem(source, "the watchlist has no symbols")]
            )
        locs = [source] * len(symbols)
    return symbols, locs, problems


def _universe(
    tenant_id: str, universe: Universe
) -> tuple[DatasetRecord, list[str], dict[str, SymbolRecord], list[FieldProblem]]:
    """The dataset (404/409 raised), the symbols, their rows in it, and problems with both and the period."""
    from tradewind.data.marketdata import SymbolRecord

    dataset = _dataset(tenant_id, universe.dataset_id)
    symbols, locs, problems = _symbols(tenant_id, universe)
    keys = [SymbolRecord.key(tenant_id, s, dataset.dataset_id) for s in dict.fromkeys(symbols)]
    rows = {row.symbol: row for row in SymbolRecord.batch_get(keys)}
    for symbol, loc in zip(symbols, locs, strict=True):
        if symbol not in rows:
            problems.append(
                FieldProblem(loc, f"{symbol} is not in dataset {dataset.dataset_id!r}", "unknown_symbol")
            )
    problems += _period_problems(universe.start, universe.end, rows)
    return dataset, symbols, rows, problems


def _period_problems(
    start: date | None, end: date | None, rows: Mapping[str, SymbolRecord]
) -> list[FieldProblem]:
    """The period must overlap every symbol's data (``start`` and ``end`` are inclusive UTC dates)."""
    late = [f"{s} (last bar {r.end_at.date()})" for s, r in rows.items() if start and start > r.end_at.date()]
    early = [
        f"{s} (first bar {r.start_at.date()})" for s, r in rows.items() if end and end < r.start_at.date()
    ]
    problems = []
    if late:
        msg = f"no bars from {start} on for {', '.join(late[:_LISTED])}"
        problems.append(FieldProblem(["body", "start"], msg, "empty_period"))
    if early:
        msg = f"no bars until {end} for {', '.join(early[:_LISTED])}"
        problems.append(FieldProblem(["body", "end"], msg, "empty_period"))
    return problems


def _weight_problems(symbols: list[str], weights: Mapping[str, float] | None) -> list[FieldProblem]:
    return [FieldProblem(["body", *p.loc], p.msg, p.type) for p in weight_problems(symbols, weights)]


def param_problems(strategy: Strategy, params: Mapping[str, Number]) -> list[FieldProblem]:
    """Unknown names, wrong types, out-of-range values and violated constraints of one parameter set."""
    from tradewind.strategy.space import constraint_holds, expand

    space: dict[str, list[Number]] = {n: [params.get(n, p.default)] for n, p in strategy.parameters.items()}
    space.update({n: [v] for n, v in params.items() if n not in strategy.parameters})
    try:
        expand(strategy, space)
    except InvalidInput as exc:  # locs are ["space", name]
        return [FieldProblem(["body", "params", *p.loc[1:]], p.msg, p.type) for p in exc.problems]
    values = {n: v[0] for n, v in space.items()}
    return [
        FieldProblem(["body", "params"], f"the strategy requires {c.left} {c.op} {c.right}", "constraint")
        for c in strategy.constraints
        if not constraint_holds(c, values)
    ]


def _constraint_problems(strategy: Strategy, request: OptimizationRequest) -> list[FieldProblem]:
    names = set(strategy.parameters)
    problems = []
    for i, c in enumerate(request.constraints):
        if c.left not in names:
            problems.append(
                FieldProblem(["body", "constraints", i, "left"], _unknown(c.left, names), "unknown_parameter")
            )
        if isinstance(c.right, str) and c.right not in names:
            problems.append(
                FieldProblem(
                    ["body", "constraints", i, "right"], _unknown(c.right, names), "unknown_parameter"
                )
            )
    return problems


def _unknown(name: str, names: set[str]) -> str:
    known = ", ".join(sorted(names)) or "none"
    return f"unknown parameter '{name}' (the strategy's parameters: {known})"


def _grid(
    strategy: Strategy, request: OptimizationRequest
) -> tuple[int, dict[str, list[Number]], list[FieldProblem]]:
    """How many combinations pass every constraint and each parameter's extremes among them, or the
    space's problems."""
    from tradewind.strategy.space import expand

    limit = get_settings().max_sweep_combinations
    try:
        columns = expand(strategy, request.space, request.constraints, max_combinations=limit)
    except InvalidInput as exc:  # locs are ["space", ...]
        return 0, {}, [FieldProblem(["body", *p.loc], p.msg, p.type) for p in exc.problems]
    grid = len(next(iter(columns.values()))) if columns else 1
    if grid == 0:
        msg = "no combination of the space satisfies every constraint"
        loc: Loc = ["body", "constraints"] if request.constraints else ["body", "space"]
        return 0, {}, [FieldProblem(loc, msg, "empty_space")]
    extremes: dict[str, list[Number]] = {n: [float(c.min()), float(c.max())] for n, c in columns.items()}
    return grid, extremes, []


def _walk_forward_window_problems(
    strategy: Strategy, request: OptimizationRequest, extremes: Mapping[str, list[Number]]
) -> list[FieldProblem]:
    """Every in-sample sweep runs on ``train_bars`` bars and every winner on ``test_bars``: indicator
    windows longer than either would leave a window without results."""
    from tradewind.strategy.validation import check_windows

    if request.walk_forward is None:
        return []
    problems = []
    for field in ("train_bars", "test_bars"):
        n_bars = getattr(request.walk_forward, field)
        for problem in check_windows(strategy, n_bars, extremes):
            where = _window_loc(strategy, request, problem, ["body", "space"]).loc
            msg = f"{'.'.join(str(part) for part in where[1:])}: {problem.msg}"
            problems.append(FieldProblem(["body", "walk_forward", field], msg, problem.type))
    return problems


def _objective_problems(request: OptimizationRequest) -> list[FieldProblem]:
    from tradewind.metrics.catalog import SCREENING, rankable

    metric, loc = request.objective.metric, ["body", "objective", "metric"]
    known = rankable()
    if metric not in known:
        return [
            FieldProblem(list(loc), f"unknown metric '{metric}'; one of {', '.join(known)}", "unknown_metric")
        ]
    if request.metrics == "screening" and metric not in SCREENING:
        msg = f"'{metric}' is not computed with metrics='screening' (one of {', '.join(SCREENING)})"
        return [FieldProblem(list(loc), msg, "not_computed")]
    return []


def _window_problems(
    strategy: Strategy,
    request: BacktestRequest | OptimizationRequest,
    rows: Mapping[str, SymbolRecord],
    values: Mapping[str, list[Number]],
    values_loc: Loc,
) -> list[FieldProblem]:
    """Indicator windows longer than the shortest symbol's bars in the period, located at the value
    that sets them."""
    from tradewind.strategy.validation import check_windows

    if not rows:
        return []
    n_bars = min(_bars_in_period(r, request.start, request.end) for r in rows.values())
    problems = check_windows(strategy, n_bars, {n: [min(v), max(v)] for n, v in values.items()})
    return [_window_loc(strategy, request, p, values_loc) for p in problems]


def _window_loc(
    strategy: Strategy, source: StrategySource, problem: FieldProblem, values_loc: Loc
) -> FieldProblem:
    """Point at the parameter behind a window, else at the strategy (inline document or stored id)."""
    loc = problem.loc
    if len(loc) == 4 and loc[0] == "indicators":
        value = strategy.indicators[str(loc[1])].params.get(str(loc[3]))
        if isinstance(value, ParamRef):
            return FieldProblem([*values_loc, value.param], problem.msg, problem.type)
    if source.strategy is not None:
        return FieldProblem(["body", "strategy", *loc], problem.msg, problem.type)
    where = ".".join(str(part) for part in loc)
    return FieldProblem(["body", "strategy_id"], f"{where}: {problem.msg}", problem.type)


def _window_count(spec: JobSpec, rows: Mapping[str, SymbolRecord]) -> int:
    """Walk-forward windows over the symbols' common timeline in the period, counted exactly as the
    plan step cuts them (this reads the symbols' bars, and loads pandas)."""
    from tradewind.jobs.errors import JobInputError
    from tradewind.jobs.inputs import timeline, windows

    assert spec.walk_forward is not None
    keys = {s: rows[s].object_key for s in spec.symbols}
    try:
        times = timeline(spec, keys)
    except JobInputError as exc:
        raise InvalidInput(
            "The period is too short.", [FieldProblem(["body", "start"], str(exc), "empty_period")]
        ) from None
    try:
        return len(windows(times, spec.walk_forward))
    except JobInputError as exc:
        loc: Loc = ["body", "walk_forward", "train_bars"]
        raise InvalidInput(
            "The walk-forward windows do not fit the period.", [FieldProblem(loc, str(exc), "too_long")]
        ) from None


def _bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """The period as naive UTC instants: ``[start 00:00, end + 1 day 00:00)``."""
    low = datetime(start.year, start.month, start.day) if start else None
    high = datetime(end.year, end.month, end.day) + timedelta(days=1) if end else None
    return low, high


def _bars_in_period(row: SymbolRecord, start: date | None, end: date | None) -> int:
    """The symbol's bar count scaled by the share of its time span the period covers (exact when the
    period covers all of it): an estimate that needs no data read, for durations."""
    first, last = row.start_at.replace(tzinfo=None), row.end_at.replace(tzinfo=None)
    low, high = _bounds(start, end)
    lo, hi = max(first, low or first), min(last, high or last)
    span = (last - first).total_seconds()
    if (lo <= first and hi >= last) or span <= 0:
        return int(row.rows)
    return max(0, round(int(row.rows) * (hi - lo).total_seconds() / span))


# --- submitting -----------------------------------------------------------------------------------


def submit_backtest(tenant_id: str, request: BacktestRequest, idempotency_key: str | None) -> JobRecord:
    body = request.model_dump(mode="json")
    return submit(
        tenant_id,
        lambda: resolve_backtest(tenant_id, request),
        name=request.name,
        force=request.force,
        idempotency_key=idempotency_key,
        fingerprint=request_hash("backtest", body),
    )


def submit_optimization(
    tenant_id: str, request: OptimizationRequest, idempotency_key: str | None
) -> JobRecord:
    def resolved() -> Resolved:
        result = resolve_optimization(tenant_id, request)
        check_size(result)
        return result

    return submit(
        tenant_id,
        resolved,
        name=request.name,
        force=request.force,
        idempotency_key=idempotency_key,
        fingerprint=request_hash("optimization", request.model_dump(mode="json")),
    )


def submit(
    tenant_id: str,
    resolve: Callable[[], Resolved],
    *,
    name: str | None,
    force: bool,
    idempotency_key: str | None,
    fingerprint: str,
) -> JobRecord:
    """The job for a request: a replay of its key, a cached copy of identical work, or a new run.

    ``resolve`` (called only when the key does not answer) returns the :class:`Resolved` request;
    ``fingerprint`` is what the key is bound to (:func:`request_hash`).
    """

    def create(job_id: str, resolved: Resolved) -> JobRecord:
        source = None if force else _cached_source(tenant_id, resolved.spec)
        if source is not None:
            return _copy_cached(tenant_id, job_id, resolved, name, source)
        return _start(tenant_id, job_id, resolved, name)

    return submit_once(tenant_id, idempotency_key, fingerprint, resolve, create)


def submit_once(
    tenant_id: str,
    idempotency_key: str | None,
    fingerprint: str,
    prepare: Callable[[], _T],
    create: Callable[[str, _T], JobRecord],
) -> JobRecord:
    """Create a job at most once per ``Idempotency-Key`` (any kind: backtests, optimizations,
    pipeline and command runs, a workflow's steps): a key seen with the same ``fingerprint`` answers
    its job; otherwise ``prepare()`` (the checks) runs, the key is claimed for a new job id and
    ``create(job_id, prepared)`` makes the job (the claim is released when it fails)."""
    if idempotency_key is not None:
        replayed = _replay(tenant_id, idempotency_key, fingerprint)
        if replayed is not None:
            return replayed
    prepared = prepare()
    job_id = new_job_id()
    if idempotency_key is not None:
        replayed = _claim(tenant_id, idempotency_key, fingerprint, job_id)
        if replayed is not None:
            return replayed
    try:
        return create(job_id, prepared)
    except Exception:
        if idempotency_key is not None:
            _release(tenant_id, idempotency_key, job_id)
        raise


def _jobs() -> type[JobRecord]:
    from tradewind.data.jobs import JobRecord

    return JobRecord


def _replay(tenant_id: str, key: str, fingerprint: str) -> JobRecord | None:
    """The job an earlier request with this key created; 422 when that request was another one."""
    from tradewind.data.jobs import IdempotencyRecord

    try:
        earlier = IdempotencyRecord.get(*IdempotencyRecord.key(tenant_id, key))
    except IdempotencyRecord.DoesNotExist:
        return None
    if earlier.expires_at is not None and earlier.expires_at <= datetime.now(UTC):
        return None  # expired, not yet removed by TTL
    return _answer_for(tenant_id, earlier.job_id, earlier.request_hash, fingerprint)


def _answer_for(tenant_id: str, job_id: str, bound_to: str, fingerprint: str) -> JobRecord:
    if bound_to != fingerprint:
        msg = "this key was used for a different request in the last 24 hours; use a new key"
        raise InvalidInput(
            "Idempotency-Key reused with another request.",
            [FieldProblem(list(HEADER_LOC), msg, "key_reused")],
        )
    job = get_record(tenant_id, job_id)
    if job is None:
        raise _key_in_use()
    return job


def _key_in_use() -> Conflict:
    msg = "the job of this key is still being created or was deleted; retry shortly or use a new key"
    return Conflict("Idempotency-Key has no job.", [FieldProblem(list(HEADER_LOC), msg, "key_in_use")])


def _claim(tenant_id: str, key: str, fingerprint: str, job_id: str) -> JobRecord | None:
    """Bind the key to ``job_id``; when a concurrent request bound it first, answer what it answers."""
    from pynamodb.exceptions import PutError

    from tradewind.data.jobs import IdempotencyRecord

    now = datetime.now(UTC)
    record = IdempotencyRecord(
        *IdempotencyRecord.key(tenant_id, key),
        tenant_id=tenant_id,
        job_id=job_id,
        request_hash=fingerprint,
        expires_at=now + IDEMPOTENCY_TTL,
    )
    try:
        record.save(condition=IdempotencyRecord.pk.does_not_exist() | (IdempotencyRecord.expires_at <= now))
    except PutError as exc:
        if not condition_failed(exc):
            raise
        try:
            winner = IdempotencyRecord.get(*IdempotencyRecord.key(tenant_id, key), consistent_read=True)
        except IdempotencyRecord.DoesNotExist:  # the winner's job failed to start and freed the key
            raise _key_in_use() from None
        return _answer_for(tenant_id, winner.job_id, winner.request_hash, fingerprint)
    return None


def _release(tenant_id: str, key: str, job_id: str) -> None:
    """Unbind a key whose job could not be created, so the client's retry can try again."""
    from tradewind.data.jobs import IdempotencyRecord

    claim = IdempotencyRecord(*IdempotencyRecord.key(tenant_id, key))
    try:
        claim.delete(condition=IdempotencyRecord.job_id == job_id)
    except Exception:  # the submission's own error is the one to report; the key expires in 24 h
        logger.exception("could not release Idempotency-Key of job %s", job_id)


def _cached_source(tenant_id: str, spec: JobSpec) -> JobRecord | None:
    """The succeeded job that holds the result of this exact work, if any."""
    from tradewind.data.jobs import JobHashRecord

    try:
        pointer = JobHashRecord.get(*JobHashRecord.key(tenant_id, spec.kind, spec.content_hash()))
    except JobHashRecord.DoesNotExist:
        return None
    job = get_record(tenant_id, pointer.job_id)
    return job if job is not None and job.status == "succeeded" else None


def _new_record(tenant_id: str, job_id: str, resolved: Resolved, name: str | None, **extra: Any) -> JobRecord:
    records, spec = _jobs(), resolved.spec
    now = datetime.now(UTC)
    gsi1pk, gsi1sk = records.kind_index_key(tenant_id, spec.kind, job_id)
    return records(
        *records.key(tenant_id, job_id),
        gsi1pk=gsi1pk,
        gsi1sk=gsi1sk,
        tenant_id=tenant_id,
        job_id=job_id,
        kind=spec.kind,
        name=name,
        strategy_id=spec.strategy_id,
        strategy_version=spec.strategy_version,
        strategy_name=resolved.strategy_name,
        dataset_id=spec.dataset_id,
        symbols=list(spec.symbols),
        request_hash=spec.content_hash(),
        created_at=now,
        updated_at=now,
        **{"shards_total": resolved.shards, "combos_total": resolved.runs, **extra},
    )


def _copy_cached(
    tenant_id: str, job_id: str, resolved: Resolved, name: str | None, source: JobRecord
) -> JobRecord:
    """A succeeded job marked ``cached`` with a copy of ``source``'s results (objects first, record last)."""

    def write_objects() -> None:
        store.copy_prefix(result_key(tenant_id, source.job_id, ""), result_key(tenant_id, job_id, ""))
        store.write_spec(tenant_id, job_id, resolved.spec)

    now = datetime.now(UTC)
    record = _new_record(
        tenant_id,
        job_id,
        resolved,
        name,
        status="succeeded",
        cached=True,
        summary=source.summary,
        shards_total=source.shards_total,
        shards_done=source.shards_total,
        combos_total=source.combos_total,
        combos_done=source.combos_total,
        started_at=now,
        finished_at=now,
        timeline=[entry("succeeded", f"answered from job {source.job_id}", now)],
    )
    save_new_job(record, write_objects, _save_counted)
    return record


def _save_counted(record: JobRecord) -> None:
    """Create the cached copy's record and count it, created and succeeded, in the job stats."""
    from tradewind.jobs.stats import count_created

    def fill(transaction: TransactWrite) -> None:
        transaction.save(record, condition=type(record).pk.does_not_exist())
        count_created(transaction, record, "succeeded")

    transact(fill)


def _start(tenant_id: str, job_id: str, resolved: Resolved, name: str | None) -> JobRecord:
    """Write the spec and the ``queued`` record (taking one of the tenant's running slots and a run of
    the day, or 429: :mod:`tradewind.jobs.caps`), then start the workflow execution named ``job_id``
    (its ARN follows from the name: :func:`tradewind.jobs.lifecycle.execution_arn`)."""
    caps.check(tenant_id)  # a tenant at a cap is answered before anything is written
    record = _new_record(tenant_id, job_id, resolved, name, status="queued")
    save_new_job(record, lambda: store.write_spec(tenant_id, job_id, resolved.spec), caps.create_running)
    try:
        aws.client("stepfunctions").start_execution(
            stateMachineArn=get_settings().job_state_machine_arn,
            name=job_id,
            input=json.dumps({"tenant_id": tenant_id, "job_id": job_id}),
        )
    except Exception as exc:
        _mark_not_started(record, exc)
        raise
    return record


def save_new_job(
    record: JobRecord, write_objects: Callable[[], None], save: Callable[[JobRecord], None] | None = None
) -> None:
    """The job's objects, then its record (``save``, by default a put that must create it); if either
    fails, the objects written go (nothing half-written). Then the job is announced on the tenant's feed."""
    try:
        write_objects()
        if save is None:
            record.save(condition=type(record).pk.does_not_exist())
        else:
            save(record)
    except Exception:
        store.delete_job_objects(record.tenant_id, record.job_id)
        raise
    events.announce_created(record)


def _mark_not_started(record: JobRecord, exc: Exception) -> None:
    """``failed`` with the reason (releasing the job's running slot), unless cancelled meanwhile."""
    now = datetime.now(UTC)
    reason = f"the workflow could not be started: {type(exc).__name__}: {exc}"[:1000]
    finish(record, "failed", ("queued",), error=reason, finished_at=now, updated_at=now)


def submit_combination(
    tenant_id: str, optimization_id: str, combination: int, *, force: bool, idempotency_key: str | None
) -> JobRecord:
    """Rerun one combination of a succeeded optimization as a full backtest (trades and curves).

    The backtest names the optimization's stored strategy version when it had one, so it shares the
    result cache with a plain backtest of the same parameters.
    """
    from tradewind.jobs.lifecycle import get_job, require_succeeded
    from tradewind.jobs.results import combination_request

    source = get_job(tenant_id, optimization_id, "optimization")
    require_succeeded(source)
    label = source.name or source.strategy_name or "optimization"

    def resolved() -> Resolved:
        request = combination_request(source, combination)
        result = resolve_backtest(tenant_id, request)
        spec = result.spec.model_copy(
            update={"strategy_id": source.strategy_id, "strategy_version": source.strategy_version}
        )
        return dataclasses.replace(
            result, spec=spec, strategy_name=source.strategy_name or result.strategy_name
        )

    fingerprint = request_hash(
        "combination", {"optimization": optimization_id, "combination": combination, "force": force}
    )
    return submit(
        tenant_id,
        resolved,
        name=f"{label} #{combination}",
        force=force,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
    )
