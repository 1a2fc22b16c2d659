"""Per-tenant job caps over the API under moto: 429 problem+json naming the cap and the count with
``Retry-After``, a finished job frees its slot, a cached copy takes none, the daily count, and
concurrent submissions that never exceed the cap."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from moto.dynamodb.responses import DynamoHandler
from tradewind.aws import reset_clients
from tradewind.data.jobs import JobRecord
from tradewind.errors import TooManyRequests
from tradewind.jobs import caps, records, submit
from tradewind.jobs.artifacts import job_prefix
from tradewind.jobs.failure import mark_failed
from tradewind.jobs.spec import BacktestRequest

from tests.unit.api.job_workflow import run_workflow, running, started_today
from tests.unit.api.jobs_support import SYMBOLS, executions, keys_under, ready_dataset, sma_cross


@pytest.fixture(autouse=True)
def _default_caps(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TW_MAX_CONCURRENT_JOBS", "TW_MAX_JOB_RUNS_PER_DAY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def data(machine: str) -> tuple[str, Any]:
    return ready_dataset("acme", SYMBOLS[:1])


def _caps(monkeypatch: pytest.MonkeyPatch, *, concurrent: int = 10, per_day: int = 500) -> None:
    monkeypatch.setenv("TW_MAX_CONCURRENT_JOBS", str(concurrent))
    monkeypatch.setenv("TW_MAX_JOB_RUNS_PER_DAY", str(per_day))
    reset_clients()  # forgets the cached settings


def _body(dataset_id: str, cash: float = 10_000.0, **extra: Any) -> dict[str, Any]:
    return {"strategy": sma_cross(), "dataset_id": dataset_id, "symbols": SYMBOLS[:1], "cash": cash, **extra}


def _submit(api: TestClient, h: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    r = api.post("/backtests", json=body, headers=h)
    assert r.status_code in (200, 202), r.text
    return dict(r.json())


def _jobs() -> list[JobRecord]:
    return list(JobRecord.query(*JobRecord.key("acme")[:1], JobRecord.sk.startswith("JOB#")))


def test_the_concurrency_cap_is_429_with_the_cap_the_count_and_retry_after(
    api: TestClient, h: dict[str, str], machine: str, data: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _caps(monkeypatch, concurrent=2)
    first = _submit(api, h, _body(data[0], 1000))
    _submit(api, h, _body(data[0], 2000))
    assert running("acme") == 2

    r = api.post("/backtests", json=_body(data[0], 3000), headers={**h, "Origin": "https://app.example.com"})
    assert r.status_code == 429, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["Retry-After"] == str(caps.CONCURRENCY_RETRY_AFTER)
    assert "retry-after" in r.headers["Access-Control-Expose-Headers"].lower()  # a browser may read it
    problem = r.json()
    assert (problem["status"], problem["title"]) == (429, "Too many requests")
    assert "2 queued or running, the cap is 2" in problem["detail"]
    [error] = problem["errors"]
    assert error["type"] == "max_concurrent_jobs"
    assert "2 of your jobs are queued or running; the cap is 2" in error["msg"]
    # nothing of the refused job exists: no record, no objects, no execution, no slot, no run counted
    assert len(_jobs()) == 2
    assert len(executions(machine)) == 2
    assert running("acme") == 2
    assert started_today("acme") == 2

    # the drill-down and optimizations share the cap (the same submit path)
    opt = {**_body(data[0]), "space": {"fast": [5, 10], "slow": [20]}}
    assert api.post("/optimizations", json=opt, headers=h).status_code == 429

    # another tenant has its own slots
    from tradewind.services import apikeys

    other = {"X-Api-Key": apikeys.create_api_key("globex", "test").secret}
    globex_data, _ = ready_dataset("globex", SYMBOLS[:1])
    assert api.post("/backtests", json=_body(globex_data, 3000), headers=other).status_code == 202

    # a cancelled job frees its slot
    assert api.post(f"/jobs/{first['job_id']}/cancel", headers=h).status_code == 200
    assert running("acme") == 1
    _submit(api, h, _body(data[0], 3000))
    assert running("acme") == 2


def test_a_job_that_finishes_frees_its_slot_and_a_cached_copy_takes_none(
    api: TestClient, h: dict[str, str], data: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _caps(monkeypatch, concurrent=1)
    job = _submit(api, h, _body(data[0]))
    assert api.post("/backtests", json=_body(data[0], 2000), headers=h).status_code == 429

    assert run_workflow("acme", job["job_id"])["status"] == "succeeded"  # plan, workers, reduce
    assert running("acme") == 0
    record = JobRecord.get(*JobRecord.key("acme", job["job_id"]))
    assert record.holds_slot is None

    second = _submit(api, h, _body(data[0], 2000))
    assert second["status"] == "queued"
    assert running("acme") == 1
    # at the cap, identical work is still answered from the cache: it runs nothing
    cached = api.post("/backtests", json=_body(data[0]), headers=h)
    assert (cached.status_code, cached.json()["cached"]) == (200, True)
    assert running("acme") == 1
    assert started_today("acme") == 2
    # ... unless forced
    assert api.post("/backtests", json=_body(data[0], force=True), headers=h).status_code == 429


def test_a_failed_job_frees_its_slot_once_even_when_marked_failed_again(
    api: TestClient, h: dict[str, str], data: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _caps(monkeypatch, concurrent=2)
    job = _submit(api, h, _body(data[0]))
    _submit(api, h, _body(data[0], 2000))
    assert running("acme") == 2
    event = {"tenant_id": "acme", "job_id": job["job_id"], "error": {"Error": "States.Timeout"}}
    assert mark_failed(event)["status"] == "failed"
    assert running("acme") == 1
    # Step Functions retries the MarkFailed task (or a Catch runs it twice): nothing more is released
    assert mark_failed(event)["status"] == "failed"
    assert running("acme") == 1
    # and neither does a cancel or a reduce arriving after the job is final
    assert api.post(f"/jobs/{job['job_id']}/cancel", headers=h).status_code == 409
    from tradewind.jobs.reduce import reduce

    assert reduce({"tenant_id": "acme", "job_id": job["job_id"]})["status"] == "failed"
    assert running("acme") == 1


def test_a_retried_final_transition_with_a_stale_record_does_not_release_twice(
    api: TestClient, h: dict[str, str], data: tuple[str, Any]
) -> None:
    job = _submit(api, h, _body(data[0]))
    _submit(api, h, _body(data[0], 2000))
    stale = records.get_record("acme", job["job_id"])
    assert stale is not None
    assert stale.holds_slot is True
    retry = records.get_record("acme", job["job_id"])
    assert retry is not None
    now = datetime.now(UTC)
    assert records.finish(stale, "failed", ("queued", "running"), error="boom", finished_at=now) is True
    assert (stale.status, stale.holds_slot, stale.error) == ("failed", None, "boom")
    assert running("acme") == 1
    # the same transition again from a copy read before it (a Lambda retried after its first try
    # committed): the condition fails, the record is re-read, nothing is released
    assert retry.holds_slot is True
    assert records.finish(retry, "failed", ("queued", "running"), error="boom", finished_at=now) is False
    assert retry.status == "failed"
    assert running("acme") == 1


def test_a_final_transition_of_a_deleted_job_creates_and_releases_nothing(
    api: TestClient, h: dict[str, str], data: tuple[str, Any]
) -> None:
    job = _submit(api, h, _body(data[0]))
    stale = records.get_record("acme", job["job_id"])
    assert stale is not None
    assert api.delete(f"/jobs/{job['job_id']}", headers=h).status_code == 204  # cancels: releases
    assert running("acme") == 0
    assert records.finish(stale, "failed", ("queued", "running"), error="late") is False  # a late MarkFailed
    assert records.get_record("acme", job["job_id"]) is None
    assert running("acme") == 0


def test_a_job_created_before_the_caps_releases_nothing(
    api: TestClient, h: dict[str, str], data: tuple[str, Any]
) -> None:
    job = _submit(api, h, _body(data[0]))
    record = records.get_record("acme", job["job_id"])
    assert record is not None
    record.update(actions=[JobRecord.holds_slot.remove()])  # as a job from before this release
    assert running("acme") == 1
    assert records.finish(record, "cancelled", ("queued", "running")) is True
    assert running("acme") == 1  # it never took a slot, so it frees none


def test_the_daily_cap_is_429_until_midnight_utc(
    api: TestClient, h: dict[str, str], data: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _caps(monkeypatch, per_day=2)
    for cash in (1000, 2000):
        job = _submit(api, h, _body(data[0], cash))
        assert api.post(f"/jobs/{job['job_id']}/cancel", headers=h).status_code == 200
    assert (running("acme"), started_today("acme")) == (0, 2)
    before = caps.seconds_to_midnight(datetime.now(UTC))
    r = api.post("/backtests", json=_body(data[0], 3000), headers=h)
    after = caps.seconds_to_midnight(datetime.now(UTC))
    assert r.status_code == 429, r.text
    assert after <= int(r.headers["Retry-After"]) <= before
    [error] = r.json()["errors"]
    assert error["type"] == "max_job_runs_per_day"
    assert "2 jobs started today (UTC); the cap is 2 a day" in error["msg"]
    assert started_today("acme") == 2


def test_the_day_counter_expires_and_retry_after_counts_to_midnight() -> None:
    assert caps.seconds_to_midnight(datetime(2026, 12, 5, 23, 59, 30, tzinfo=UTC)) == 30
    assert caps.seconds_to_midnight(datetime(2026, 12, 5, 0, 0, tzinfo=UTC)) == 86_400
    assert caps.seconds_to_midnight(datetime(2026, 12, 5, 23, 59, 59, 999_000, tzinfo=UTC)) == 1
    assert caps.today(datetime(2026, 12, 5, 23, 59, tzinfo=UTC)) == "2026-12-05"


def test_the_transaction_refuses_what_the_read_let_through(
    api: TestClient, h: dict[str, str], data: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read in caps.check is only a shortcut: with it passing stale counts, the transaction
    still refuses, and the refused job leaves nothing behind."""
    _caps(monkeypatch, concurrent=1)
    job = _submit(api, h, _body(data[0]))
    check = caps.check
    monkeypatch.setattr(caps, "check", lambda tenant_id, now=None: None)
    r = api.post("/backtests", json=_body(data[0], 2000), headers={**h, "Idempotency-Key": "k-1"})
    assert (r.status_code, r.headers["Retry-After"]) == (429, "30")
    assert [record.job_id for record in _jobs()] == [job["job_id"]]
    assert keys_under("tenants/acme/jobs/") == keys_under(job_prefix("acme", job["job_id"]))  # spec.json
    # the Idempotency-Key was released: the same request can try again
    monkeypatch.setattr(caps, "check", check)
    _caps(monkeypatch, concurrent=2)
    again = api.post("/backtests", json=_body(data[0], 2000), headers={**h, "Idempotency-Key": "k-1"})
    assert again.status_code == 202, again.text


