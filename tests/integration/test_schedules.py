"""Schedules and commands on the local cloud (docs/schedules.md, docs/commands.md): the synthesized
stack under moto, a schedule created through the API fired by the local ticker (which invokes the
schedule-fire Lambda as EventBridge Scheduler would), idempotent fires, a target that became invalid,
and a command run through the commands queue redriving a dead-letter queue."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient
from tradewind.services import apikeys

from infra.local.cloud import LocalCloud
from infra.local.ticker import Ticker
from tests.integration.marketdata_support import publish_sample_dataset

TENANT = "clockwork"


@pytest.fixture(scope="module")
def dataset(cloud: LocalCloud) -> list[str]:
    """The tenant's sample universe (4 symbols): their names."""
    return sorted(publish_sample_dataset(TENANT, "sample", 4))


@pytest.fixture(scope="module")
def api(cloud: LocalCloud) -> Iterator[TestClient]:
    from tradewind.api.app import create_app

    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def h(cloud: LocalCloud) -> dict[str, str]:
    return {"X-Api-Key": apikeys.create_api_key(TENANT, "test").secret}


def _client(name: str) -> Any:
    return boto3.session.Session(region_name="us-east-1").client(name)


def _pipeline(**extra: Any) -> dict[str, Any]:
    request = {"template": "sma_cross", "params": {"fast": 10, "slow": 40}, "mode": "demo", **extra}
    return {"kind": "pipeline", "request": request}


def _create(
    api: TestClient, h: dict[str, str], target: dict[str, Any], expression: str = "rate(1 minute)"
) -> str:
    r = api.post("/schedules", json={"name": "scan", "expression": expression, "target": target}, headers=h)
    assert r.status_code == 201, r.text
    return str(r.json()["schedule_id"])


def _invoke_fire(cloud: LocalCloud, schedule_id: str, scheduled_time: str) -> dict[str, Any]:
    """Invoke the schedule-fire Lambda with the input the schedule carries (as the scheduler does)."""
    answer = _client("lambda").invoke(
        FunctionName=cloud.function_name("ScheduleFire"),
        Payload=json.dumps(
            {"tenant_id": TENANT, "schedule_id": schedule_id, "scheduled_time": scheduled_time}
        ),
    )
    assert "FunctionError" not in answer, answer["Payload"].read()
    return dict(json.loads(answer["Payload"].read()))


def test_the_ticker_fires_a_schedule_created_through_the_api_and_its_job_runs(
    cloud: LocalCloud, api: TestClient, h: dict[str, str], dataset: list[str]
) -> None:
    schedule_id = _create(api, h, _pipeline())
    created = api.get(f"/schedules/{schedule_id}", headers=h).json()
    first = datetime.fromisoformat(created["next_fire_times"][0])
    now = [datetime.now(UTC)]
    ticker = Ticker(clock=lambda: now[0])
    ticker.refresh()
    assert not [n for n in ticker.tick() if schedule_id in n]
    # EventBridge's creation time is a little after the record's (seconds on a loaded machine): well
    # inside the minute, one occurrence is due.
    now[0] = first + timedelta(seconds=20)
    fired = ticker.tick()
    assert f"{TENANT}-{schedule_id}" in fired
    cloud.drain_queues()
    [fire] = api.get(f"/schedules/{schedule_id}/fires", headers=h).json()["items"]
    assert fire["status"] == "submitted"
    assert abs(datetime.fromisoformat(fire["scheduled_time"]) - first) <= timedelta(seconds=20)
    job = api.get(f"/jobs/{fire['job_id']}", headers=h).json()
    assert job["kind"] == "pipeline"
    assert job["status"] == "succeeded", job
    assert job["name"] == "scan"
    assert (
        api.get(f"/schedules/{schedule_id}/fires", headers=h).json()["items"][0]["job_status"] == "succeeded"
    )
    now[0] = first + timedelta(minutes=1, seconds=20)  # the same margin as the first fire
    assert f"{TENANT}-{schedule_id}" in ticker.tick()  # the next minute
    cloud.drain_queues()
    assert len(api.get(f"/schedules/{schedule_id}/fires", headers=h).json()["items"]) == 2
    api.delete(f"/schedules/{schedule_id}", headers=h)


