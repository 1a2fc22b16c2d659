"""Counting a finished shard against DynamoDB (moto): exactly once, retried through transaction
conflicts with other workers, and a progress report that never fails a counted shard."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from moto import mock_aws
from pynamodb.exceptions import TransactWriteError
from tradewind.aws import reset_clients
from tradewind.data.jobs import JobRecord, ShardMarker
from tradewind.jobs import worker
from tradewind.jobs.inputs import Shard

TENANT, JOB = "acme", "job-1"
SHARD = Shard(shard=3, symbol="AAA", key="bars/AAA.parquet", lo=0, hi=16, first=None, last=None)


@pytest.fixture(autouse=True)
def table(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fresh moto account with the main table."""
    monkeypatch.setenv("TW_TABLE_NAME", "tw-test-main")
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        monkeypatch.delenv(name, raising=False)
    reset_clients()
    with mock_aws():
        JobRecord.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
        yield
    reset_clients()


def job(status: str = "running", shards_total: int = 4) -> JobRecord:
    now = datetime.now(UTC)
    record = JobRecord(
        *JobRecord.key(TENANT, JOB),
        tenant_id=TENANT,
        job_id=JOB,
        kind="optimization",
        status=status,
        dataset_id="d1",
        symbols=["AAA"],
        request_hash="h",
        shards_total=shards_total,
        combos_total=shards_total * SHARD.combos,
        created_at=now,
        started_at=now,
        updated_at=now,
    )
    record.save()
    return record


def counters() -> tuple[int, int]:
    record = JobRecord.get(*JobRecord.key(TENANT, JOB), consistent_read=True)
    return int(record.shards_done), int(record.combos_done)


def markers() -> list[int]:
    pk, prefix = ShardMarker.key(TENANT, JOB)
    return sorted(int(m.shard) for m in ShardMarker.query(pk, ShardMarker.sk.startswith(prefix)))


@contextmanager
def answered(operation: str, errors: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """DynamoDB answers the next ``len(errors)`` calls of ``operation`` with these error responses
    (as the real service does under contention: moto never does); later calls reach moto. Yields the
    errors not used yet."""
    events = JobRecord._get_connection().connection.client.meta.events
    pending = list(errors)

    def answer(**_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if not pending:
            return None
        return AWSResponse("https://dynamodb.local", 400, {}, None), pending.pop(0)

    event = f"before-call.dynamodb.{operation}"
    events.register(event, answer, unique_id="test-answer")
    try:
        yield pending
    finally:
        events.unregister(event, unique_id="test-answer")


def cancelled(*codes: str) -> dict[str, Any]:
    """A ``TransactionCanceledException`` with one reason per transaction item (marker, job)."""
    return {
        "Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"},
        "CancellationReasons": [{"Code": code} for code in codes],
    }


def test_a_shard_is_counted_once() -> None:
    record = job()
    assert worker.count(record, SHARD) is True
    assert worker.count(record, SHARD) is False  # a retry of the same shard
    assert counters() == (1, SHARD.combos)
    assert markers() == [SHARD.shard]


def test_a_shard_of_a_job_that_is_no_longer_running_is_not_counted() -> None:
    record = job(status="cancelled")
    assert worker.count(record, SHARD) is False
    assert counters() == (0, 0)
    assert markers() == []


def test_a_transaction_conflict_with_another_worker_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "CONFLICT_BACKOFF", 0.001)
    record = job()
    conflicts = [cancelled("None", "TransactionConflict"), cancelled("TransactionConflict", "None")]
    with answered("TransactWriteItems", conflicts) as pending:
        assert worker.count(record, SHARD) is True
    assert pending == []
    assert counters() == (1, SHARD.combos)
    assert markers() == [SHARD.shard]


def test_conflicts_that_do_not_clear_fail_the_shard_uncounted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "CONFLICT_BACKOFF", 0.001)
    record = job()
    conflicts = [cancelled("None", "TransactionConflict")] * (worker.COUNT_ATTEMPTS + 1)
    with answered("TransactWriteItems", conflicts) as pending, pytest.raises(TransactWriteError):
        worker.count(record, SHARD)
    assert len(pending) == 1  # COUNT_ATTEMPTS tries, then the error
    assert counters() == (0, 0)
    assert markers() == []


def test_a_cancellation_for_another_reason_is_not_retried() -> None:
    record = job()
    reasons = [cancelled("None", "ValidationError"), cancelled("None", "TransactionConflict")]
    with answered("TransactWriteItems", reasons) as pending, pytest.raises(TransactWriteError):
        worker.count(record, SHARD)
    assert len(pending) == 1
    assert counters() == (0, 0)


def test_reporting_progress_never_fails_a_counted_shard(caplog: pytest.LogCaptureFixture) -> None:
    # the report is one transaction: the job record's throttle stamp and, when due, a progress sample
    record = job()
    assert worker.count(record, SHARD) is True
    failure = {"Error": {"Code": "InternalServerError", "Message": "try again"}}
    with (
        caplog.at_level(logging.ERROR, logger=worker.__name__),
        answered("TransactWriteItems", [failure]) as pending,
    ):
        worker.report(record)
    assert pending == []
    assert f"could not report the progress of job {JOB}" in caplog.text

    caplog.clear()
    record.delete()  # the record is gone: the refresh fails
    with caplog.at_level(logging.ERROR, logger=worker.__name__):
        worker.report(record)
    assert f"could not report the progress of job {JOB}" in caplog.text


def test_a_report_within_the_interval_is_skipped_quietly(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "PROGRESS_INTERVAL", 3600.0)
    record = job()
    assert worker.count(record, SHARD) is True
    worker.report(record)  # the first report publishes and stamps progress_published_at
    published = JobRecord.get(*JobRecord.key(TENANT, JOB), consistent_read=True).progress_published_at
    assert published > 0
    caplog.clear()  # the first report's publish has no realtime tables to reach here: logged, not raised
    worker.report(record)
    assert JobRecord.get(*JobRecord.key(TENANT, JOB), consistent_read=True).progress_published_at == published
    assert caplog.records == []
