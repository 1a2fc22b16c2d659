"""No job left behind (issue #13): a job interrupted by a restart of the local cloud resumes over what
is left and ends exactly as an uninterrupted run; an execution that ends outside the workflow fails
its job with the cause.

A restart is what ``make run`` goes through: the local cloud's DynamoDB, S3 and SQS state is saved on
disk (``infra.local.persistence.StateStore``) while executions are not. Phase 1 runs a job to the end
in one local cloud and saves the state at chosen moments of it (before plan, mid-run, with every
shard counted but no reduce): each snapshot is the disk as a Ctrl-C at that moment leaves it. Phase 2
brings a fresh local cloud up on each snapshot, runs the start-up recovery of ``make run``
(``infra.local.server.recover_jobs``) and waits for the job: its result must equal phase 1's (a clean
run), every shard counted exactly once, and the timeline must say what happened.

This module manages its own clouds (one ``mock_aws`` each), so it does not use the ``cloud`` fixture.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import pandas as pd
import pytest
from moto import mock_aws
from tradewind.aws import reset_clients
from tradewind.jobs import artifacts
from tradewind.jobs.lifecycle import execution_arn

from infra.local.cloud import LOCAL_HANDLER_DEFAULTS, LocalCloud, bring_up
from infra.local.persistence import StateStore
from infra.local.template import SynthesizedStack
from tests.integration.marketdata_support import publish_sample_dataset
from tests.integration.test_job_workflow import (
    DATASET,
    SHARD_COMBINATIONS,
    TENANT,
    markers,
    optimization,
    record,
    result,
    start,
)

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def local_cloud(stack: SynthesizedStack) -> Iterator[LocalCloud]:
    """One local cloud in its own ``mock_aws`` (what one ``make run`` process holds)."""
    saved = dict(os.environ)
    try:
        with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
            local = bring_up(stack, ROOT / "functions", retry_delay=0)
            os.environ.pop("AWS_ENDPOINT_URL", None)
            os.environ.update({**local.env, **LOCAL_HANDLER_DEFAULTS})
            os.environ["TW_SHARD_COMBINATIONS"] = str(SHARD_COMBINATIONS)
            os.environ["TW_PIPELINE_BATCH_SYMBOLS"] = "2"
            reset_clients()
            yield local
    finally:
        os.environ.clear()
        os.environ.update(saved)
        reset_clients()


def state_store(cloud: LocalCloud, folder: Path) -> StateStore:
    provisioned = cloud.provisioned
    return StateStore(
        folder,
        list(provisioned.tables.values()),
        list(provisioned.buckets.values()),
        list(provisioned.queues.values()),
    )


MOMENTS = ("before plan", "mid-run", "every shard counted")


@pytest.fixture(scope="module")
def interrupted(
    synthesized_stack: SynthesizedStack, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Phase 1: one optimization run to the end, its state saved at each moment of :data:`MOMENTS`."""
    from tradewind.jobs import plan as planning
    from tradewind.jobs import reduce as reducing
    from tradewind.jobs import worker

    folders = {moment: tmp_path_factory.mktemp(moment.replace(" ", "-")) for moment in MOMENTS}
    with local_cloud(synthesized_stack) as cloud:
        symbols = list(publish_sample_dataset(TENANT, DATASET, 2))
        lock = threading.Lock()
        saved: set[str] = set()

        def save(moment: str) -> None:
            with lock:
                if moment not in saved:
                    saved.add(moment)
                    state_store(cloud, folders[moment]).flush()

        real_plan, real_work, real_reduce = planning.plan, worker.work, reducing.reduce

        def plan(event: dict[str, Any]) -> dict[str, Any]:
            save("before plan")
            return real_plan(event)

        def work(event: dict[str, Any]) -> dict[str, Any]:
            out = real_work(event)
            if event["shard"]["shard"] == 2:
                save("mid-run")
            return out

        def reduce(event: dict[str, Any]) -> dict[str, Any]:
            save("every shard counted")
            return real_reduce(event)

        patch = pytest.MonkeyPatch()
        patch.setattr(planning, "plan", plan)
        patch.setattr(worker, "work", work)
        patch.setattr(reducing, "reduce", reduce)
        try:
            spec = optimization(symbols, top_n=5)
            job = start(cloud, spec)
            assert cloud.wait_for_execution(job.execution_arn)["status"] == "SUCCEEDED"
        finally:
            patch.undo()
        assert saved == set(MOMENTS)
        clean = {
            "job_id": job.job_id,
            "table": result(job.job_id, artifacts.RESULT_TABLE_PARQUET),
            "leaderboard": result(job.job_id, artifacts.RESULT_LEADERBOARD),
            "shards": int(record(job.job_id).shards_total),
        }
    return {"folders": folders, "clean": clean}


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_job_interrupted_by_a_restart_resumes_and_ends_as_a_clean_run(
    synthesized_stack: SynthesizedStack, interrupted: dict[str, Any], moment: str
) -> None:
    from tradewind.jobs import worker
    from tradewind.jobs.timeline import timeline

    from infra.local.server import recover_jobs

    clean = interrupted["clean"]
    job_id, total = clean["job_id"], clean["shards"]
    with local_cloud(synthesized_stack) as cloud:
        state_store(cloud, interrupted["folders"][moment]).restore()
        before = record(job_id)
        counted = markers(job_id)
        assert before.status == ("queued" if moment == "before plan" else "running")
        assert int(before.shards_done) == len(counted)

        ran: list[int] = []
        real = worker.work

        def work(event: dict[str, Any]) -> dict[str, Any]:
            ran.append(int(event["shard"]["shard"]))
            return real(event)

        patch = pytest.MonkeyPatch()
        patch.setattr(worker, "work", work)
        try:
            outcome = recover_jobs()
            assert outcome["resumed"] == [job_id]
            described = cloud.wait_for_execution(execution_arn(job_id, 1))
        finally:
            patch.undo()
        assert described["status"] == "SUCCEEDED", described
        assert recover_jobs()["resumed"] == []  # nothing left behind: a second start finds nothing

        # Exactly the shards not counted before the interruption ran again, each once.
        assert sorted(ran) == sorted(set(range(total)) - set(counted))
        done = record(job_id)
        assert done.status == "succeeded"
        assert int(done.shards_done) == int(done.shards_total) == total
        assert int(done.combos_done) == int(done.combos_total)
        assert markers(job_id) == list(range(total))
        pd.testing.assert_frame_equal(result(job_id, artifacts.RESULT_TABLE_PARQUET), clean["table"])
        assert result(job_id, artifacts.RESULT_LEADERBOARD) == clean["leaderboard"]

        steps = [(step["status"], step["cause"]) for step in timeline(done)]
        statuses = [status for status, _ in steps]
        assert "interrupted" in statuses
        after = statuses[statuses.index("interrupted") + 1]
        assert after == ("queued" if moment == "before plan" else "running")
        assert statuses[-1] == "succeeded"
        if moment != "before plan":
            left = total - len(counted)
            assert (after, f"resumed over the {left} of {total} shards left") in steps