def test_a_retried_fire_makes_no_second_job(
    cloud: LocalCloud, api: TestClient, h: dict[str, str], dataset: list[str]
) -> None:
    schedule_id = _create(api, h, _pipeline(), "cron(0 18 ? * MON-FRI *)")
    before = {j["job_id"] for j in api.get("/jobs?kind=pipeline&limit=100", headers=h).json()["items"]}
    first = _invoke_fire(cloud, schedule_id, "2030-01-02T18:00:00Z")
    again = _invoke_fire(cloud, schedule_id, "2030-01-02T18:00:00Z")
    assert first["outcome"] == "submitted"
    assert again["outcome"] == "duplicate"
    assert again["job_id"] == first["job_id"]
    cloud.drain_queues()
    after = {j["job_id"] for j in api.get("/jobs?kind=pipeline&limit=100", headers=h).json()["items"]}
    assert after - before == {first["job_id"]}
    other_time = _invoke_fire(cloud, schedule_id, "2030-01-03T18:00:00Z")
    assert other_time["job_id"] != first["job_id"]
    cloud.drain_queues()
    api.delete(f"/schedules/{schedule_id}", headers=h)


def test_a_target_no_longer_valid_fails_its_fire_and_the_schedule_stays(
    cloud: LocalCloud, api: TestClient, h: dict[str, str], dataset: list[str]
) -> None:
    r = api.post("/watchlists", json={"name": "two", "symbols": dataset[:2]}, headers=h)
    assert r.status_code == 201, r.text
    watchlist_id = r.json()["watchlist_id"]
    universe = {"kind": "watchlist", "dataset_id": "sample", "watchlist_id": watchlist_id}
    schedule_id = _create(api, h, _pipeline(universe=universe))
    assert api.delete(f"/watchlists/{watchlist_id}", headers=h).status_code == 204
    result = _invoke_fire(cloud, schedule_id, "2030-01-02T18:00:00Z")
    assert result["outcome"] == "failed"
    assert "watchlist" in result["error"]
    out = api.get(f"/schedules/{schedule_id}", headers=h).json()
    assert out["enabled"]
    assert out["last_fire"]["status"] == "failed"
    [note] = [
        n for n in api.get("/notifications", headers=h).json()["items"] if n["kind"] == "schedule.failed"
    ]
    assert "watchlist" in note["body"]
    assert note["message"] == {
        "code": "schedule.failed",
        "params": {"name": out["name"], "reason": note["body"]},
    }
    assert note["link"] == f"/schedules/{schedule_id}"
    api.delete(f"/schedules/{schedule_id}", headers=h)


def test_a_command_run_redrives_the_import_dead_letter_queue(
    cloud: LocalCloud, api: TestClient, h: dict[str, str]
) -> None:
    sqs = _client("sqs")
    dead = cloud.queue_url("ImportDeadLetters")
    body = {"tenant_id": TENANT, "dataset_id": "gone", "key": "uploads/x/source.csv", "format": "csv"}
    sqs.send_message(QueueUrl=dead, MessageBody=json.dumps(body))
    sqs.send_message(QueueUrl=dead, MessageBody=json.dumps({**body, "tenant_id": "someone-else"}))
    r = api.post("/commands/redrive-dead-letters/runs", json={"params": {"queue": "import"}}, headers=h)
    assert r.status_code == 202, r.text
    cloud.drain_queues()  # the command runner, then the import worker on the redriven message
    run = api.get(f"/jobs/{r.json()['job_id']}", headers=h).json()
    assert run["status"] == "succeeded", run
    assert run["summary"]["moved"] == 1
    assert run["summary"]["other_tenants_left"] == 1
    lines = [line["message"] for line in api.get(f"/jobs/{run['job_id']}/logs", headers=h).json()["items"]]
    assert "moved 1 messages back to the import queue" in lines
    left = sqs.receive_message(QueueUrl=dead, MaxNumberOfMessages=10).get("Messages", [])
    assert [json.loads(m["Body"])["tenant_id"] for m in left] == ["someone-else"]


def test_a_restart_restores_the_users_schedules_into_the_scheduler(
    cloud: LocalCloud, api: TestClient, h: dict[str, str], dataset: list[str]
) -> None:
    schedule_id = _create(api, h, _pipeline(), "rate(1 day)")
    scheduler = _client("scheduler")
    name, group = f"{TENANT}-{schedule_id}", "tradewind-local"
    scheduler.delete_schedule(Name=name, GroupName=group)  # what a restart of make run loses
    assert Ticker().restore_user_schedules() >= 1
    assert scheduler.get_schedule(Name=name, GroupName=group)["ScheduleExpression"] == "rate(1 day)"
    assert Ticker().restore_user_schedules() == 0
    api.delete(f"/schedules/{schedule_id}", headers=h)
