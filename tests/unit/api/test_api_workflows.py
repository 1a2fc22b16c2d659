"""Workflows through the API under moto (docs/workflows.md): every step checked as if submitted now
(problems of every step together, each at ``["body", "steps", i, "target", ...]``), versioned updates,
tenancy, a run as a job of kind ``workflow`` (listed, cancelled through ``/jobs``), and schedules
targeting a workflow. The state machine itself runs in tests/integration/test_workflows.py."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind.aws import client
from tradewind.workflows.steps import failure_reason

from tests.unit.api.jobs_support import SYMBOLS, provision, ready_dataset, sma_cross
from tests.unit.api.schedules_support import provision_schedules

PRUNE = {"kind": "command", "command": "prune-jobs", "params": {"days": 30}}


@pytest.fixture
def data(aws: None, monkeypatch: pytest.MonkeyPatch) -> str:
    provision(monkeypatch)
    provision_schedules(monkeypatch)
    definition = {"StartAt": "Wait", "States": {"Wait": {"Type": "Pass", "End": True}}}
    arn = client("stepfunctions").create_state_machine(
        name="tw-test-workflows",
        definition=json.dumps(definition),
        roleArn="arn:aws:iam::123456789012:role/x",
    )["stateMachineArn"]
    monkeypatch.setenv("TW_WORKFLOW_STATE_MACHINE_ARN", arn)
    return ready_dataset("acme")[0]


@pytest.fixture
def other(other_key: str) -> dict[str, str]:
    return {"X-Api-Key": other_key}


def _backtest(dataset_id: str, symbols: list[str]) -> dict[str, Any]:
    return {
        "kind": "backtest",
        "request": {"strategy": sma_cross(), "dataset_id": dataset_id, "symbols": symbols},
    }


def _create(api: TestClient, h: dict[str, str], steps: list[dict[str, Any]], name: str = "evening") -> Any:
    return api.post("/workflows", json={"name": name, "steps": steps}, headers=h)


def _locs(response: Any) -> list[list[Any]]:
    return [e["loc"] for e in response.json()["errors"]]


def test_create_checks_every_step_as_if_submitted_now_and_names_each_field(
    api: TestClient, h: dict[str, str], data: str
) -> None:
    steps = [
        {"target": {**PRUNE, "params": {"days": 0}}},
        {"target": _backtest(data, [SYMBOLS[0], "NOPE"])},
    ]
    r = _create(api, h, steps)
    assert r.status_code == 422, r.text
    locs = _locs(r)
    assert ["body", "steps", 0, "target", "params", "days"] in locs
    assert any(loc[:6] == ["body", "steps", 1, "target", "request", "symbols"] for loc in locs)
    assert api.get("/workflows", headers=h).json()["items"] == []  # nothing written
    r = _create(api, h, [{"target": {"kind": "command", "command": "no-such", "params": {}}}])
    assert r.status_code == 404
    assert _locs(r) == [["body", "steps", 0, "target", "command"]]


def test_steps_are_one_to_twenty_job_requests_never_a_workflow(
    api: TestClient, h: dict[str, str], data: str
) -> None:
    assert _create(api, h, []).status_code == 422
    assert _create(api, h, [{"target": PRUNE}] * 21).status_code == 422
    r = _create(api, h, [{"target": {"kind": "workflow", "workflow_id": "abc"}}])
    assert r.status_code == 422
    assert _locs(r)[0][:4] == ["body", "steps", 0, "target"]
    assert _create(api, h, [{"target": PRUNE}] * 20).status_code == 201


def test_crud_with_versioned_updates(api: TestClient, h: dict[str, str], data: str) -> None:
    r = _create(api, h, [{"name": "prune", "target": PRUNE}, {"target": _backtest(data, SYMBOLS[:2])}])
    assert r.status_code == 201, r.text
    created = r.json()
    workflow_id = created["workflow_id"]
    assert r.headers["Location"] == f"/workflows/{workflow_id}"
    assert created["version"] == 1
    assert [s.get("name") for s in created["steps"]] == ["prune", None]
    update = {"name": "nightly", "steps": [{"target": PRUNE}], "version": 1}
    r = api.put(f"/workflows/{workflow_id}", json=update, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2
    assert r.json()["name"] == "nightly"
    stale = api.put(f"/workflows/{workflow_id}", json={**update, "name": "lost"}, headers=h)
    assert stale.status_code == 409
    assert _locs(stale) == [["body", "version"]]
    assert api.get(f"/workflows/{workflow_id}", headers=h).json()["name"] == "nightly"
    bad = api.put(
        f"/workflows/{workflow_id}",
        json={**update, "version": 2, "steps": [{"target": {**PRUNE, "params": {}}}]},
        headers=h,
    )
    assert bad.status_code == 422
    assert _locs(bad) == [["body", "steps", 0, "target", "params", "days"]]
    assert [w["workflow_id"] for w in api.get("/workflows", headers=h).json()["items"]] == [workflow_id]
    assert api.delete(f"/workflows/{workflow_id}", headers=h).status_code == 204
    assert api.get(f"/workflows/{workflow_id}", headers=h).status_code == 404


def test_another_tenant_cannot_see_run_or_change_a_workflow(
    api: TestClient, h: dict[str, str], other: dict[str, str], data: str
) -> None:
    workflow_id = _create(api, h, [{"target": PRUNE}]).json()["workflow_id"]
    assert api.get(f"/workflows/{workflow_id}", headers=other).status_code == 404
    assert api.post(f"/workflows/{workflow_id}/runs", headers=other).status_code == 404
    update = {"name": "x", "steps": [{"target": PRUNE}], "version": 1}
    assert api.put(f"/workflows/{workflow_id}", json=update, headers=other).status_code == 404
    assert api.delete(f"/workflows/{workflow_id}", headers=other).status_code == 404
    assert api.get("/workflows", headers=other).json()["items"] == []


def test_a_run_is_a_workflow_job_with_pending_steps_and_cancel_stops_it(
    api: TestClient, h: dict[str, str], data: str
) -> None:
    workflow_id = _create(api, h, [{"name": "prune", "target": PRUNE}, {"target": PRUNE}]).json()[
        "workflow_id"
    ]
    r = api.post(f"/workflows/{workflow_id}/runs", headers=h)
    assert r.status_code == 202, r.text
    run_id = r.json()["job_id"]
    assert r.headers["Location"] == f"/jobs/{run_id}"
    job = api.get(f"/jobs/{run_id}", headers=h).json()
    assert (job["kind"], job["status"], job["name"]) == ("workflow", "queued", "evening")
    assert job["progress"]["shards_total"] == 2
    run = api.get(f"/workflows/runs/{run_id}", headers=h).json()
    assert run["workflow_id"] == workflow_id
    assert [(s["name"], s["label"], s["command"], s["status"], s["job_id"]) for s in run["steps"]] == [
        ("prune", "prune", "prune-jobs", "pending", None),
        (None, "command prune-jobs", "prune-jobs", "pending", None),
    ]
    machine = client("stepfunctions").list_state_machines()["stateMachines"]
    arn = next(m["stateMachineArn"] for m in machine if m["name"] == "tw-test-workflows")
    [execution] = client("stepfunctions").list_executions(stateMachineArn=arn)["executions"]
    assert execution["name"] == run_id
    assert [r["job_id"] for r in api.get(f"/workflows/{workflow_id}/runs", headers=h).json()["items"]] == [
        run_id
    ]
    assert api.get(f"/workflows/{workflow_id}", headers=h).json()["runs"] == 1
    assert api.post(f"/jobs/{run_id}/cancel", headers=h).status_code == 200
    run = api.get(f"/workflows/runs/{run_id}", headers=h).json()
    assert run["status"] == "cancelled"
    assert [s["status"] for s in run["steps"]] == ["skipped", "skipped"]
    assert api.get(f"/workflows/runs/{workflow_id}", headers=h).status_code == 404


def test_a_run_replays_its_idempotency_key(api: TestClient, h: dict[str, str], data: str) -> None:
    workflow_id = _create(api, h, [{"target": PRUNE}]).json()["workflow_id"]
    first = api.post(f"/workflows/{workflow_id}/runs", headers={**h, "Idempotency-Key": "k1"}).json()
    again = api.post(f"/workflows/{workflow_id}/runs", headers={**h, "Idempotency-Key": "k1"}).json()
    assert first["job_id"] == again["job_id"]
    assert len(api.get("/jobs?kind=workflow", headers=h).json()["items"]) == 1


def test_a_schedule_may_target_a_workflow_that_exists(api: TestClient, h: dict[str, str], data: str) -> None:
    body = {
        "name": "nightly",
        "expression": "rate(1 day)",
        "target": {"kind": "workflow", "workflow_id": "abc123"},
    }
    r = api.post("/schedules", json=body, headers=h)
    assert r.status_code == 404
    assert _locs(r) == [["body", "target", "workflow_id"]]
    workflow_id = _create(api, h, [{"target": PRUNE}]).json()["workflow_id"]
    body["target"]["workflow_id"] = workflow_id
    r = api.post("/schedules", json=body, headers=h)
    assert r.status_code == 201, r.text
    from tradewind.schedules.fire import fire

    fired = fire(
        {
            "tenant_id": "acme",
            "schedule_id": r.json()["schedule_id"],
            "scheduled_time": "2030-01-01T00:00:00Z",
        }
    )
    assert fired["outcome"] == "submitted"
    assert api.get(f"/jobs/{fired['job_id']}", headers=h).json()["kind"] == "workflow"


def test_a_failure_reason_names_the_step() -> None:
    assert failure_reason({"Error": "StepFailed", "Cause": "no bars"}, 1, "backtest") == (
        "step 2 (backtest) failed: no bars"
    )
    assert (
        failure_reason({"Error": "StepCancelled", "Cause": "x"}, 0, "prune") == "step 1 (prune) was cancelled"
    )
    invalid = {
        "Error": "StepInvalid",
        "Cause": json.dumps({"errorType": "StepInvalid", "errorMessage": "gone"}),
    }
    assert failure_reason(invalid, 2, "scan") == "step 3 (scan) could not be submitted: gone"
    crash = {
        "Error": "RuntimeError",
        "Cause": json.dumps({"errorType": "RuntimeError", "errorMessage": "boom"}),
    }
    assert failure_reason(crash, 0, "a") == "step 1 (a) failed: RuntimeError: boom"
