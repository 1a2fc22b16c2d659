"""Fault injection on the real job workflow (issue #13): each fault ends with every shard counted
exactly once and the same results as a clean run, or with the job failed and the reason named.

Faults are injected by wrapping the real handlers' steps (the worker, its counting and reporting,
reduce) and the real DynamoDB client (a ``before-send`` hook on the job table's botocore client that
answers a request as DynamoDB would when it conflicts or throttles, so botocore's own retries and
the code's transaction retries run as they would in AWS). Nothing under test is mocked.

``make chaos`` runs this module with ``TW_CHAOS_REPORT=1`` and prints the table of faults and outcomes.
"""

# ruff: noqa: F811  (the fixtures imported from test_job_workflow are parameters here)
from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from tradewind.jobs import artifacts

from infra.local.cloud import LocalCloud
from tests.integration.test_job_workflow import (  # noqa: F401  (fixtures: market, small_shards)
    Market,
    markers,
    market,
    optimization,
    record,
    result,
    small_shards,
    start,
)

OUTCOMES: list[tuple[str, str, str]] = []


@pytest.fixture(scope="module", autouse=True)
def chaos_report() -> Iterator[None]:
    """With ``TW_CHAOS_REPORT`` set (``make chaos``), print the faults injected and their outcomes."""
    yield
    if os.environ.get("TW_CHAOS_REPORT") and OUTCOMES:
        width = max(len(fault) for fault, _, _ in OUTCOMES)
        lines = ["", f"{'fault injected':<{width}}  {'outcome':<10}  detail", "-" * (width + 60)]
        lines += [f"{fault:<{width}}  {outcome:<10}  {detail}" for fault, outcome, detail in OUTCOMES]
        print("\n".join(lines))


@pytest.fixture(scope="module")
def clean(cloud: LocalCloud, market: Market) -> dict[str, Any]:
    """The uninterrupted run every faulty one is compared with."""
    patch = pytest.MonkeyPatch()
    patch.setenv("TW_SHARD_COMBINATIONS", "16")
    from tradewind.aws import reset_clients

    reset_clients()
    try:
        job = start(cloud, spec(market))
        assert cloud.wait_for_execution(job.execution_arn)["status"] == "SUCCEEDED"
    finally:
        patch.undo()
        reset_clients()
    return {
        "table": result(job.job_id, artifacts.RESULT_TABLE_PARQUET),
        "leaderboard": result(job.job_id, artifacts.RESULT_LEADERBOARD),
        "shards": int(record(job.job_id).shards_total),
    }


def spec(market: Market) -> Any:
    return optimization(market.symbols[:2], top_n=5)


def wrap(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, fault: Callable[..., Any]) -> list[int]:
    """Replace ``module.name`` by ``fault(real, *args)``; returns a list the fault may record into."""
    real = getattr(module, name)
    seen: list[int] = []
    monkeypatch.setattr(module, name, lambda *args: fault(real, seen, *args))
    return seen


def first_time(seen: list[int], shard: int, lock: threading.Lock = threading.Lock()) -> bool:
    with lock:
        hit = shard not in seen
        seen.append(shard)
    return hit


@dataclass(frozen=True)
class Faulty:
    """What a fault test needs: the local cloud and market, the clean run, and a place to patch."""

    cloud: LocalCloud
    market: Market
    clean: dict[str, Any]
    monkeypatch: pytest.MonkeyPatch

    def wrap(self, module: Any, name: str, fault: Callable[..., Any]) -> list[int]:
        """:func:`wrap` for this test."""
        return wrap(self.monkeypatch, module, name, fault)

    def assert_like_clean(self, job_id: str, fault: str, note: str = "") -> None:
        """The job succeeded with every shard counted once and the clean run's results."""
        import pandas as pd

        done = record(job_id)
        assert done.status == "succeeded", done.error
        total = self.clean["shards"]
        assert int(done.shards_done) == int(done.shards_total) == total
        assert int(done.combos_done) == int(done.combos_total)
        assert markers(job_id) == list(range(total))  # every shard counted, once
        pd.testing.assert_frame_equal(result(job_id, artifacts.RESULT_TABLE_PARQUET), self.clean["table"])
        assert result(job_id, artifacts.RESULT_LEADERBOARD) == self.clean["leaderboard"]
        OUTCOMES.append((fault, "succeeded", f"{total}/{total} shards counted once, same leaderboard{note}"))

    def run(self, expected: str = "SUCCEEDED") -> Any:
        """Start the job with the faults in place and wait for its execution to end ``expected``."""
        job = start(self.cloud, spec(self.market))
        assert self.cloud.wait_for_execution(job.execution_arn)["status"] == expected
        return job