def test_a_pipeline_run_interrupted_by_a_restart_resends_the_batches_left(
    synthesized_stack: SynthesizedStack, tmp_path: Path
) -> None:
    from tradewind.jobs.records import get_record
    from tradewind.pipeline.submit import submit_run

    from infra.local.server import recover_jobs
    from tests.integration.test_pause_resume import PIPELINE_TENANT, _pipeline_request, _signals

    with local_cloud(synthesized_stack) as cloud:
        publish_sample_dataset(PIPELINE_TENANT, "sample", 6)
        run = submit_run(PIPELINE_TENANT, _pipeline_request())
        source = next(
            s for s in cloud.poller.sources if s.function_name == cloud.function_name("PipelineWorker")
        )
        cloud.poller.poll_once(source)  # one batch counted, then the plug is pulled
        state_store(cloud, tmp_path).flush()
        cloud.drain_queues()
        clean = get_record(PIPELINE_TENANT, run.job_id)
        assert clean is not None
        assert clean.status == "succeeded"
        clean_signals = _signals(run.job_id)

    with local_cloud(synthesized_stack) as cloud:
        state_store(cloud, tmp_path).restore()
        before = get_record(PIPELINE_TENANT, run.job_id)
        assert before is not None
        assert (before.status, int(before.shards_done)) == ("running", 1)
        assert recover_jobs()["resumed"] == [run.job_id]
        cloud.drain_queues()  # the saved messages and the ones sent again: each batch counts once
        done = get_record(PIPELINE_TENANT, run.job_id)
        assert done is not None
        assert (done.status, int(done.shards_done), int(done.combos_done)) == ("succeeded", 3, 6)
        assert int(done.signals_found) == int(clean.signals_found)
        pd.testing.assert_frame_equal(_signals(run.job_id), clean_signals)


