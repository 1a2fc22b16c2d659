"""Workflows on the local cloud (docs/workflows.md): the synthesized workflow state machine run by
moto's ASL interpreter, its step task waiting on a task token that the step job's final transition
sends (``jobs.records.finish`` -> ``workflows.callback``), with the handlers in-process.

Steps are command runs (``prune-jobs`` in dry-run: real jobs through the commands queue, delivered by
``cloud.drain_queues()``) and a backtest on the sample universe (the real job workflow).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient
from tradewind.services import apikeys

from infra.local.cloud import LocalCloud
from tests.integration.marketdata_support import publish_sample_dataset

TENANT = "flowline"
PRUNE = {"kind": "command", "command": "prune-jobs", "params": {"days": 3650, "dry_run": True}}


@pytest.fixture(scope="module")
def api(cloud: LocalCloud) -> Iterator[TestClient]:
    from tradewind.api.app import create_app

    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def h(cloud: LocalCloud) -> dict[str, str]:
    return {"X-Api-Key": apikeys.create_api_key(TENANT, "test").secret}


@pytest.fixture(scope="module")
def symbols(cloud: LocalCloud) -> list[str]:
    return sorted(publish_sample_dataset(TENANT, "sample", 2))


def _sfn() -> Any:
    return boto3.session.Session(region_name="us-east-1").client("stepfunctions")


def _backtest(symbols: list[str]) -> dict[str, Any]:
    from tradewind.strategy.templates import TEMPLATES

    strategy = TEMPLATES["sma_cross"]().model_dump(mode="json", exclude_none=True)
    request = {
        "strategy": strategy,
        "params": {"fast": 5, "slow": 20},
        "dataset_id": "sample",
        "symbols": symbols,
    }
    return {"kind": "backtest", "request": request}


def _workflow(api: TestClient, h: dict[str, str], *targets: dict[str, Any]) -> str:
    steps = [{"target": t} for t in targets]
    r = api.post("/workflows", json={"name": "evening", "steps": steps}, headers=h)
    assert r.status_code == 201, r.text
    return str(r.json()["workflow_id"])


def _run(api: TestClient, h: dict[str, str], workflow_id: str) -> str:
    r = api.post(f"/workflows/{workflow_id}/runs", headers=h)
    assert r.status_code == 202, r.text
    assert r.json()["kind"] == "workflow"
    return str(r.json()["job_id"])


def _until(cloud: LocalCloud, done: Callable[[], bool], timeout: float = 90) -> None:
    """Deliver queued messages (command runs) until ``done()``; moto runs executions on threads."""
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "timed out"
        cloud.drain_queues()
        time.sleep(0.2)


def _final(api: TestClient, h: dict[str, str], cloud: LocalCloud, run_id: str) -> dict[str, Any]:
    def ended() -> bool:
        return api.get(f"/jobs/{run_id}", headers=h).json()["status"] in ("succeeded", "failed", "cancelled")

    _until(cloud, ended)
    return dict(api.get(f"/workflows/runs/{run_id}", headers=h).json())


def _execution(cloud: LocalCloud, run_id: str) -> dict[str, Any]:
    arn = cloud.provisioned.state_machines  # logical id -> ARN
    machine = next(a for a in arn.values() if a.endswith(":tradewind-local-workflows"))
    execution = f"{machine.replace(':stateMachine:', ':execution:')}:{run_id}"
    deadline = time.monotonic() + 30
    while True:
        described = dict(_sfn().describe_execution(executionArn=execution))
        if described["status"] != "RUNNING" or time.monotonic() > deadline:
            return described
        time.sleep(0.2)


def test_a_two_step_workflow_runs_both_steps_in_order_and_links_their_jobs(
    cloud: LocalCloud, api: TestClient, h: dict[str, str], symbols: list[str]
) -> None:
    workflow_id = _workflow(api, h, PRUNE, _backtest(symbols))
    run_id = _run(api, h, workflow_id)
    run = _final(api, h, cloud, run_id)
    assert run["status"] == "succeeded", run
    assert [s["status"] for s in run["steps"]] == ["succeeded", "succeeded"]
    assert [s["kind"] for s in run["steps"]] == ["command", "backtest"]
    first, second = (api.get(f"/jobs/{s['job_id']}", headers=h).json() for s in run["steps"])
    assert first["kind"] == "command"
    assert second["kind"] == "backtest"
    assert first["finished_at"] <= second["created_at"]  # one after another
    assert run["summary"] == {"steps": 2, "jobs": [first["job_id"], second["job_id"]]}
    assert run["progress"]["shards_done"] == 2
    assert _execution(cloud, run_id)["status"] == "SUCCEEDED"
    listed = api.get(f"/workflows/{workflow_id}/runs", headers=h).json()["items"]
    assert [r["job_id"] for r in listed] == [run_id]
    assert api.get("/jobs?kind=workflow", headers=h).json()["items"][0]["job_id"] == run_id
    logs = [line["message"] for line in api.get(f"/jobs/{run_id}/logs", headers=h).json()["items"]]
    assert logs[-1] == "all 2 steps succeeded"


def test_a_failing_first_step_stops_the_run_and_names_it(
    cloud: LocalCloud, api: TestClient, h: dict[str, str], symbols: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tradewind import commands

    def broken(ctx: Any, params: Any) -> dict[str, Any]:
        raise RuntimeError("the disk is full")

    prune = commands.catalogue()["prune-jobs"]
    monkeypatch.setitem(commands.catalogue(), "prune-jobs", dataclasses.replace(prune, run=broken))
    workflow_id = _workflow(api, h, PRUNE, _backtest(symbols))
    before = len(api.get("/jobs?kind=backtest&limit=100", headers=h).json()["items"])
    run = _final(api, h, cloud, _run(api, h, workflow_id))
    assert run["status"] == "failed"
    assert run["failed_step"] == 0
    assert run["error"] == "step 1 (command prune-jobs) failed: RuntimeError: the disk is full"
    assert [s["status"] for s in run["steps"]] == ["failed", "skipped"]
    assert run["steps"][1]["job_id"] is None
    assert len(api.get("/jobs?kind=backtest&limit=100", headers=h).json()["items"]) == before
    assert _execution(cloud, run["job_id"])["status"] == "FAILED"


def test_a_step_that_can_no_longer_be_submitted_fails_the_run_naming_it(
    cloud: LocalCloud, api: TestClient, h: dict[str, str]
) -> None:
    from tradewind.schedules import targets

    workflow_id = _workflow(api, h, PRUNE, PRUNE)
    r = api.get(f"/workflows/{workflow_id}", headers=h).json()
    steps = [{"target": PRUNE}, {"name": "export", "target": {**PRUNE, "params": {"days": 0}}}]
    # Stored as saved long ago, before the bound existed (the API would refuse it now).
    from tradewind.workflows.records import WorkflowRecord

    record = WorkflowRecord.get(*WorkflowRecord.key(TENANT, workflow_id))
    record.update(actions=[WorkflowRecord.steps.set(steps)])
    assert targets  # the same check the API runs refuses it at the step's turn
    run = _final(api, h, cloud, _run(api, h, workflow_id))
    assert run["status"] == "failed"
    assert run["failed_step"] == 1
    assert run["error"].startswith(
        "step 2 (export) could not be submitted: the parameters of prune-jobs are invalid"
    )
    assert [s["status"] for s in run["steps"]] == ["succeeded", "failed"]
    assert r["version"] == 1


def test_cancelling_a_run_stops_its_execution_and_cancels_the_running_step(
    cloud: LocalCloud, api: TestClient, h: dict[str, str]
) -> None:
    workflow_id = _workflow(api, h, PRUNE, PRUNE)
    run_id = _run(api, h, workflow_id)

    def waiting() -> bool:  # the step's job exists and holds the task token (its message not delivered)
        steps = api.get(f"/workflows/runs/{run_id}", headers=h).json()["steps"]
        return steps[0]["job_id"] is not None and _token(steps[0]["job_id"]) is not None

    deadline = time.monotonic() + 30
    while not waiting():
        assert time.monotonic() < deadline
        time.sleep(0.2)
    r = api.post(f"/jobs/{run_id}/cancel", headers=h)
    assert r.status_code == 200, r.text
    run = api.get(f"/workflows/runs/{run_id}", headers=h).json()
    assert run["status"] == "cancelled"
    assert run["steps"][0]["status"] == "cancelled"
    assert run["steps"][1]["status"] == "skipped"
    assert _execution(cloud, run_id)["status"] == "ABORTED"
    cloud.drain_queues()  # the step's message: the runner finds it cancelled and runs nothing
    assert api.get(f"/jobs/{run['steps'][0]['job_id']}", headers=h).json()["status"] == "cancelled"


def _token(job_id: str) -> str | None:
    from tradewind.data.jobs import JobRecord

    return JobRecord.get(*JobRecord.key(TENANT, job_id), consistent_read=True).callback_token


def test_a_retried_step_task_makes_no_second_job(
    cloud: LocalCloud, api: TestClient, h: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The task dies after its job was submitted, before the run recorded it: the retry (the Step's
    Retry, 1 s later) finds the job through the step's Idempotency-Key."""
    from tradewind.schedules import targets

    real = targets.submit
    calls: list[str] = []

    def dies_after_the_first_submit(*args: Any, **kwargs: Any) -> Any:
        job = real(*args, **kwargs)
        calls.append(job.job_id)
        if len(calls) == 1:
            raise RuntimeError("the Lambda was killed")
        return job

    monkeypatch.setattr(targets, "submit", dies_after_the_first_submit)
    before = len(api.get("/jobs?kind=command&limit=100", headers=h).json()["items"])
    run = _final(api, h, cloud, _run(api, h, _workflow(api, h, PRUNE)))
    assert run["status"] == "succeeded", run
    assert len(calls) == 2
    assert calls[0] == calls[1] == run["steps"][0]["job_id"]
    assert len(api.get("/jobs?kind=command&limit=100", headers=h).json()["items"]) == before + 1


