"""The command catalogue through the API under moto (docs/commands.md): schemas served, runs validated
against the command's model (4xx naming ``["body", "params", ...]``, nothing created), a run is a
job of kind ``command`` queued for the runner, which runs it once with its log, and tenants never
see each other's runs or jobs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind.aws import client
from tradewind.commands.runs import execute
from tradewind.data.jobs import JobRecord

from tests.unit.api.jobs_support import provision
from tests.unit.api.schedules_support import provision_schedules


@pytest.fixture
def queue(aws: None, monkeypatch: pytest.MonkeyPatch) -> str:
    provision(monkeypatch)
    return provision_schedules(monkeypatch)


@pytest.fixture
def h(key: str) -> dict[str, str]:
    return {"X-Api-Key": key}


@pytest.fixture
def other(other_key: str) -> dict[str, str]:
    return {"X-Api-Key": other_key}


def _locs(response: Any) -> list[list[Any]]:
    return [e["loc"] for e in response.json()["errors"]]


def _deliver(queue: str) -> list[str]:
    """Play the command runner: take the queued messages and run them."""
    statuses = []
    for message in client("sqs").receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", []):
        body = json.loads(message["Body"])
        statuses.append(execute(body["tenant_id"], body["job_id"]))
        client("sqs").delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
    return statuses


def _old_job(tenant: str, days: int, status: str = "succeeded") -> str:
    moment = datetime.now(UTC) - timedelta(days=days)
    job_id = f"{int(moment.timestamp() * 1000):012x}00000000{days:02d}"
    pk, sk = JobRecord.key(tenant, job_id)
    gsi1pk, gsi1sk = JobRecord.kind_index_key(tenant, "backtest", job_id)
    JobRecord(
        pk,
        sk,
        gsi1pk=gsi1pk,
        gsi1sk=gsi1sk,
        tenant_id=tenant,
        job_id=job_id,
        kind="backtest",
        status=status,
        dataset_id="d",
        symbols=[],
        request_hash="h",
        created_at=moment,
        updated_at=moment,
    ).save()
    return job_id


def test_the_catalogue_serves_each_parameter_schema(api: TestClient, h: dict[str, str], queue: str) -> None:
    catalogue = {c["name"]: c for c in api.get("/commands", headers=h).json()}
    assert {
        "refresh-sample",
        "prune-jobs",
        "redrive-dead-letters",
        "export-job-results",
        "fetch-bars",
        "reimport-dataset",
        "recompute-breadth",
    } <= set(catalogue)
    assert catalogue["recompute-breadth"]["params_schema"]["required"] == ["universe", "start", "end"]
    days = catalogue["prune-jobs"]["params_schema"]["properties"]["days"]
    assert days["type"] == "integer"
    assert days["minimum"] == 1
    assert api.get("/commands/prune-jobs", headers=h).json()["name"] == "prune-jobs"
    assert api.get("/commands/nope", headers=h).status_code == 404


@pytest.mark.parametrize(
    ("name", "params", "status", "loc"),
    [
        ("prune-jobs", {}, 422, ["body", "params", "days"]),
        ("prune-jobs", {"days": 0}, 422, ["body", "params", "days"]),
        ("prune-jobs", {"days": 3, "rm": "-rf"}, 422, ["body", "params", "rm"]),
        ("redrive-dead-letters", {"queue": "everything"}, 422, ["body", "params", "queue"]),
        ("export-job-results", {"job_id": "0193a1b2c3d4e5f6a7b8c9"}, 404, ["body", "params", "job_id"]),
        ("nope", {}, 404, ["path", "name"]),
        ("reimport-dataset", {"dataset_id": "0193a1b2c3d4"}, 404, ["body", "params", "dataset_id"]),
        ("reimport-dataset", {"dataset_id": "a/b"}, 422, ["body", "params", "dataset_id"]),
        ("recompute-breadth", {"universe": "sample", "start": "2020-01-01"}, 422, ["body", "params", "end"]),
        (
            "recompute-breadth",
            {"universe": "sample", "start": "2020-02-01", "end": "2020-01-01"},
            422,
            ["body", "params", "end"],
        ),
        (
            "recompute-breadth",
            {"universe": "sample", "start": "2020-01-01", "end": "2020-02-01"},
            404,
            ["body", "params", "universe"],
        ),
    ],
)
def test_runs_are_validated_naming_the_field(
    api: TestClient,
    h: dict[str, str],
    queue: str,
    name: str,
    params: dict[str, Any],
    status: int,
    loc: list[Any],
) -> None:
    r = api.post(f"/commands/{name}/runs", json={"params": params}, headers=h)
    assert r.status_code == status, r.text
    assert loc in _locs(r), r.text
    assert api.get("/jobs", headers=h).json()["items"] == []


def test_fetch_bars_without_the_provider_is_503(api: TestClient, h: dict[str, str], queue: str) -> None:
    params = {"symbols": ["AAPL"], "start": "2024-01-01", "end": "2024-02-01"}
    r = api.post("/commands/fetch-bars/runs", json={"params": params}, headers=h)
    assert r.status_code == 503
    assert "yfinance" in r.json()["detail"]


def test_prune_runs_as_a_command_job_with_its_log(
    api: TestClient, h: dict[str, str], other: dict[str, str], queue: str
) -> None:
    old, recent, mine_elsewhere = _old_job("acme", 40), _old_job("acme", 2), _old_job("globex", 40)
    running = _old_job("acme", 41, status="running")
    r = api.post("/commands/prune-jobs/runs", json={"params": {"days": 30}}, headers=h)
    assert r.status_code == 202, r.text
    run = r.json()
    assert run["kind"] == "command"
    assert run["status"] == "queued"
    assert r.headers["Location"] == f"/jobs/{run['job_id']}"
    assert _deliver(queue) == ["succeeded"]
    assert _deliver(queue) == []
    done = api.get(f"/jobs/{run['job_id']}", headers=h).json()
    assert done["status"] == "succeeded", done
    assert done["summary"]["deleted"] == 1, done
    assert api.get(f"/jobs/{old}", headers=h).status_code == 404
    assert api.get(f"/jobs/{recent}", headers=h).status_code == 200
    assert api.get(f"/jobs/{running}", headers=h).status_code == 200
    assert api.get(f"/jobs/{mine_elsewhere}", headers=other).status_code == 200
    lines = [line["message"] for line in api.get(f"/jobs/{run['job_id']}/logs", headers=h).json()["items"]]
    assert lines[0] == "queued prune-jobs"
    assert "running prune-jobs" in lines
    assert lines[-1] == "done"
    assert any("deleted 1 jobs" in line for line in lines)
    runs = api.get("/commands/runs", headers=h).json()["items"]
    assert [x["job_id"] for x in runs] == [run["job_id"]]
    assert api.get("/commands/runs", headers=other).json()["items"] == []
    assert api.get(f"/jobs/{run['job_id']}", headers=other).status_code == 404
    assert [j["job_id"] for j in api.get("/jobs?kind=command", headers=h).json()["items"]] == [run["job_id"]]


def test_a_redelivered_run_is_not_run_twice(api: TestClient, h: dict[str, str], queue: str) -> None:
    run = api.post("/commands/prune-jobs/runs", json={"params": {"days": 30}}, headers=h).json()
    assert execute("acme", run["job_id"]) == "succeeded"
    assert execute("acme", run["job_id"]) == "skipped"


def test_export_links_every_result_file(api: TestClient, h: dict[str, str], queue: str) -> None:
    from tradewind.jobs.store import put_bytes

    job_id = _old_job("acme", 1)
    put_bytes(f"tenants/acme/jobs/{job_id}/results/summary.json", b"{}", "application/json")
    run = api.post("/commands/export-job-results/runs", json={"params": {"job_id": job_id}}, headers=h).json()
    assert _deliver(queue) == ["succeeded"]
    summary = api.get(f"/jobs/{run['job_id']}", headers=h).json()["summary"]
    assert [link["name"] for link in summary["links"]] == ["summary.json"]
    assert summary["links"][0]["url"].startswith("http")


def test_redrive_moves_only_the_tenants_messages(
    api: TestClient, h: dict[str, str], queue: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqs = client("sqs")
    source = sqs.create_queue(QueueName="tw-test-import")["QueueUrl"]
    dead = sqs.create_queue(QueueName="tw-test-import-dlq")["QueueUrl"]
    monkeypatch.setenv("TW_IMPORT_QUEUE_URL", source)
    monkeypatch.setenv("TW_IMPORT_DEAD_LETTER_URL", dead)
    for tenant in ("acme", "acme", "globex"):
        sqs.send_message(QueueUrl=dead, MessageBody=json.dumps({"tenant_id": tenant, "dataset_id": "d"}))
    run = api.post(
        "/commands/redrive-dead-letters/runs", json={"params": {"queue": "import"}}, headers=h
    ).json()
    assert _deliver(queue) == ["succeeded"]
    assert api.get(f"/jobs/{run['job_id']}", headers=h).json()["summary"]["moved"] == 2
    moved = sqs.receive_message(QueueUrl=source, MaxNumberOfMessages=10)["Messages"]
    assert sorted(json.loads(m["Body"])["tenant_id"] for m in moved) == ["acme", "acme"]
    left = sqs.receive_message(QueueUrl=dead, MaxNumberOfMessages=10)["Messages"]
    assert [json.loads(m["Body"])["tenant_id"] for m in left] == ["globex"]
