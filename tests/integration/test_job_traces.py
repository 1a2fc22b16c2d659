"""A real optimization (the synthesized state machine under moto, the handlers in-process) and a real
pipeline run (SQS batches, the worker, the aggregation) leave their timeline, progress history and
log behind, read through ``/jobs`` like any other job (docs/jobs.md, One control surface); so does
a dataset import, a job of kind ``import``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from fastapi.testclient import TestClient
from tradewind.services import apikeys

from infra.local.cloud import LocalCloud
from tests.integration.marketdata_support import publish_sample_dataset, sample_csv

TENANT = "traces"
DATASET = "tracebars"
FINAL = {"succeeded", "failed", "cancelled", "stopped"}


@pytest.fixture(scope="module")
def api(cloud: LocalCloud) -> Iterator[TestClient]:
    from tradewind.api.app import create_app

    key = apikeys.create_api_key(TENANT, "traces").secret
    with TestClient(create_app(), headers={"Authorization": f"Bearer {key}"}) as client:
        yield client


def _wait_final(api: TestClient, cloud: LocalCloud, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 180
    job: dict[str, Any] = {}
    while time.monotonic() < deadline:
        cloud.drain_queues()
        job = api.get(f"/jobs/{job_id}").json()
        if job["status"] in FINAL:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def _all_logs(api: TestClient, job_id: str) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 3}
    while True:
        page = api.get(f"/jobs/{job_id}/logs", params=params).json()
        lines += page["items"]
        if not page["next_token"]:
            return lines
        params = {"limit": 3, "next_token": page["next_token"]}


def test_an_optimization_and_a_pipeline_run_keep_their_timelines_progress_and_logs(
    cloud: LocalCloud, api: TestClient
) -> None:
    symbols = list(publish_sample_dataset(TENANT, DATASET, 2))
    strategy = api.post("/strategies", json={"template": "sma_cross", "name": "traced"}).json()
    universe = {"strategy_id": strategy["strategy_id"], "dataset_id": DATASET, "symbols": symbols}
    space = {"fast": {"min": 5, "max": 20, "step": 5}, "slow": {"min": 30, "max": 60, "step": 10}}
    sweep = api.post("/optimizations", json={**universe, "space": space, "name": "traced sweep"})
    assert sweep.status_code == 202, sweep.text
    scan = {
        "template": "sma_cross",
        "universe": {"kind": "dataset", "dataset_id": DATASET},
        "name": "traced scan",
    }
    run = api.post("/pipeline/runs", json=scan)
    assert run.status_code == 202, run.text
    sweep_id, run_id = sweep.json()["job_id"], run.json()["job_id"]
    assert _wait_final(api, cloud, sweep_id)["status"] == "succeeded"
    assert _wait_final(api, cloud, run_id)["status"] == "succeeded"

    # the optimization: planned by the workflow, every shard counted, reduced
    steps = api.get(f"/jobs/{sweep_id}/timeline").json()["entries"]
    assert [s["status"] for s in steps] == ["submitted", "running", "succeeded"]
    assert steps[1]["cause"].startswith("planned 2 shards")
    samples = api.get(f"/jobs/{sweep_id}/progress").json()["samples"]
    assert samples, "no progress sample"
    assert samples[-1]["done"] == samples[-1]["total"] == 32  # 16 combinations x 2 symbols
    assert [s["done"] for s in samples] == sorted(s["done"] for s in samples)
    messages = [line["message"] for line in _all_logs(api, sweep_id)]
    assert messages[0].startswith("planned 2 shards")
    assert sum(m.endswith(") done") for m in messages) == 2
    assert messages[-1] == "reduced 2 shards: succeeded"
    tail = api.get(f"/jobs/{sweep_id}/logs", params={"tail": 1}).json()["items"]
    assert [line["message"] for line in tail] == ["reduced 2 shards: succeeded"]

    # the pipeline run: its batches over SQS, then the aggregation
    steps = api.get(f"/jobs/{run_id}/timeline").json()["entries"]
    assert [s["status"] for s in steps] == ["submitted", "running", "succeeded"]
    assert steps[1]["cause"].startswith("queued 1 batches")
    samples = api.get(f"/jobs/{run_id}/progress").json()["samples"]
    assert samples[-1]["done"] == samples[-1]["total"] == len(symbols)
    messages = [line["message"] for line in _all_logs(api, run_id)]
    assert messages[0].startswith("queued 1 batches")
    assert any(m.startswith("batch 0 done") for m in messages)
    assert messages[-1].startswith("aggregated")
    assert messages[-1].endswith(": succeeded")

    # both in the one list, and in the figures
    listed = {j["job_id"]: j["kind"] for j in api.get("/jobs").json()["items"]}
    assert listed[sweep_id] == "optimization"
    assert listed[run_id] == "pipeline"
    stats = api.get("/jobs/stats").json()
    assert stats["by_kind"]["optimization"]["by_status"]["succeeded"] >= 1
    assert stats["by_kind"]["pipeline"]["by_status"]["succeeded"] >= 1
    assert stats["average_duration_seconds"] is not None


def _upload(api: TestClient, body: bytes, name: str) -> str:
    created = api.post("/datasets", json={"name": name, "format": "csv"})
    assert created.status_code == 201, created.text
    upload = created.json()["upload"]
    put = requests.put(upload["url"], data=body, headers=upload["headers"], timeout=10)
    assert put.status_code == 200, put.text
    dataset_id = str(created.json()["dataset"]["dataset_id"])
    assert api.post(f"/datasets/{dataset_id}/complete").status_code == 202
    return dataset_id


def _import_job(api: TestClient, dataset_id: str) -> dict[str, Any]:
    (job,) = [
        j
        for j in api.get("/jobs", params={"kind": "import"}).json()["items"]
        if j["dataset_id"] == dataset_id
    ]
    return dict(job)


def test_an_import_is_a_job_with_its_timeline_and_log(cloud: LocalCloud, api: TestClient) -> None:
    body, bars = sample_csv(count=2)
    good = _upload(api, body, "traced prices")
    assert _import_job(api, good)["status"] == "queued"
    lines = body.decode().splitlines()
    fields = lines[5].split(",")
    fields[3] = "-1"  # high below low on file row 6
    lines[5] = ",".join(fields)
    bad = _upload(api, ("\n".join(lines) + "\n").encode(), "broken prices")
    cloud.drain_queues()

    done = _import_job(api, good)
    assert (done["kind"], done["status"], done["name"]) == ("import", "succeeded", "traced prices")
    assert done["summary"] == {"symbols": 2, "rows": 2 * len(bars.dates)}
    steps = api.get(f"/jobs/{done['job_id']}/timeline").json()["entries"]
    assert [s["status"] for s in steps] == ["submitted", "running", "succeeded"]
    messages = [line["message"] for line in api.get(f"/jobs/{done['job_id']}/logs").json()["items"]]
    assert messages[0].startswith("queued the import of a csv file")
    assert messages[-1] == "imported"

    failed = _import_job(api, bad)
    assert failed["status"] == "failed"
    assert failed["error"].startswith("row 6, column 'high'")
    assert api.get(f"/jobs/{failed['job_id']}/timeline").json()["entries"][-1]["cause"] == failed["error"]
    refused = api.post(f"/jobs/{failed['job_id']}/cancel")
    assert refused.status_code == 409
    stats = api.get("/jobs/stats").json()["by_kind"]["import"]
    assert (stats["total"], stats["by_status"]["succeeded"], stats["by_status"]["failed"]) == (2, 1, 1)