def test_an_execution_stopped_outside_tradewind_fails_its_job_with_the_cause(
    synthesized_stack: SynthesizedStack,
) -> None:
    from tradewind.jobs.recovery import execution_ended

    with local_cloud(synthesized_stack) as cloud:
        symbols = list(publish_sample_dataset(TENANT, DATASET, 1))
        sfn = boto3.session.Session(region_name="us-east-1").client("stepfunctions")
        from tradewind.jobs import worker

        real = worker.work

        def stopped_by_an_operator(event: dict[str, Any]) -> dict[str, Any]:
            """While the first shard runs, someone stops the execution in the console."""
            if event["shard"]["shard"] == 0:
                arn = execution_arn(event["job_id"])
                sfn.stop_execution(executionArn=arn, error="Operator", cause="stopped in the console")
            return real(event)

        patch = pytest.MonkeyPatch()
        patch.setattr(worker, "work", stopped_by_an_operator)
        try:
            job = start(cloud, optimization(symbols))
            assert cloud.wait_for_execution(job.execution_arn)["status"] == "ABORTED"
        finally:
            patch.undo()
        sent = cloud.execution_events.poll_once()
        assert [e["detail"]["name"] for e in sent] == [job.job_id]
        failed = record(job.job_id)
        assert failed.status == "failed"
        assert failed.error == "the workflow's execution was stopped outside Tradewind"
        assert failed.holds_slot is None
        assert cloud.execution_events.poll_once() == []  # delivered once

        # A final job, a paused one, and an execution that a resume retired are left alone.
        def ended(job_id: str, name: str) -> str:
            event = {
                "detail": {
                    "status": "FAILED",
                    "name": name,
                    "error": "States.Runtime",
                    "cause": "boom",
                    "input": json.dumps({"tenant_id": TENANT, "job_id": job_id}),
                }
            }
            return str(execution_ended(event)["outcome"])

        assert ended(job.job_id, job.job_id) == "failed"  # final already: unchanged
        other = _active(symbols, "paused", 1)
        assert ended(other, f"{other}-r1") == "paused"
        retired = _active(symbols, "running", 2)
        assert ended(retired, f"{retired}-r1") == "retired"
        assert record(retired).status == "running"
        assert ended(retired, f"{retired}-r2") == "failed"
        assert record(retired).error == "the workflow failed outside its steps: States.Runtime: boom"


def _active(symbols: list[str], status: str, resumes: int) -> str:
    import uuid
    from datetime import UTC, datetime

    from tradewind.data.jobs import JobRecord

    job_id, now = uuid.uuid4().hex[:20], datetime.now(UTC)
    JobRecord(
        *JobRecord.key(TENANT, job_id),
        tenant_id=TENANT,
        job_id=job_id,
        kind="optimization",
        status=status,
        resumes=resumes,
        dataset_id=DATASET,
        symbols=symbols,
        request_hash="x",
        created_at=now,
        updated_at=now,
    ).save()
    return job_id