def test_an_execution_stopped_outside_tradewind_fails_the_run(
    cloud: LocalCloud, api: TestClient, h: dict[str, str]
) -> None:
    run_id = _run(api, h, _workflow(api, h, PRUNE))
    described = _execution_running(cloud, run_id)
    _sfn().stop_execution(executionArn=described["executionArn"], error="Console", cause="an operator")
    assert _execution(cloud, run_id)["status"] == "ABORTED"
    sent = cloud.execution_events.poll_once()
    assert run_id in [event["detail"]["name"] for event in sent]
    run = api.get(f"/jobs/{run_id}", headers=h).json()
    assert run["status"] == "failed"
    assert run["error"] == "the workflow's execution was stopped outside Tradewind"


def _execution_running(cloud: LocalCloud, run_id: str) -> dict[str, Any]:
    machine = next(
        a for a in cloud.provisioned.state_machines.values() if a.endswith(":tradewind-local-workflows")
    )
    arn = f"{machine.replace(':stateMachine:', ':execution:')}:{run_id}"
    return dict(_sfn().describe_execution(executionArn=arn))


def test_a_run_whose_execution_was_lost_is_resumed_at_its_first_unfinished_step(
    cloud: LocalCloud, api: TestClient, h: dict[str, str]
) -> None:
    """``make run`` stopped mid-run: the execution is gone (moto keeps none across a restart; here the
    record's current execution is made one that never existed). The start-up recovery starts
    ``{id}-r{n}``, which finds step 1's job again (no second job) and goes on to step 2."""
    from tradewind.data.jobs import JobRecord
    from tradewind.jobs.recovery import recover_all

    run_id = _run(api, h, _workflow(api, h, PRUNE, PRUNE))

    def first_step_waiting() -> bool:
        steps = api.get(f"/workflows/runs/{run_id}", headers=h).json()["steps"]
        return steps[0]["job_id"] is not None and _token(steps[0]["job_id"]) is not None

    deadline = time.monotonic() + 30
    while not first_step_waiting():
        assert time.monotonic() < deadline
        time.sleep(0.2)
    _sfn().stop_execution(executionArn=_execution_running(cloud, run_id)["executionArn"])
    record = JobRecord.get(*JobRecord.key(TENANT, run_id))
    record.update(actions=[JobRecord.resumes.set(3)])  # its current execution, {id}-r3, does not exist
    before = len(api.get("/jobs?kind=command&limit=100", headers=h).json()["items"])
    outcome = recover_all()
    assert run_id in outcome["resumed"]
    run = _final(api, h, cloud, run_id)
    assert run["status"] == "succeeded", run
    assert [s["status"] for s in run["steps"]] == ["succeeded", "succeeded"]
    assert len(api.get("/jobs?kind=command&limit=100", headers=h).json()["items"]) == before + 1
    causes = [e["cause"] for e in api.get(f"/jobs/{run_id}/timeline", headers=h).json()["entries"]]
    assert "resumed at step 1 of 2" in causes
