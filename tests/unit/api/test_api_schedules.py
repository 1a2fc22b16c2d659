"""Schedules through the API under moto (docs/schedules.md): creation checks the expression, the zone
and the target exactly as a submission would (4xx naming the field, nothing created), each schedule
is a real EventBridge schedule named from the caller's tenant, pause/resume, the next fire times,
fires (idempotent per scheduled time, an invalid target failing with a notification) and another
tenant's schedules invisible."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind.aws import client
from tradewind.schedules.fire import fire

from tests.unit.api.jobs_support import SYMBOLS, provision, ready_dataset, sma_cross
from tests.unit.api.schedules_support import FIRE_ARN, GROUP, provision_schedules


@pytest.fixture
def data(aws: None, monkeypatch: pytest.MonkeyPatch) -> str:
    provision(monkeypatch)
    provision_schedules(monkeypatch)
    return ready_dataset("acme")[0]


@pytest.fixture
def h(key: str) -> dict[str, str]:
    return {"X-Api-Key": key}


@pytest.fixture
def other(other_key: str) -> dict[str, str]:
    return {"X-Api-Key": other_key}


def _body(dataset_id: str, **extra: Any) -> dict[str, Any]:
    request = {"strategy": sma_cross(), "dataset_id": dataset_id, "symbols": SYMBOLS[:2]}
    return {
        "name": "nightly",
        "expression": "cron(30 17 ? * MON-FRI *)",
        "timezone": "Europe/Paris",
        "target": {"kind": "backtest", "request": request},
        **extra,
    }


def _locs(response: Any) -> list[list[Any]]:
    return [e["loc"] for e in response.json()["errors"]]


def test_create_is_an_eventbridge_schedule_named_from_the_tenant(
    api: TestClient, h: dict[str, str], data: str
) -> None:
    r = api.post("/schedules", json=_body(data), headers=h)
    assert r.status_code == 201, r.text
    out = r.json()
    assert r.headers["Location"] == f"/schedules/{out['schedule_id']}"
    assert out["enabled"]
    assert len(out["next_fire_times"]) == 5
    stored = client("scheduler").get_schedule(Name=f"acme-{out['schedule_id']}", GroupName=GROUP)
    assert stored["ScheduleExpression"] == "cron(30 17 ? * MON-FRI *)"
    assert stored["ScheduleExpressionTimezone"] == "Europe/Paris"
    assert stored["Target"]["Arn"] == FIRE_ARN
    assert json.loads(stored["Target"]["Input"]) == {
        "tenant_id": "acme",
        "schedule_id": out["schedule_id"],
        "scheduled_time": "<aws.scheduler.scheduled-time>",
    }
    # 17:30 in Paris is 15:30 or 16:30 UTC, on weekdays only
    for moment in out["next_fire_times"]:
        assert moment[11:16] in ("15:30", "16:30")
    assert [s["schedule_id"] for s in api.get("/schedules", headers=h).json()["items"]] == [
        out["schedule_id"]
    ]
    assert api.get("/jobs", headers=h).json()["items"] == []  # nothing started


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"expression": "every day"}, ["body", "expression"]),
        ({"expression": "rate(1 minutes)"}, ["body", "expression"]),
        ({"expression": "cron(0 18 * * MON *)"}, ["body", "expression"]),
        ({"timezone": "Mars/Olympus"}, ["body", "timezone"]),
    ],
)
def test_bad_expressions_name_the_field(
    api: TestClient, h: dict[str, str], data: str, change: dict[str, str], loc: list[str]
) -> None:
    r = api.post("/schedules", json=_body(data, **change), headers=h)
    assert r.status_code == 422, r.text
    assert loc in _locs(r), r.text
    assert api.get("/schedules", headers=h).json()["items"] == []


def test_the_target_is_checked_as_if_submitted_now(api: TestClient, h: dict[str, str], data: str) -> None:
    body = _body(data)
    body["target"]["request"]["symbols"] = [SYMBOLS[0], "NOPE"]
    r = api.post("/schedules", json=body, headers=h)
    assert r.status_code == 422, r.text
    assert ["body", "target", "request", "symbols", 1] in _locs(r)
    body = _body(data)
    body["target"] = {"kind": "command", "command": "prune-jobs", "params": {"days": 0}}
    r = api.post("/schedules", json=body, headers=h)
    assert r.status_code == 422, r.text
    assert ["body", "target", "params", "days"] in _locs(r), r.text
    body["target"] = {"kind": "command", "command": "nope", "params": {}}
    r = api.post("/schedules", json=body, headers=h)
    assert r.status_code == 404, r.text
    assert ["body", "target", "command"] in _locs(r), r.text
    assert client("scheduler").list_schedules(GroupName=GROUP)["Schedules"] == []


def test_pause_resume_and_delete(api: TestClient, h: dict[str, str], data: str) -> None:
    schedule_id = api.post("/schedules", json=_body(data), headers=h).json()["schedule_id"]
    name = f"acme-{schedule_id}"
    paused = api.post(f"/schedules/{schedule_id}/pause", headers=h).json()
    assert not paused["enabled"]
    assert paused["next_fire_times"] == []
    assert client("scheduler").get_schedule(Name=name, GroupName=GROUP)["State"] == "DISABLED"
    resumed = api.post(f"/schedules/{schedule_id}/resume", headers=h).json()
    assert resumed["enabled"]
    assert len(resumed["next_fire_times"]) == 5
    assert client("scheduler").get_schedule(Name=name, GroupName=GROUP)["State"] == "ENABLED"
    r = api.patch(f"/schedules/{schedule_id}", json={"expression": "rate(2 hours)"}, headers=h)
    assert r.status_code == 200
    assert r.json()["expression"] == "rate(2 hours)"
    assert (
        client("scheduler").get_schedule(Name=name, GroupName=GROUP)["ScheduleExpression"] == "rate(2 hours)"
    )
    assert api.delete(f"/schedules/{schedule_id}", headers=h).status_code == 204
    assert api.get(f"/schedules/{schedule_id}", headers=h).status_code == 404
    assert client("scheduler").list_schedules(GroupName=GROUP)["Schedules"] == []


def test_another_tenant_cannot_see_or_touch_a_schedule(
    api: TestClient, h: dict[str, str], other: dict[str, str], data: str
) -> None:
    schedule_id = api.post("/schedules", json=_body(data), headers=h).json()["schedule_id"]
    assert api.get("/schedules", headers=other).json()["items"] == []
    for method, path in [
        ("get", f"/schedules/{schedule_id}"),
        ("post", f"/schedules/{schedule_id}/pause"),
        ("post", f"/schedules/{schedule_id}/resume"),
        ("get", f"/schedules/{schedule_id}/fires"),
        ("delete", f"/schedules/{schedule_id}"),
    ]:
        assert api.request(method, path, headers=other).status_code == 404, path
    assert api.patch(f"/schedules/{schedule_id}", json={"name": "x"}, headers=other).status_code == 404
    assert api.get(f"/schedules/{schedule_id}", headers=h).json()["enabled"]


def test_a_fire_submits_once_per_scheduled_time(api: TestClient, h: dict[str, str], data: str) -> None:
    schedule_id = api.post("/schedules", json=_body(data), headers=h).json()["schedule_id"]
    event = {"tenant_id": "acme", "schedule_id": schedule_id, "scheduled_time": "2030-01-02T16:30:00Z"}
    first = fire(event)
    assert first["outcome"] == "submitted"
    again = fire(event)  # the scheduler's retry of the same fire
    assert again == {"outcome": "duplicate", "job_id": first["job_id"], "status": "submitted"}
    jobs = api.get("/jobs", headers=h).json()["items"]
    assert [j["job_id"] for j in jobs] == [first["job_id"]]
    assert jobs[0]["name"] == "nightly"
    history = api.get(f"/schedules/{schedule_id}/fires", headers=h).json()["items"]
    assert [(f["status"], f["job_id"], f["job_status"]) for f in history] == [
        ("submitted", first["job_id"], "queued")
    ]
    out = api.get(f"/schedules/{schedule_id}", headers=h).json()
    assert out["fires"] == 1
    assert out["last_fire"]["job_id"] == first["job_id"]


def test_a_target_no_longer_valid_fails_its_fire_with_a_notification(
    api: TestClient, h: dict[str, str], data: str
) -> None:
    created = api.post("/strategies", json={"name": "s", "document": sma_cross()}, headers=h)
    assert created.status_code == 201, created.text
    body = _body(data)
    body["target"]["request"] = {
        "strategy_id": created.json()["strategy_id"],
        "dataset_id": data,
        "symbols": SYMBOLS[:1],
    }
    schedule_id = api.post("/schedules", json=body, headers=h).json()["schedule_id"]
    assert api.delete(f"/strategies/{created.json()['strategy_id']}", headers=h).status_code == 204
    result = fire({"tenant_id": "acme", "schedule_id": schedule_id, "scheduled_time": "2030-01-02T16:30:00Z"})
    assert result["outcome"] == "failed"
    assert "not found" in result["error"]
    out = api.get(f"/schedules/{schedule_id}", headers=h).json()
    assert out["enabled"]
    assert out["last_fire"]["status"] == "failed"
    notes = api.get("/notifications", headers=h).json()["items"]
    assert notes[0]["kind"] == "schedule.failed"
    assert "not found" in notes[0]["body"]
    assert api.get("/jobs", headers=h).json()["items"] == []


def test_a_fire_for_a_deleted_schedule_or_another_tenant_does_nothing(
    api: TestClient, h: dict[str, str], data: str
) -> None:
    schedule_id = api.post("/schedules", json=_body(data), headers=h).json()["schedule_id"]
    assert fire({"tenant_id": "globex", "schedule_id": schedule_id, "scheduled_time": "t"}) == {
        "outcome": "gone"
    }
    assert api.get("/jobs", headers=h).json()["items"] == []


def test_preview_gives_next_times(api: TestClient, h: dict[str, str], aws: None) -> None:
    r = api.post("/schedules/preview", json={"expression": "cron(0 9 * * ? *)", "timezone": "UTC"}, headers=h)
    assert r.status_code == 200
    assert all(t[11:16] == "09:00" for t in r.json()["next_fire_times"])
    r = api.post("/schedules/preview", json={"expression": "cron(0 9 * * *)"}, headers=h)
    assert r.status_code == 422
    assert ["body", "expression"] in _locs(r)