def test_command_runs_interrupted_by_a_restart_fail_with_the_reason_or_run_once(
    synthesized_stack: SynthesizedStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The restart stops one run mid-command and leaves another queued: the first ends ``failed``
    naming the restart (never ``running`` forever), the second runs exactly once at the next start
    (its saved message and the one recovery sends again)."""
    from tradewind.commands.runs import start as start_command
    from tradewind.jobs import lifecycle
    from tradewind.jobs.logs import read
    from tradewind.jobs.records import get_record

    from infra.local.server import recover_jobs

    with local_cloud(synthesized_stack) as cloud:
        interrupted = start_command(TENANT, "prune-jobs", {"days": 30})
        waiting = start_command(TENANT, "prune-jobs", {"days": 60})
        real_search = lifecycle.search_jobs
        pulled: list[bool] = []

        def plug_pulled(*args: Any, **kwargs: Any) -> Any:
            if not pulled:  # the first run is running: Ctrl-C now
                pulled.append(True)
                state_store(cloud, tmp_path).flush()
            return real_search(*args, **kwargs)

        monkeypatch.setattr(lifecycle, "search_jobs", plug_pulled)
        cloud.drain_queues()
        monkeypatch.undo()
        assert pulled

    with local_cloud(synthesized_stack) as cloud:
        state_store(cloud, tmp_path).restore()
        first, second = get_record(TENANT, interrupted.job_id), get_record(TENANT, waiting.job_id)
        assert first is not None
        assert second is not None
        assert (first.status, second.status) == ("running", "queued")
        outcome = recover_jobs()
        assert outcome["failed"] == [interrupted.job_id]
        assert outcome["resumed"] == [waiting.job_id]
        cloud.drain_queues()
        failed, ran = get_record(TENANT, interrupted.job_id), get_record(TENANT, waiting.job_id)
        assert failed is not None
        assert ran is not None
        assert failed.status == "failed"
        assert failed.error is not None
        assert "interrupted by a restart while it ran" in failed.error
        assert ran.status == "succeeded", ran.error
        steps = [step["status"] for step in ran.timeline or []]
        assert steps == ["interrupted", "queued", "running", "succeeded"]
        lines, _ = read(TENANT, waiting.job_id, 100, None)
        assert [line["message"] for line in lines].count("running prune-jobs") == 1


def _symbol_rows(dataset_id: str) -> list[tuple[Any, ...]]:
    """The dataset's symbol rows as the Data page reads them (every row the GSI holds: duplicates too)."""
    from tradewind.data.marketdata import SymbolRecord

    gsi1pk, prefix = SymbolRecord.dataset_index_key(TENANT, dataset_id)
    rows = SymbolRecord.gsi1.query(gsi1pk, SymbolRecord.gsi1sk.startswith(prefix))
    return sorted((r.symbol, int(r.rows), r.start_at, r.end_at, r.object_key) for r in rows)


def test_imports_interrupted_by_a_restart_run_again_once_or_fail_with_the_reason(
    synthesized_stack: SynthesizedStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The restart stops one import after its Parquet objects are written but before its symbol rows,
    while two more are queued; the queue was saved before their messages. At the next start the first
    runs again from its upload and ends as a clean run (no duplicate rows), a queued one runs exactly
    once (its message sent again, and a copy that survived too), and one whose uploaded file is gone
    ends ``failed`` naming the restart, its dataset with it: none stays ``running``/``queued``."""
    from tradewind.data import bars
    from tradewind.data.marketdata import DatasetRecord
    from tradewind.jobs import imports as import_jobs
    from tradewind.jobs.logs import read
    from tradewind.jobs.records import get_record
    from tradewind.jobs.recovery import active_jobs
    from tradewind.services import imports
    from tradewind.services.datasets import complete_upload, create_upload, enqueue, get_dataset

    from infra.local.server import recover_jobs
    from tests.integration.marketdata_support import sample_csv

    body, _ = sample_csv(count=3)
    with local_cloud(synthesized_stack) as cloud:

        def uploaded(name: str) -> str:
            record, _ = create_upload(TENANT, name, "csv")
            bars.put_object(record.upload_key or "", body, "text/csv")
            return str(record.dataset_id)

        taken, waiting, lost = uploaded("taken"), uploaded("waiting"), uploaded("lost")
        complete_upload(TENANT, taken)
        real_publish = imports.publish
        pulled: list[bool] = []

        def plug_pulled(record: DatasetRecord, frames: dict[str, pd.DataFrame]) -> Any:
            written = real_publish(record, frames)  # the Parquet objects, not yet the symbol rows
            if not pulled:
                pulled.append(True)
                complete_upload(TENANT, waiting)
                complete_upload(TENANT, lost)
                state_store(cloud, tmp_path).flush()  # Ctrl-C now
            return written

        monkeypatch.setattr(imports, "publish", plug_pulled)
        cloud.drain_queues()
        monkeypatch.undo()
        assert pulled
        clean = {d: _symbol_rows(d) for d in (taken, waiting)}
        assert all(len(rows) == 3 for rows in clean.values())

    with local_cloud(synthesized_stack) as cloud:
        state_store(cloud, tmp_path).restore()
        sqs = boto3.session.Session(region_name="us-east-1").client("sqs")
        sqs.purge_queue(QueueUrl=os.environ["TW_IMPORT_QUEUE_URL"])  # saved before the messages
        jobs = {r.dataset_id: r.job_id for r in active_jobs(("import",))}
        assert set(jobs) == {taken, waiting, lost}
        states = {
            d: (get_dataset(TENANT, d).status, getattr(get_record(TENANT, j), "status", None))
            for d, j in jobs.items()
        }
        assert states == {
            taken: ("importing", "running"),
            waiting: ("queued", "queued"),
            lost: ("queued", "queued"),
        }
        s3 = boto3.session.Session(region_name="us-east-1").client("s3")
        s3.delete_object(Bucket=os.environ["TW_DATA_BUCKET"], Key=get_dataset(TENANT, lost).upload_key)
        # A copy of the waiting import's message survived as well: it must not run it twice.
        source = get_dataset(TENANT, waiting).upload_key or ""
        enqueue(imports.ImportMessage(TENANT, waiting, source, "csv", jobs[waiting]))

        outcome = recover_jobs()
        assert sorted(outcome["resumed"]) == sorted([jobs[taken], jobs[waiting]])
        assert outcome["failed"] == [jobs[lost]]
        ran: list[str] = []

        def publish(record: DatasetRecord, frames: dict[str, pd.DataFrame]) -> Any:
            ran.append(record.dataset_id)
            return real_publish(record, frames)

        monkeypatch.setattr(imports, "publish", publish)
        cloud.drain_queues()
        monkeypatch.undo()
        assert sorted(ran) == sorted([taken, waiting])  # each once, the surviving copy skipped

        for dataset_id in (taken, waiting):
            dataset = get_dataset(TENANT, dataset_id)
            assert (dataset.status, int(dataset.symbols_count)) == ("ready", 3)
            assert _symbol_rows(dataset_id) == clean[dataset_id]  # rewritten, not added to
            job = get_record(TENANT, jobs[dataset_id])
            assert job is not None
            assert job.status == "succeeded", job.error
            assert job.summary == {"symbols": 3, "rows": int(dataset.rows)}
            steps = [step["status"] for step in job.timeline or []]
            after = "running" if dataset_id == taken else "queued"
            assert steps[steps.index("interrupted") + 1] == after
            assert steps[-1] == "succeeded"
            lines, _ = read(TENANT, jobs[dataset_id], 100, None)
            assert [line["message"] for line in lines].count("imported") == 1
        failed = get_record(TENANT, jobs[lost])
        assert failed is not None
        assert failed.status == "failed"
        assert failed.error == "interrupted by a restart, and its uploaded file is gone: upload it again"
        assert get_dataset(TENANT, lost).status == "failed"
        assert recover_jobs() == {"resumed": [], "failed": [], "running": [], "skipped": []}

        # An import whose dataset ended, only its job's last write lost: the job is finished from it.
        behind = {d: import_jobs.create(TENANT, d, d, "csv", len(body)) for d in (waiting, lost)}
        import_jobs.started(TENANT, behind[waiting])
        outcome = recover_jobs()
        assert (outcome["succeeded"], outcome["failed"]) == ([behind[waiting]], [behind[lost]])
        ended = get_record(TENANT, behind[waiting] or "")
        assert ended is not None
        assert ended.summary == {"symbols": 3, "rows": int(get_dataset(TENANT, waiting).rows)}
        ended = get_record(TENANT, behind[lost] or "")
        assert ended is not None
        assert ended.error == failed.error  # the dataset's own reason
