"""Pause and resume on the local cloud (docs/jobs.md and docs/pipeline.md, Pause and resume).

An optimization runs the real synthesized workflow under moto and is paused from inside its worker
once a chosen shard has counted (deterministic: the pause happens at a known point of the run); a
pipeline run is paused after one delivered batch. Both are resumed and must end exactly as an
uninterrupted run: every shard (batch) marker exactly once, the counters equal to the totals, and the
same result tables.
"""

# ruff: noqa: F811  (the fixtures imported from test_job_workflow are parameters here)
from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest
from tradewind.jobs import artifacts, store
from tradewind.jobs.lifecycle import execution_arn
from tradewind.jobs.records import get_record

from infra.local.cloud import LocalCloud
from tests.integration.marketdata_support import publish_sample_dataset
from tests.integration.test_job_workflow import (  # noqa: F401  (fixtures: market, small_shards...)
    SHARD_COMBINATIONS,
    TENANT,
    assert_same_columns,
    expected_ranking,
    expected_table,
    flaky_worker,
    markers,
    market,
    optimization,
    record,
    result,
    small_shards,
    start,
)


def test_an_optimization_paused_mid_run_resumes_over_exactly_the_shards_left(
    cloud: LocalCloud, market: Any, small_shards: None, flaky_worker: Any
) -> None:
    from tradewind.jobs.pause import pause, resume

    paused_at: dict[str, Any] = {}

    def pause_after_the_first_shard(event: dict[str, Any], attempt: int) -> None:
        """A first shard has counted: the user presses pause (shards already running still finish).
        The first, whichever it is: at most the Map's concurrency (4) of the 8 run before the pause,
        however the machine schedules them."""
        if attempt == 1 and not paused_at:
            paused_at["record"] = pause(TENANT, event["job_id"], "optimization")
            paused_at["shard"] = event["shard"]["shard"]

    calls = flaky_worker(after=pause_after_the_first_shard)
    spec = optimization(market.symbols[:2], top_n=5)
    job = start(cloud, spec)
    first = cloud.wait_for_execution(job.execution_arn)
    assert first["status"] == "SUCCEEDED"
    assert json.loads(first["output"])["status"] == "paused"  # ended at the Paused state, no reduce
    assert paused_at["record"].status == "paused"

    paused = record(job.job_id)
    total = int(paused.shards_total)
    slices = -(-len(expected_table(market, spec)) // SHARD_COMBINATIONS)
    assert total == 2 * slices
    counted = markers(job.job_id)
    assert paused_at["shard"] in counted
    assert paused.status == "paused"
    assert int(paused.shards_done) == len(counted) < total  # everything counted is kept
    assert store.list_keys(artifacts.result_key(TENANT, job.job_id, "")) == []
    with pytest.raises(Exception, match="paused"):
        pause(TENANT, job.job_id, "optimization")

    calls.clear()
    resumed = resume(TENANT, job.job_id, "optimization")
    assert (resumed.status, int(resumed.resumes)) == ("running", 1)
    second = cloud.wait_for_execution(execution_arn(job.job_id, 1))
    assert second["status"] == "SUCCEEDED", second
    # The resumed execution ran exactly the shards without a marker, each once.
    assert sorted(calls) == sorted(set(range(total)) - set(counted))
    left = store.get_json(artifacts.remaining_key(TENANT, job.job_id, 1))
    assert sorted(item["shard"] for item in left) == sorted(calls)

    done = record(job.job_id)
    assert done.status == "succeeded"
    assert int(done.shards_done) == total
    assert int(done.combos_done) == int(done.combos_total)
    assert markers(job.job_id) == list(range(total))
    expected = expected_table(market, spec)
    table = result(job.job_id, artifacts.RESULT_TABLE_PARQUET)
    assert_same_columns(table, expected)
    board = result(job.job_id, artifacts.RESULT_LEADERBOARD)
    assert [row["combination"] for row in board["rows"]] == expected_ranking(expected, spec)[: spec.top_n]

    # The same sweep uninterrupted gives the same table and leaderboard.
    clean = start(cloud, spec)
    assert cloud.wait_for_execution(clean.execution_arn)["status"] == "SUCCEEDED"
    assert_same_columns(table, result(clean.job_id, artifacts.RESULT_TABLE_PARQUET))
    assert board == result(clean.job_id, artifacts.RESULT_LEADERBOARD)


def test_a_paused_optimization_can_be_cancelled_and_frees_nothing_twice(
    cloud: LocalCloud, market: Any, small_shards: None, flaky_worker: Any
) -> None:
    from tradewind.jobs.lifecycle import cancel_job
    from tradewind.jobs.pause import pause, resume

    def pause_on_first_shard(event: dict[str, Any], attempt: int) -> None:
        if event["shard"]["shard"] == 0 and attempt == 1:
            pause(TENANT, event["job_id"], "optimization")

    flaky_worker(after=pause_on_first_shard)
    job = start(cloud, optimization(market.symbols[:1]))
    assert cloud.wait_for_execution(job.execution_arn)["status"] == "SUCCEEDED"
    assert record(job.job_id).status == "paused"
    cancelled = cancel_job(TENANT, job.job_id, "optimization")
    assert cancelled.status == "cancelled"
    assert cancelled.holds_slot is None  # its running slot was released by the cancel
    with pytest.raises(Exception, match="cancelled"):
        resume(TENANT, job.job_id, "optimization")
    assert record(job.job_id).status == "cancelled"


# --- pipeline runs -------------------------------------------------------------------------------

PIPELINE_TENANT = "scanner"


@pytest.fixture
def pipeline_batches(monkeypatch: pytest.MonkeyPatch) -> Any:
    from tradewind.aws import reset_clients

    monkeypatch.setenv("TW_PIPELINE_BATCH_SYMBOLS", "2")
    reset_clients()
    yield 2
    monkeypatch.undo()
    reset_clients()


def _pipeline_request() -> Any:
    from datetime import date

    from tradewind.pipeline.spec import PipelineRunRequest

    return PipelineRunRequest(
        template="sma_cross", params={"fast": 10, "slow": 40}, start=date(2018, 1, 1), end=date(2019, 12, 31)
    )


def _batch_markers(job_id: str) -> list[int]:
    from tradewind.data.jobs import ShardMarker

    pk, prefix = ShardMarker.key(PIPELINE_TENANT, job_id)
    return sorted(int(m.shard) for m in ShardMarker.query(pk, ShardMarker.sk.startswith(prefix)))


def _pipeline_source(cloud: LocalCloud) -> Any:
    worker = cloud.function_name("PipelineWorker")
    return next(s for s in cloud.poller.sources if s.function_name == worker)


def _signals(job_id: str) -> pd.DataFrame:
    from tradewind.pipeline import results

    run = get_record(PIPELINE_TENANT, job_id)
    assert run is not None
    return results.run_signals(run).frame


def test_a_pipeline_run_paused_after_one_batch_resumes_over_exactly_the_batches_left(
    cloud: LocalCloud, pipeline_batches: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tradewind.jobs.pause import pause, resume
    from tradewind.pipeline import batch as batch_module
    from tradewind.pipeline.runs import stop_run
    from tradewind.pipeline.submit import submit_run

    publish_sample_dataset(PIPELINE_TENANT, "sample", 6)
    ran: list[list[str]] = []  # the symbols of every batch that ran, in order
    real = batch_module.run

    def recording(spec: Any, symbols: Any, read: Any) -> Any:
        listed = list(symbols)
        ran.append([symbol for symbol, _ in listed])
        return real(spec, listed, read)

    monkeypatch.setattr(batch_module, "run", recording)
    run = submit_run(PIPELINE_TENANT, _pipeline_request())
    assert int(run.shards_total) == 3
    groups = [run.symbols[n : n + pipeline_batches] for n in range(0, 6, pipeline_batches)]
    cloud.poller.poll_once(_pipeline_source(cloud))  # one message: the first batch runs and counts
    assert len(ran) == 1
    first = groups.index(ran[0])
    paused = pause(PIPELINE_TENANT, run.job_id, "pipeline")
    assert paused.status == "paused"
    cloud.drain_queues()  # the other two batches meet a paused run: deleted, neither run nor counted
    assert len(ran) == 1
    assert _queue_depths(cloud) == {"queue": 0, "dead_letters": 0}  # no receive burnt towards the DLQ
    still = get_record(PIPELINE_TENANT, run.job_id)
    assert still is not None
    assert (still.status, int(still.shards_done), int(still.combos_done)) == ("paused", 1, pipeline_batches)
    assert _batch_markers(run.job_id) == [first]
    with pytest.raises(Exception, match="paused"):
        stop_run(PIPELINE_TENANT, run.job_id)

    ran.clear()
    resumed = resume(PIPELINE_TENANT, run.job_id, "pipeline")
    assert resumed.status == "running"
    cloud.drain_queues()
    assert sorted(ran) == sorted(g for n, g in enumerate(groups) if n != first)  # exactly what was left
    done = get_record(PIPELINE_TENANT, run.job_id)
    assert done is not None
    assert done.status == "succeeded"
    assert (int(done.shards_done), int(done.combos_done)) == (3, 6)
    assert _batch_markers(run.job_id) == [0, 1, 2]

    clean = submit_run(PIPELINE_TENANT, _pipeline_request())
    cloud.drain_queues()
    again = get_record(PIPELINE_TENANT, clean.job_id)
    assert again is not None
    assert again.status == "succeeded"
    assert int(again.signals_found) == int(done.signals_found)
    pd.testing.assert_frame_equal(_signals(run.job_id), _signals(clean.job_id))


def _queue_depths(cloud: LocalCloud) -> dict[str, int]:
    import boto3

    sqs = boto3.session.Session(region_name="us-east-1").client("sqs")
    url = _pipeline_source(cloud).queue_url
    dlq = cloud.queue_url("PipelineDeadLetters")

    def depth(queue: str) -> int:
        attributes = sqs.get_queue_attributes(
            QueueUrl=queue,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return sum(int(v) for v in attributes.values())

    return {"queue": depth(url), "dead_letters": depth(dlq)}


def test_a_pipeline_run_whose_batches_all_counted_while_paused_aggregates_on_resume(
    cloud: LocalCloud, pipeline_batches: int
) -> None:
    from tradewind.jobs.pause import pause, resume
    from tradewind.pipeline.submit import submit_run

    publish_sample_dataset(PIPELINE_TENANT, "sample", 6)
    run = submit_run(PIPELINE_TENANT, _pipeline_request())
    pause(PIPELINE_TENANT, run.job_id, "pipeline")
    # A batch that was already running when the pause came still counts: run all three that way.
    from tradewind.pipeline.spec import BatchMessage
    from tradewind.pipeline.worker import _process

    sqs_messages = _drain_bodies(cloud)
    paused = get_record(PIPELINE_TENANT, run.job_id)
    assert paused is not None
    for body in sqs_messages:
        assert _process(paused, BatchMessage.model_validate(body)) == "counted"
    paused.refresh()
    assert (paused.status, int(paused.shards_done)) == ("paused", 3)  # counted, but not aggregated

    resume(PIPELINE_TENANT, run.job_id, "pipeline")  # nothing left: the last batch nudges the aggregation
    cloud.drain_queues()
    done = get_record(PIPELINE_TENANT, run.job_id)
    assert done is not None
    assert (done.status, int(done.shards_done)) == ("succeeded", 3)
    assert _batch_markers(run.job_id) == [0, 1, 2]


def _drain_bodies(cloud: LocalCloud) -> list[dict[str, Any]]:
    """Take every message off the pipeline queue without running the worker."""
    import boto3

    sqs = boto3.session.Session(region_name="us-east-1").client("sqs")
    url = _pipeline_source(cloud).queue_url
    bodies: list[dict[str, Any]] = []
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not got:
            return sorted(bodies, key=lambda b: b["batch"])
        for message in got:
            bodies.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