@pytest.fixture
def serialized_dynamodb(monkeypatch: pytest.MonkeyPatch) -> None:
    """One DynamoDB request at a time, as the service guarantees per item (moto's in-memory backend
    does not: two threads' transactions could interleave inside it)."""
    lock = threading.Lock()
    original = DynamoHandler.call_action

    def call_action(self: DynamoHandler) -> Any:
        with lock:
            return original(self)

    monkeypatch.setattr(DynamoHandler, "call_action", call_action)


def test_concurrent_submissions_never_exceed_the_cap(
    data: tuple[str, Any], monkeypatch: pytest.MonkeyPatch, serialized_dynamodb: None
) -> None:
    _caps(monkeypatch, concurrent=3)
    # every thread passes the read-only check at once: only the transaction stands in the way
    monkeypatch.setattr(caps, "check", lambda tenant_id, now=None: None)
    barrier = threading.Barrier(10)

    def attempt(n: int) -> str:
        request = BacktestRequest.model_validate(_body(data[0], 1000 + n))
        barrier.wait()
        try:
            return submit.submit_backtest("acme", request, None).status
        except TooManyRequests:
            return "429"

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(attempt, range(10)))
    assert sorted(answers) == ["429"] * 7 + ["queued"] * 3
    assert running("acme") == 3
    assert started_today("acme") == 3
    assert sorted(r.status for r in _jobs()) == ["queued"] * 3


