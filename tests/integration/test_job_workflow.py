"""The synthesized job workflow executed under moto with the real handlers in-process.

Each test writes a job (record + spec.json, as submit does) for sample bars published into the
provisioned stack, starts the synthesized state machine and checks what a client would read: the
record, the result artifacts, markers, notifications and WebSocket messages. Results are compared
exactly with ``tradewind.engine`` called directly on the same bars.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from http.server import ThreadingHTTPServer
from typing import Any

import boto3
import numpy as np
import pandas as pd
import pytest
from tradewind.aws import reset_clients
from tradewind.jobs import artifacts, store
from tradewind.jobs.spec import JobSpec, Objective, WalkForward
from tradewind.strategy.templates import TEMPLATES

from infra.local.cloud import LocalCloud
from tests.integration.marketdata_support import publish_sample_dataset
from tests.integration.test_realtime import Client, ManagementApi, _load, _server_for

TENANT = "quant"
DATASET = "bars1"
START, END = date(2016, 1, 1), date(2019, 12, 31)
SPACE: dict[str, Any] = {
    "fast": {"min": 5, "max": 40, "step": 5},
    "slow": {"min": 20, "max": 100, "step": 10},
}
SHARD_COMBINATIONS = 16


@dataclass
class Market:
    """The published sample bars: each symbol's frame cut to the period, as the engine is given them."""

    frames: dict[str, pd.DataFrame]

    @property
    def symbols(self) -> list[str]:
        return list(self.frames)


@pytest.fixture(scope="module")
def market(cloud: LocalCloud) -> Market:
    """Three sample symbols published as a ready dataset of the tenant (what an import leaves)."""
    full = publish_sample_dataset(TENANT, DATASET, 3)
    last = pd.Timestamp(END) + pd.Timedelta(days=1)
    cut = {
        symbol: frame[(frame["timestamp"] >= pd.Timestamp(START)) & (frame["timestamp"] < last)]
        for symbol, frame in full.items()
    }
    return Market(cut)