@pytest.fixture
def faulty(
    cloud: LocalCloud,
    market: Market,
    small_shards: None,
    clean: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> Faulty:
    return Faulty(cloud, market, clean, monkeypatch)


def test_a_worker_that_raises_on_its_first_try(faulty: Faulty) -> None:
    from tradewind.jobs import worker

    def flaky(real: Any, seen: list[int], event: dict[str, Any]) -> Any:
        if first_time(seen, int(event["shard"]["shard"])):
            raise RuntimeError("cold start went wrong")
        return real(event)

    seen = faulty.wrap(worker, "work", flaky)
    job = faulty.run()
    assert len(seen) == 2 * faulty.clean["shards"]  # every shard failed once, then ran
    faulty.assert_like_clean(job.job_id, "worker raises on its first try", f" ({len(seen)} attempts)")


def test_a_worker_killed_after_writing_its_shard_before_counting_it(faulty: Faulty) -> None:
    from tradewind.jobs import worker

    def killed(real: Any, seen: list[int], record: Any, shard: Any) -> Any:
        if shard.shard == 1 and first_time(seen, 1):
            raise RuntimeError("killed after writing the shard object")
        return real(record, shard)

    seen = faulty.wrap(worker, "count", killed)
    job = faulty.run()
    assert seen.count(1) == 2
    faulty.assert_like_clean(job.job_id, "worker killed after its shard object, before counting")


def test_a_worker_that_counts_then_fails_to_report(faulty: Faulty) -> None:
    from tradewind.jobs import worker

    def dies(real: Any, seen: list[int], record: Any) -> Any:
        if first_time(seen, 0):
            raise RuntimeError("killed after counting, before reporting")
        return real(record)

    faulty.wrap(worker, "report", dies)
    counted = faulty.wrap(worker, "count", lambda real, seen, r, s: seen.append(s.shard) or real(r, s))
    job = faulty.run()
    assert len(counted) == faulty.clean["shards"] + 1  # the retry found its marker: counted once
    faulty.assert_like_clean(job.job_id, "worker counts, then dies before reporting")


def dynamodb_error(code: str, message: str, reasons: list[dict[str, str]] | None = None) -> AWSResponse:
    class Raw:
        def __init__(self, body: bytes) -> None:
            self.body = body

        def stream(self, **_: Any) -> Iterator[bytes]:
            yield self.body

    body: dict[str, Any] = {"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message}
    if reasons is not None:
        body["CancellationReasons"] = reasons
    headers = {"x-amzn-RequestId": "fault", "Content-Type": "application/x-amz-json-1.0"}
    return AWSResponse("https://dynamodb.local", 400, headers, Raw(json.dumps(body).encode()))


@pytest.fixture
def job_table_faults() -> Iterator[Callable[[str, Callable[[dict[str, Any]], AWSResponse | None]], None]]:
    """Register ``fault(params) -> response | None`` before the job table's client sends ``operation``."""
    from tradewind.data.jobs import JobRecord

    events = JobRecord._get_connection().connection.client.meta.events
    registered: list[tuple[str, Any]] = []

    def install(operation: str, fault: Callable[[dict[str, Any]], AWSResponse | None]) -> None:
        def handler(request: Any, **_: Any) -> AWSResponse | None:
            return fault(json.loads(request.body or b"{}"))

        name = f"before-send.dynamodb.{operation}"
        events.register_first(name, handler)
        registered.append((name, handler))

    yield install
    for name, handler in registered:
        events.unregister(name, handler)


def test_transaction_conflicts_on_the_job_item(faulty: Faulty, job_table_faults: Any) -> None:
    injected = []

    def conflict(params: dict[str, Any]) -> AWSResponse | None:
        items = params.get("TransactItems", [])
        counting = any(
            item.get("Put", {}).get("Item", {}).get("sk", {}).get("S", "").startswith("JOBSHARD#")
            for item in items
        )
        if len(injected) >= 6 or not counting:  # only the worker's counting transaction conflicts
            return None
        injected.append(1)
        reasons = [{"Code": "TransactionConflict", "Message": "another transaction on the item"}] * len(items)
        return dynamodb_error("TransactionCanceledException", "Transaction cancelled (fault)", reasons)

    job_table_faults("TransactWriteItems", conflict)
    job = faulty.run()
    assert len(injected) == 6
    faulty.assert_like_clean(job.job_id, "DynamoDB TransactionConflict on counting", " (6 conflicts)")


def test_throttling_on_the_job_item(faulty: Faulty, job_table_faults: Any) -> None:
    lock, calls, injected = threading.Lock(), [0], []

    def throttle(params: dict[str, Any]) -> AWSResponse | None:
        with lock:
            calls[0] += 1
            if len(injected) >= 10 or calls[0] % 2:
                return None
            injected.append(1)
        return dynamodb_error("ProvisionedThroughputExceededException", "Rate of requests exceeds (fault)")

    for operation in ("TransactWriteItems", "UpdateItem", "GetItem"):
        job_table_faults(operation, throttle)
    job = faulty.run()
    assert len(injected) == 10
    faulty.assert_like_clean(job.job_id, "DynamoDB throttling on the job item", " (10 throttled requests)")


def test_a_duplicate_delivery_of_the_same_shard(faulty: Faulty) -> None:
    from tradewind.jobs import worker

    outcomes: list[Any] = []

    def twice(real: Any, seen: list[int], event: dict[str, Any]) -> Any:
        if event["shard"]["shard"] != 1:
            return real(event)
        # The same item delivered twice at once (an at-least-once retry racing the first delivery).
        other = threading.Thread(target=lambda: outcomes.append(real(event)))
        other.start()
        out = real(event)
        other.join()
        outcomes.append(out)
        return out

    faulty.wrap(worker, "work", twice)
    job = faulty.run()
    assert sorted(bool(o.get("counted")) for o in outcomes) == [False, True]  # one of the two counted
    faulty.assert_like_clean(job.job_id, "duplicate delivery of one shard", " (2 deliveries, 1 counted)")


def test_the_reduce_step_failing_once_is_retried_and_ends_like_a_clean_run(faulty: Faulty) -> None:
    """A transient failure (S3 unreachable after some results were written): the Retry on Reduce
    runs it again; it rewrites the same result keys and succeeds once."""
    from botocore.exceptions import EndpointConnectionError
    from tradewind.jobs import reduce as reducing
    from tradewind.jobs import store

    calls: list[int] = []

    def half_written(real: Any, seen: list[int], event: dict[str, Any]) -> Any:
        calls.append(1)
        if first_time(seen, 0):
            real_put = store.put_bytes
            written: list[str] = []

            def put_then_fail(key: str, *args: Any) -> None:
                if written:
                    raise EndpointConnectionError(endpoint_url="https://s3.amazonaws.com")
                written.append(key)
                real_put(key, *args)

            faulty.monkeypatch.setattr(store, "put_bytes", put_then_fail)
            try:
                return real(event)
            finally:
                faulty.monkeypatch.setattr(store, "put_bytes", real_put)
        return real(event)

    faulty.wrap(reducing, "reduce", half_written)
    job = faulty.run()
    assert len(calls) == 2
    timeline = [step["status"] for step in record(job.job_id).timeline or []]
    assert timeline.count("succeeded") == 1
    faulty.assert_like_clean(job.job_id, "reduce fails once (transient)", " (Reduce retried once)")


def test_the_reduce_step_failing_for_good_fails_the_job_with_the_reason(faulty: Faulty) -> None:
    """What would fail again (out of memory) is not retried: the Catch fails the job, naming it."""
    from tradewind.jobs import reduce as reducing

    calls: list[int] = []

    def crashes(real: Any, seen: list[int], event: dict[str, Any]) -> Any:
        calls.append(1)
        raise MemoryError("reduce ran out of memory")

    faulty.wrap(reducing, "reduce", crashes)
    job = faulty.run("FAILED")
    assert len(calls) == 1
    failed = record(job.job_id)
    assert failed.status == "failed"
    assert failed.error == "MemoryError: reduce ran out of memory"
    assert failed.holds_slot is None
    assert markers(job.job_id) == list(range(faulty.clean["shards"]))  # every shard counted once all the same
    OUTCOMES.append(
        ("reduce fails for good (out of memory)", "failed", f"not retried; reason named: {failed.error}")
    )
