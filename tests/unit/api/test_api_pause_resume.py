"""Pause and resume through the API under moto: the state transitions and their refusals.

``POST /jobs/{id}/pause|resume``: pause twice, resume a
running job, cancel a paused job (its slot released once), pause a finished job, another tenant's
job, a backtest, and a resume whose execution cannot start. The workflow itself (what a paused job
runs and what its resume runs) is tested on the local cloud: tests/integration/test_pause_resume.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind.aws import reset_clients
from tradewind.data.jobs import JobCounter, JobRecord
from tradewind.errors import Conflict
from tradewind.jobs import pause as pausing
from tradewind.jobs.lifecycle import execution_name
from tradewind.settings import get_settings

from tests.unit.api.jobs_support import SPACE, SYMBOLS, executions, ready_dataset, sma_cross


@pytest.fixture
def dataset(machine: str) -> str:
    return ready_dataset("acme")[0]


def _submit(api: TestClient, h: dict[str, str], dataset: str, kind: str = "optimizations") -> str:
    body: dict[str, Any] = {"strategy": sma_cross(), "dataset_id": dataset, "symbols": SYMBOLS}
    if kind == "optimizations":
        body["space"] = SPACE
    r = api.post(f"/{kind}", json=body, headers=h)
    assert r.status_code == 202, r.text
    return str(r.json()["job_id"])


def _set(job_id: str, status: str) -> None:
    """What plan (``running``) or reduce (``succeeded``) would have written."""
    record = JobRecord.get(*JobRecord.key("acme", job_id))
    record.update(actions=[JobRecord.status.set(status)])


def _running_slots() -> int:
    return int(JobCounter.get(*JobCounter.running_key("acme")).jobs)


def _problem(r: Any) -> tuple[int, list[Any], str]:
    error = r.json()["errors"][0]
    return r.status_code, list(error["loc"]), str(error["msg"])


def test_pause_then_resume_starts_a_new_execution_named_after_the_resume(
    api: TestClient, h: dict[str, str], machine: str, dataset: str
) -> None:
    job_id = _submit(api, h, dataset)
    queued = api.post(f"/jobs/{job_id}/pause", headers=h)
    assert _problem(queued) == (
        409,
        ["path", "job_id"],
        "the job is queued; only a running job can be paused",
    )
    _set(job_id, "running")

    paused = api.post(f"/jobs/{job_id}/pause", headers=h)
    assert paused.status_code == 200, paused.text
    assert paused.json()["status"] == "paused"
    assert api.get(f"/jobs/{job_id}", headers=h).json()["status"] == "paused"
    again = api.post(f"/jobs/{job_id}/pause", headers=h)
    assert _problem(again) == (409, ["path", "job_id"], "the job is paused; only a running job can be paused")
    assert _running_slots() == 1  # a paused job keeps its slot

    resumed = api.post(f"/jobs/{job_id}/resume", headers=h)
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["status"] == "running"
    names = sorted(e["name"] for e in executions(machine))
    assert names == sorted([job_id, execution_name(job_id, 1)]) == sorted([job_id, f"{job_id}-r1"])
    running = api.post(f"/jobs/{job_id}/resume", headers=h)
    assert _problem(running) == (
        409,
        ["path", "job_id"],
        "the job is running; only a paused job can be resumed",
    )
    assert JobRecord.get(*JobRecord.key("acme", job_id)).resumes == 1


def test_a_paused_job_can_be_cancelled_which_releases_its_slot_once(
    api: TestClient, h: dict[str, str], dataset: str
) -> None:
    job_id = _submit(api, h, dataset)
    _set(job_id, "running")
    assert api.post(f"/jobs/{job_id}/pause", headers=h).status_code == 200
    cancelled = api.post(f"/jobs/{job_id}/cancel", headers=h)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert _running_slots() == 0
    for action in ("pause", "resume"):
        r = api.post(f"/jobs/{job_id}/{action}", headers=h)
        assert r.status_code == 409
        assert "the job is cancelled" in _problem(r)[2]
    assert _running_slots() == 0


def test_a_finished_job_is_neither_paused_nor_resumed(
    api: TestClient, h: dict[str, str], dataset: str
) -> None:
    job_id = _submit(api, h, dataset)
    _set(job_id, "succeeded")
    r = api.post(f"/jobs/{job_id}/pause", headers=h)
    assert _problem(r) == (409, ["path", "job_id"], "the job is succeeded; only a running job can be paused")
    r = api.post(f"/jobs/{job_id}/resume", headers=h)
    assert _problem(r) == (409, ["path", "job_id"], "the job is succeeded; only a paused job can be resumed")


def test_another_tenants_job_is_not_found_and_a_backtest_cannot_pause(
    api: TestClient, h: dict[str, str], other_key: str, dataset: str
) -> None:
    job_id = _submit(api, h, dataset)
    _set(job_id, "running")
    for action in ("pause", "resume"):
        r = api.post(f"/jobs/{job_id}/{action}", headers={"X-Api-Key": other_key})
        assert r.status_code == 404
    assert JobRecord.get(*JobRecord.key("acme", job_id)).status == "running"

    backtest = _submit(api, h, dataset, kind="backtests")
    _set(backtest, "running")
    r = api.post(f"/jobs/{backtest}/pause", headers=h)
    assert _problem(r) == (
        409,
        ["path", "job_id"],
        "a backtest cannot be paused; optimizations and pipeline runs can",
    )
    with pytest.raises(Conflict):
        pausing.resume("acme", backtest)


def test_a_resume_whose_execution_cannot_start_leaves_the_job_paused(
    api: TestClient, h: dict[str, str], dataset: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    job_id = _submit(api, h, dataset)
    _set(job_id, "running")
    assert api.post(f"/jobs/{job_id}/pause", headers=h).status_code == 200
    monkeypatch.setenv("TW_JOB_STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:gone")
    get_settings.cache_clear()
    reset_clients()
    with TestClient(api.app, raise_server_exceptions=False) as client:
        r = client.post(f"/jobs/{job_id}/resume", headers=h)
    assert r.status_code == 500
    record = JobRecord.get(*JobRecord.key("acme", job_id))
    assert (record.status, record.resumes) == ("paused", 1)  # resume it again: the next try is -r2