@pytest.fixture
def small_shards(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Shards of at most ``SHARD_COMBINATIONS`` combinations, so every sweep has several per symbol."""
    monkeypatch.setenv("TW_SHARD_COMBINATIONS", str(SHARD_COMBINATIONS))
    reset_clients()
    yield
    monkeypatch.undo()
    reset_clients()


def sfn() -> Any:
    return boto3.session.Session(region_name="us-east-1").client("stepfunctions")


def optimization(symbols: list[str], **overrides: Any) -> JobSpec:
    fields: dict[str, Any] = {
        "kind": "optimization",
        "strategy": TEMPLATES["sma_cross"](),
        "dataset_id": DATASET,
        "dataset_version": "v1",
        "symbols": symbols,
        "start": START,
        "end": END,
        "space": SPACE,
        "objective": Objective(metric="sharpe"),
        "min_trades": 5,
        "top_n": 10,
        **overrides,
    }
    return JobSpec(**fields)


def backtest(symbols: list[str], **overrides: Any) -> JobSpec:
    fields: dict[str, Any] = {
        "kind": "backtest",
        "strategy": TEMPLATES["sma_cross"](),
        "dataset_id": DATASET,
        "dataset_version": "v1",
        "symbols": symbols,
        "start": START,
        "end": END,
        "params": {"fast": 10, "slow": 40},
        "cash": 50_000.0,
        **overrides,
    }
    return JobSpec(**fields)


@dataclass
class Run:
    job_id: str
    execution_arn: str
    spec: JobSpec  # as submit resolved and stored it

    def plan_output(self) -> dict[str, Any]:
        return {
            "tenant_id": TENANT,
            "job_id": self.job_id,
            "manifest_key": artifacts.manifest_key(TENANT, self.job_id),
        }


def start(cloud: LocalCloud, spec: JobSpec) -> Run:
    """Submit the job as the API does (``force``: never answered from the result cache)."""
    from tradewind.jobs.lifecycle import execution_arn
    from tradewind.jobs.spec import BacktestRequest, OptimizationRequest
    from tradewind.jobs.submit import submit_backtest, submit_optimization

    shared = {
        "strategy": spec.strategy,
        "dataset_id": spec.dataset_id,
        "symbols": spec.symbols,
        "start": spec.start,
        "end": spec.end,
        "cash": spec.cash,
        "weights": spec.weights,
        "name": f"test {spec.kind}",
        "force": True,
    }
    if spec.kind == "backtest":
        submitted = submit_backtest(TENANT, BacktestRequest(**shared, params=spec.params), None)
    else:
        request = OptimizationRequest(
            **shared,
            **spec.model_dump(
                include={
                    "space",
                    "samples",
                    "seed",
                    "objective",
                    "constraints",
                    "min_trades",
                    "walk_forward",
                    "metrics",
                    "top_n",
                }
            ),
        )
        submitted = submit_optimization(TENANT, request, None)
    assert submitted.status == "queued"
    stored = store.read_spec(TENANT, submitted.job_id)
    assert stored is not None
    return Run(submitted.job_id, execution_arn(submitted.job_id), stored)


def start_unchecked(cloud: LocalCloud, spec: JobSpec) -> Run:
    """Record a queued job and its spec and start the execution without submit's checks: what the
    workflow meets when the data changed after a job was submitted."""
    from tradewind.data.jobs import JobRecord

    job_id = uuid.uuid4().hex[:20]
    now = datetime.now(UTC)
    JobRecord(
        *JobRecord.key(TENANT, job_id),
        tenant_id=TENANT,
        job_id=job_id,
        kind=spec.kind,
        status="queued",
        dataset_id=spec.dataset_id,
        symbols=spec.symbols,
        request_hash=spec.content_hash(),
        created_at=now,
        updated_at=now,
    ).save()
    store.write_spec(TENANT, job_id, spec)
    started = sfn().start_execution(
        stateMachineArn=cloud.env["TW_JOB_STATE_MACHINE_ARN"],
        name=job_id,
        input=json.dumps({"tenant_id": TENANT, "job_id": job_id}),
    )
    return Run(job_id, started["executionArn"], spec)


def run(cloud: LocalCloud, spec: JobSpec, status: str = "SUCCEEDED", *, checked: bool = True) -> Run:
    started = (start if checked else start_unchecked)(cloud, spec)
    described = cloud.wait_for_execution(started.execution_arn)
    assert described["status"] == status, described
    return started


def record(job_id: str) -> Any:
    from tradewind.jobs.records import get_record

    found = get_record(TENANT, job_id)
    assert found is not None
    return found


def result(job_id: str, name: str) -> Any:
    body = store.get_bytes(artifacts.result_key(TENANT, job_id, name))
    assert body is not None, name
    return pd.read_parquet(pd.io.common.BytesIO(body)) if name.endswith(".parquet") else json.loads(body)


def markers(job_id: str) -> list[int]:
    from tradewind.data.jobs import ShardMarker

    pk, prefix = ShardMarker.key(TENANT, job_id)
    return sorted(int(m.shard) for m in ShardMarker.query(pk, ShardMarker.sk.startswith(prefix)))


def notifications(kind: str) -> list[Any]:
    from tradewind.services.notifications import list_notifications

    items, _ = list_notifications(TENANT, 100, None)
    return [n for n in items if n.kind == kind]


def cached_job(spec: JobSpec) -> str | None:
    from tradewind.data.jobs import JobHashRecord

    try:
        return str(JobHashRecord.get(*JobHashRecord.key(TENANT, spec.kind, spec.content_hash())).job_id)
    except JobHashRecord.DoesNotExist:
        return None


def expected_table(market: Market, spec: JobSpec) -> pd.DataFrame:
    """``engine.sweep`` per symbol, every metric averaged over the symbols in order (dates: earliest
    start, latest end), as the results document it."""
    from tradewind.engine.api import sweep

    per_symbol = [
        sweep(market.frames[s], spec.strategy, spec.space, spec.constraints, spec.cash, spec.metrics)
        for s in spec.symbols
    ]
    params = list(spec.strategy.parameters)
    table = per_symbol[0][params].copy()
    table.insert(0, "combination", np.arange(len(table)))
    for name in per_symbol[0].columns.drop(params):
        columns = [frame[name] for frame in per_symbol]
        if pd.api.types.is_datetime64_any_dtype(columns[0]):
            table[name] = (
                pd.concat(columns, axis=1).min(axis=1)
                if name == "start"
                else pd.concat(columns, axis=1).max(axis=1)
            )
            continue
        total = columns[0].astype(np.float64)
        for column in columns[1:]:
            total = total + column.astype(np.float64)
        table[name] = total / len(columns)
    return table


def expected_ranking(table: pd.DataFrame, spec: JobSpec) -> list[int]:
    eligible = table[table[spec.objective.metric].notna() & (table["trades"] >= spec.min_trades)]
    ordered = eligible.sort_values(
        [spec.objective.metric, "combination"], ascending=[spec.objective.direction == "minimize", True]
    )
    return [int(c) for c in ordered["combination"]]


def assert_same_columns(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected)
    for name in expected.columns:
        np.testing.assert_array_equal(got[name].to_numpy(), expected[name].to_numpy(), err_msg=name)


def json_number(value: Any) -> Any:
    """A metric as the result JSON carries it: non-finite numbers are null."""
    return None if isinstance(value, float) and not np.isfinite(value) else value


def test_a_sharded_sweep_over_three_symbols_equals_the_engine(
    cloud: LocalCloud, market: Market, small_shards: None
) -> None:
    spec = optimization(market.symbols)
    job = run(cloud, spec)

    expected = expected_table(market, spec)
    n_combos = len(expected)
    slices = -(-n_combos // SHARD_COMBINATIONS)
    done = record(job.job_id)
    assert done.status == "succeeded"
    assert (int(done.shards_done), int(done.shards_total)) == (3 * slices, 3 * slices)
    assert (int(done.combos_done), int(done.combos_total)) == (3 * n_combos, 3 * n_combos)
    assert markers(job.job_id) == list(range(3 * slices))
    assert done.finished_at is not None
    assert done.error is None

    assert_same_columns(result(job.job_id, artifacts.RESULT_TABLE_PARQUET), expected)
    body = store.get_bytes(artifacts.result_key(TENANT, job.job_id, artifacts.RESULT_TABLE_CSV))
    assert body is not None
    csv = pd.read_csv(pd.io.common.BytesIO(body))
    np.testing.assert_array_equal(csv["sharpe"].to_numpy(), expected["sharpe"].to_numpy())

    ranking = expected_ranking(expected, spec)[: spec.top_n]
    board = result(job.job_id, artifacts.RESULT_LEADERBOARD)
    assert board["objective"] == {"metric": "sharpe", "direction": "maximize"}
    assert [row["combination"] for row in board["rows"]] == ranking
    assert [row["rank"] for row in board["rows"]] == list(range(1, len(ranking) + 1))
    top = expected.iloc[ranking[0]]
    best = board["rows"][0]
    assert best["params"] == {"fast": int(top["fast"]), "slow": int(top["slow"])}
    assert best["metrics"]["sharpe"] == top["sharpe"]
    assert best["metrics"]["return_pct"] == json_number(top["return_pct"])
    assert best["metrics"]["start"] == f"{str(expected['start'].min())[:10]}T00:00:00Z"

    summary = result(job.job_id, artifacts.RESULT_SUMMARY)
    assert summary["best"] == best
    assert summary["combinations"] == n_combos
    assert summary["symbols"] == market.symbols
    assert summary["elapsed_seconds"] > 0
    assert summary["combos_per_second"] > 0
    assert done.summary == {
        "best_params": best["params"],
        "best_objective": top["sharpe"],
        "combinations": n_combos,
    }
    assert cached_job(job.spec) == job.job_id
    (note,) = [n for n in notifications("job.completed") if n.link == f"/optimizations/{job.job_id}"]
    assert note.title == "Optimization 'test optimization' finished"
    assert note.message["code"] == "job.completed.optimization"
    assert note.message["params"]["job"] == {
        "kind": "optimization",
        "name": "test optimization",
        "id": job.job_id,
    }
    assert note.message["params"]["combinations"] == n_combos


def test_a_seeded_random_sample_is_the_same_subset_every_time(
    cloud: LocalCloud, market: Market, small_shards: None
) -> None:
    from tradewind.engine.api import sweep_columns
    from tradewind.engine.bars import Bars
    from tradewind.strategy.space import expand

    spec = optimization(market.symbols[:1], samples=20, seed=7, metrics="screening", min_trades=0)
    job = run(cloud, spec)

    grid = expand(spec.strategy, spec.space)
    picked = np.sort(np.random.default_rng(7).choice(len(grid["fast"]), 20, replace=False))
    columns = {name: col[picked] for name, col in grid.items()}
    table = result(job.job_id, artifacts.RESULT_TABLE_PARQUET)
    np.testing.assert_array_equal(table["fast"].to_numpy(), columns["fast"])
    np.testing.assert_array_equal(table["slow"].to_numpy(), columns["slow"])
    direct = sweep_columns(
        Bars.from_frame(market.frames[spec.symbols[0]]), spec.strategy, columns, level="screening"
    )
    for name in direct.columns:
        np.testing.assert_array_equal(table[name].to_numpy(), direct[name].to_numpy(dtype=np.float64))
    assert list(table.columns) == [
        "combination",
        "fast",
        "slow",
        "return_pct",
        "sharpe",
        "max_drawdown_pct",
        "trades",
    ]


def test_walk_forward_reports_each_windows_in_sample_winner_out_of_sample(
    cloud: LocalCloud, market: Market
) -> None:
    from tradewind.engine.api import backtest_one, sweep
    from tradewind.engine.bars import Bars

    walk = WalkForward(train_bars=300, test_bars=200)
    spec = optimization(market.symbols[:2], walk_forward=walk, space={"fast": [5, 10, 20], "slow": [30, 60]})
    job = run(cloud, spec)

    times = np.unique(np.concatenate([f["timestamp"].to_numpy() for f in market.frames.values()]))
    report = result(job.job_id, artifacts.RESULT_WALK_FORWARD)
    expected_windows = (len(times) - 500) // 200 + 1
    assert len(report["windows"]) == expected_windows
    table = result(job.job_id, artifacts.RESULT_TABLE_PARQUET)
    assert sorted(table["wf_window"].unique()) == list(range(expected_windows))
    for number, window in enumerate(report["windows"]):
        lo = number * 200
        train, test = times[lo : lo + 300], times[lo + 300 : lo + 500]
        assert window["train"] == {"start": f"{str(train[0])[:19]}Z", "end": f"{str(train[-1])[:19]}Z"}
        assert window["test"] == {"start": f"{str(test[0])[:19]}Z", "end": f"{str(test[-1])[:19]}Z"}

        def during(frame: pd.DataFrame, span: np.ndarray) -> pd.DataFrame:
            return frame[(frame["timestamp"] >= span[0]) & (frame["timestamp"] <= span[-1])]

        in_sample = [
            sweep(during(market.frames[s], train), spec.strategy, spec.space, level="full")
            for s in spec.symbols
        ]
        sharpe = (in_sample[0]["sharpe"] + in_sample[1]["sharpe"]) / 2
        trades = (in_sample[0]["trades"].astype(float) + in_sample[1]["trades"].astype(float)) / 2
        mine = table[table["wf_window"] == number]
        np.testing.assert_array_equal(mine["sharpe"].to_numpy(), sharpe.to_numpy())
        ok = sharpe.notna() & (trades >= spec.min_trades)
        winner = int(sharpe[ok].sort_values(ascending=False, kind="stable").index[0])
        params = {"fast": int(in_sample[0]["fast"][winner]), "slow": int(in_sample[0]["slow"][winner])}
        assert window["params"] == params
        out = [
            backtest_one(Bars.from_frame(during(market.frames[s], test)), spec.strategy, params, spec.cash)
            for s in spec.symbols
        ]
        oos = (out[0].metrics["return_pct"] + out[1].metrics["return_pct"]) / 2
        assert window["out_of_sample"]["return_pct"] == oos
    returns = [w["out_of_sample"]["return_pct"] for w in report["windows"]]
    total = returns[0]
    for value in returns[1:]:
        total = total + value
    assert report["out_of_sample"]["return_pct"] == total / len(returns)
    board = result(job.job_id, artifacts.RESULT_LEADERBOARD)
    assert board["rows"][0]["params"] == report["windows"][-1]["params"]


def test_a_backtest_equals_the_engine_portfolio(cloud: LocalCloud, market: Market) -> None:
    from tradewind.engine.api import backtest as engine_backtest

    symbols = market.symbols[:2]
    weights = {symbols[0]: 2.0, symbols[1]: 1.0}
    spec = backtest(symbols, weights=weights)
    job = run(cloud, spec)

    direct = engine_backtest(
        {s: market.frames[s] for s in symbols}, spec.strategy, spec.params, spec.cash, weights
    )
    done = record(job.job_id)
    assert (done.status, int(done.shards_total), int(done.shards_done)) == ("succeeded", 2, 2)
    summary = result(job.job_id, artifacts.RESULT_SUMMARY)
    for name, value in direct.metrics.items():
        if name in {"start", "end"}:
            assert summary["portfolio"][name] == f"{str(value)[:10]}T00:00:00Z"
        else:
            assert summary["portfolio"][name] == json_number(float(value)), name
    for symbol in symbols:
        assert summary["symbols"][symbol]["sharpe"] == json_number(
            float(direct.symbols[symbol].metrics["sharpe"])
        )
        assert summary["symbols"][symbol]["trades"] == int(direct.symbols[symbol].metrics["trades"])
    assert summary["weights"] == {symbols[0]: 2 / 3, symbols[1]: 1 / 3}
    assert summary["params"] == {"fast": 10, "slow": 40}
    assert done.summary == {
        "return_pct": float(direct.metrics["return_pct"]),
        "sharpe": float(direct.metrics["sharpe"]),
        "max_drawdown_pct": float(direct.metrics["max_drawdown_pct"]),
        "trades": int(direct.metrics["trades"]),
    }

    trades = result(job.job_id, artifacts.RESULT_TRADES)
    expected = pd.concat(
        [direct.symbols[s].trades.assign(symbol=s, order=i) for i, s in enumerate(symbols)], ignore_index=True
    ).sort_values(["entry_time", "order"], kind="stable")
    assert len(trades) == len(expected)
    assert [t["symbol"] for t in trades] == expected["symbol"].tolist()
    assert [t["pnl"] for t in trades] == expected["pnl"].tolist()
    assert [t["entry_price"] for t in trades] == expected["entry_price"].tolist()
    assert [t["duration_bars"] for t in trades] == (expected["exit_bar"] - expected["entry_bar"]).tolist()
    assert [t["exit_reason"] for t in trades] == expected["exit_reason"].tolist()
    assert trades[0]["entry_time"].endswith("Z")

    curves = result(job.job_id, artifacts.RESULT_CURVES)
    assert curves["portfolio"]["equity"] == direct.equity.tolist()
    assert curves["portfolio"]["drawdown_pct"] == direct.drawdown.tolist()
    assert len(curves["portfolio"]["time"]) == len(direct.equity)
    assert curves["symbols"][symbols[1]]["equity"] == direct.symbols[symbols[1]].equity.tolist()
    benchmark = curves["portfolio"]["benchmark"]
    assert len(benchmark) == len(direct.equity)
    assert benchmark[0] == pytest.approx(spec.cash)
    assert benchmark[-1] / spec.cash - 1 == pytest.approx(float(direct.metrics["buy_hold_return_pct"]) / 100)


Fault = Callable[[dict[str, Any], int], None]


@pytest.fixture
def flaky_worker(monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[int]]:
    """Wrap the worker: ``before(event, attempt)`` runs ahead of each call and ``after`` once the
    shard is done (counted), either may raise; returns the shard numbers called, in call order."""
    from tradewind.jobs import worker

    original = worker.work

    def install(before: Fault | None = None, after: Fault | None = None) -> list[int]:
        calls: list[int] = []
        lock = threading.Lock()

        def work(event: dict[str, Any]) -> dict[str, Any]:
            shard = int(event["shard"]["shard"])
            with lock:
                calls.append(shard)
                attempt = calls.count(shard)
            if before:
                before(event, attempt)
            out = original(event)
            if after:
                after(event, attempt)
            return out

        monkeypatch.setattr(worker, "work", work)
        return calls

    return install


def test_a_worker_that_fails_once_is_retried_and_counted_once(
    cloud: LocalCloud, market: Market, small_shards: None, flaky_worker: Any
) -> None:
    def crash_after_counting(event: dict[str, Any], attempt: int) -> None:
        """The first attempt of shard 1 does all its work (object, marker, counters), then dies."""
        if event["shard"]["shard"] == 1 and attempt == 1:
            raise RuntimeError("lost the connection after counting")

    calls = flaky_worker(after=crash_after_counting)
    spec = optimization(market.symbols[:2], top_n=5)
    job = run(cloud, spec)

    assert calls.count(1) == 2
    assert calls.count(0) == 1
    done = record(job.job_id)
    slices = -(-len(expected_table(market, spec)) // SHARD_COMBINATIONS)
    assert int(done.shards_done) == int(done.shards_total) == 2 * slices
    assert int(done.combos_done) == int(done.combos_total)
    assert markers(job.job_id) == list(range(2 * slices))
    assert_same_columns(result(job.job_id, artifacts.RESULT_TABLE_PARQUET), expected_table(market, spec))
    assert done.error is None


def test_a_worker_that_always_fails_fails_the_job_with_its_reason(
    cloud: LocalCloud, market: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tradewind.jobs import worker

    original, attempts = worker.run, []

    def broken(job: Any, shard: Any) -> Any:
        if shard.symbol == market.symbols[1]:
            attempts.append(shard.shard)
            raise RuntimeError("disk on fire")
        return original(job, shard)

    monkeypatch.setattr(worker, "run", broken)
    spec = optimization(market.symbols[:2], space={"fast": [5, 10], "slow": [30, 40]}, min_trades=1)
    job = run(cloud, spec, status="FAILED")

    assert attempts == [1, 1, 1]  # the first attempt and two retries
    failed = record(job.job_id)
    assert failed.status == "failed"
    reason = f"a shard failed after its retries: shard 1 ({market.symbols[1]}): RuntimeError: disk on fire"
    assert failed.error == reason
    assert failed.finished_at is not None
    assert failed.summary is None
    assert store.list_keys(artifacts.result_key(TENANT, job.job_id, "")) == []
    assert cached_job(job.spec) is None
    (note,) = [n for n in notifications("job.failed") if n.link == f"/optimizations/{job.job_id}"]
    assert note.body == reason
    assert note.title == "Optimization 'test optimization' failed"
    assert (note.message["code"], note.message["params"]["reason"]) == ("job.failed", reason)


def test_bad_inputs_fail_in_plan_without_retries_and_say_why(cloud: LocalCloud, market: Market) -> None:
    job = run(cloud, backtest([market.symbols[0], "NOPE"]), status="FAILED", checked=False)
    failed = record(job.job_id)
    assert failed.error == f"not in dataset {DATASET}: NOPE"
    assert failed.shards_total == 0
    history = sfn().get_execution_history(executionArn=job.execution_arn, maxResults=1000)["events"]
    assert sum(e["type"] == "LambdaFunctionFailed" for e in history) == 1


def test_a_job_cancelled_mid_run_stays_cancelled(
    cloud: LocalCloud, market: Market, small_shards: None, flaky_worker: Any
) -> None:
    from tradewind.jobs.lifecycle import cancel_job
    from tradewind.jobs.reduce import reduce

    def cancel_on_first_shard(event: dict[str, Any], attempt: int) -> None:
        """The user cancels while shard 0 starts: the API marks the job and stops the execution."""
        if event["shard"]["shard"] == 0 and attempt == 1:
            cancel_job(TENANT, event["job_id"], "optimization")

    flaky_worker(before=cancel_on_first_shard)
    job = start(cloud, optimization(market.symbols[:2]))
    assert cloud.wait_for_execution(job.execution_arn)["status"] == "ABORTED"

    # Reduce never runs for an aborted execution; were it to run, it must leave the job as it is.
    assert reduce(job.plan_output()) == {"tenant_id": TENANT, "job_id": job.job_id, "status": "cancelled"}
    cancelled = record(job.job_id)
    assert cancelled.status == "cancelled"
    assert int(cancelled.shards_done) < int(cancelled.shards_total)
    assert len(markers(job.job_id)) == int(cancelled.shards_done)
    assert store.list_keys(artifacts.result_key(TENANT, job.job_id, "")) == []
    assert cached_job(job.spec) is None
    (note,) = [n for n in notifications("job.cancelled") if n.link == f"/optimizations/{job.job_id}"]
    assert note.message["code"] == "job.cancelled"


@pytest.fixture
def management_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[ManagementApi]:
    """A loopback API Gateway management endpoint recording every post (see test_realtime)."""
    api = ManagementApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _server_for(api))
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    monkeypatch.setenv("TW_WS_MANAGEMENT_ENDPOINT", api.url)
    reset_clients()
    yield api
    server.shutdown()
    server.server_close()
    monkeypatch.undo()
    reset_clients()


def connected(connection_id: str) -> Client:
    from tradewind.realtime import tickets
    from tradewind.services import apikeys

    handlers = {name: _load(name).handler for name in ("ws_connect", "ws_disconnect", "ws_default")}
    client = Client(handlers, connection_id)
    secret = apikeys.create_api_key(TENANT, "browser").secret
    assert client.connect(query={"ticket": tickets.issue(secret).ticket})["statusCode"] == 200
    return client


def test_a_subscriber_receives_progress_then_completion_in_order(
    cloud: LocalCloud,
    market: Market,
    small_shards: None,
    management_api: ManagementApi,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tradewind.jobs import plan as planning

    # The browser subscribes between submit and the first step: plan waits until it has.
    subscribed = threading.Event()
    original = planning.plan

    def plan_once_subscribed(event: dict[str, Any]) -> dict[str, Any]:
        assert subscribed.wait(30)
        return original(event)

    monkeypatch.setattr(planning, "plan", plan_once_subscribed)
    job = start(cloud, optimization(market.symbols, top_n=3))
    browser = connected("browser-1")
    reply = browser.send({"action": "subscribe", "topics": [f"job:{job.job_id}", "notifications"]})
    assert reply["statusCode"] == 200
    subscribed.set()
    assert cloud.wait_for_execution(job.execution_arn)["status"] == "SUCCEEDED"

    on_topic = [m for m in management_api.posts["browser-1"] if m["topic"] == f"job:{job.job_id}"]
    assert any(m["type"] == "job.log" for m in on_topic)  # log lines share the topic (docs/websocket.md)
    messages = [m for m in on_topic if m["type"] != "job.log"]
    types = [m["type"] for m in messages]
    assert types[0] == "job.progress"  # the snapshot sent at subscribe: the job is queued
    assert messages[0]["payload"]["status"] == "queued"
    assert types[-1] == "job.completed"
    assert set(types[1:-1]) == {"job.progress"}
    progress = [m["payload"] for m in messages[1:-1]]
    assert len(progress) >= 2  # at least plan's start and the last shard's
    assert progress[0]["combos_done"] == 0
    assert progress[0]["status"] == "running"
    # Two shards finishing within milliseconds publish concurrently, so their messages may cross
    # (docs/websocket.md); the one with the most shards done is the last shard's, and it is complete.
    latest = max(progress, key=lambda p: p["shards_done"])
    assert progress[0]["combos_total"] == latest["combos_total"] > 0
    assert latest["shards_done"] == latest["shards_total"]
    assert latest["combos_done"] == max(p["combos_done"] for p in progress)
    assert latest["combos_per_second"] > 0
    assert latest["eta_seconds"] == 0
    completed = messages[-1]["payload"]
    assert completed == {"job_id": job.job_id, "status": "succeeded", "summary": record(job.job_id).summary}
    assert messages[-1]["ts"] >= max(m["ts"] for m in messages[:-1])
    notices = [m for m in management_api.posts["browser-1"] if m["type"] == "notification"]
    assert notices[-1]["payload"]["kind"] == "job.completed"

    late = connected("browser-2")
    late.send({"action": "subscribe", "topics": [f"job:{job.job_id}"]})
    assert management_api.types("browser-2") == ["subscribed", "job.completed"]
    assert management_api.posts["browser-2"][-1]["payload"] == completed