def test_concurrent_final_transitions_release_one_slot(
    api: TestClient, h: dict[str, str], data: tuple[str, Any], serialized_dynamodb: None
) -> None:
    job = _submit(api, h, _body(data[0]))
    copies = [records.get_record("acme", job["job_id"]) for _ in range(8)]
    barrier = threading.Barrier(len(copies))

    def final(n: int) -> bool:
        record = copies[n]
        assert record is not None
        barrier.wait()
        return records.finish(record, ("failed", "cancelled")[n % 2], ("queued", "running"))

    with ThreadPoolExecutor(max_workers=len(copies)) as pool:
        won = list(pool.map(final, range(len(copies))))
    assert won.count(True) == 1
    assert running("acme") == 0


def test_a_submission_retries_transaction_conflicts(
    api: TestClient, h: dict[str, str], data: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real DynamoDB cancels a transaction that meets another on the same counter
    (``TransactionConflict``): the submission tries again instead of failing."""
    monkeypatch.setattr(records, "CONFLICT_BACKOFF", 0.001)
    events = JobRecord._get_connection().connection.client.meta.events
    conflict = {
        "Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"},
        "CancellationReasons": [{"Code": "None"}, {"Code": "TransactionConflict"}, {"Code": "None"}],
    }
    pending = [conflict, conflict]

    def answer(**_: Any) -> Any:
        from botocore.awsrequest import AWSResponse

        if not pending:
            return None
        return AWSResponse("https://dynamodb.local", 400, {}, None), pending.pop(0)

    events.register("before-call.dynamodb.TransactWriteItems", answer, unique_id="conflicts")
    try:
        job = _submit(api, h, _body(data[0]))
    finally:
        events.unregister("before-call.dynamodb.TransactWriteItems", unique_id="conflicts")
    assert pending == []
    assert job["status"] == "queued"
    assert (running("acme"), started_today("acme")) == (1, 1)
