"""The data commands on the local cloud (docs/commands.md): ``reimport-dataset`` and
``recompute-breadth`` submitted through the API, run by the command runner from the commands queue,
the re-import done by the import worker from the import queue (``cloud.drain_queues()``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import boto3
import numpy as np
import pandas as pd
import pytest
import requests
from fastapi.testclient import TestClient
from tradewind.services import apikeys

from infra.local.cloud import LocalCloud
from tests.integration.marketdata_support import publish_sample_dataset, sample_csv

TENANT = "librarian"


@pytest.fixture
def api(clean_cloud: LocalCloud) -> Iterator[TestClient]:
    from tradewind.api.app import create_app
    from tradewind.services import symbols

    symbols.invalidate(TENANT)
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def h(clean_cloud: LocalCloud) -> dict[str, str]:
    return {"X-Api-Key": apikeys.create_api_key(TENANT, "test").secret}


def _s3() -> Any:
    return boto3.session.Session(region_name="us-east-1").client("s3")


def _run(api: TestClient, h: dict[str, str], name: str, params: dict[str, Any]) -> Any:
    r = api.post(f"/commands/{name}/runs", json={"params": params}, headers=h)
    assert r.status_code == 202, r.text
    return r.json()["job_id"]


def _imported(api: TestClient, h: dict[str, str], cloud: LocalCloud) -> str:
    body, _ = sample_csv(count=3)
    created = api.post("/datasets", json={"name": "my bars", "format": "csv"}, headers=h).json()
    upload = created["upload"]
    assert requests.put(upload["url"], data=body, headers=upload["headers"], timeout=10).status_code == 200
    dataset_id = str(created["dataset"]["dataset_id"])
    assert api.post(f"/datasets/{dataset_id}/complete", headers=h).status_code == 202
    cloud.drain_queues()
    assert api.get(f"/datasets/{dataset_id}", headers=h).json()["status"] == "ready"
    return dataset_id


def test_reimport_rebuilds_a_dataset_from_its_stored_source_as_a_new_import_job(
    clean_cloud: LocalCloud, api: TestClient, h: dict[str, str]
) -> None:
    dataset_id = _imported(api, h, clean_cloud)
    bucket = clean_cloud.env["TW_DATA_BUCKET"]
    prefix = f"datasets/{TENANT}/{dataset_id}/"
    published = sorted(o["Key"] for o in _s3().list_objects_v2(Bucket=bucket, Prefix=prefix)["Contents"])
    _s3().delete_object(Bucket=bucket, Key=published[0])  # a lost bars object
    first_import = api.get("/jobs?kind=import", headers=h).json()["items"]

    run = _run(api, h, "reimport-dataset", {"dataset_id": dataset_id})
    assert api.get(f"/datasets/{dataset_id}", headers=h).json()["status"] == "ready"  # nothing yet
    clean_cloud.drain_queues()  # the command runner, then the import worker

    done = api.get(f"/jobs/{run}", headers=h).json()
    assert done["status"] == "succeeded", done
    assert done["summary"]["previous_status"] == "ready"
    imports = api.get("/jobs?kind=import", headers=h).json()["items"]
    assert len(imports) == len(first_import) + 1
    again = api.get(f"/jobs/{done['summary']['import_job_id']}", headers=h).json()
    assert again["kind"] == "import"
    assert again["status"] == "succeeded", again
    assert again["dataset_id"] == dataset_id
    dataset = api.get(f"/datasets/{dataset_id}", headers=h).json()
    assert (dataset["status"], dataset["symbols_count"]) == ("ready", 3)
    now = sorted(o["Key"] for o in _s3().list_objects_v2(Bucket=bucket, Prefix=prefix)["Contents"])
    assert now == published
    lines = [x["message"] for x in api.get(f"/jobs/{run}/logs", headers=h).json()["items"]]
    assert any(
        line.startswith(f"dataset {dataset_id} was ready; importing its source again") for line in lines
    )
    assert f"queued the import as job {again['job_id']}" in lines


def test_reimport_refuses_what_cannot_be_imported_again_naming_the_dataset(
    clean_cloud: LocalCloud, api: TestClient, h: dict[str, str]
) -> None:
    publish_sample_dataset(TENANT, "sample", 2)
    dataset_id = _imported(api, h, clean_cloud)
    _s3().delete_object(
        Bucket=clean_cloud.env["TW_DATA_BUCKET"], Key=f"uploads/{TENANT}/{dataset_id}/source.csv"
    )
    other = {"X-Api-Key": apikeys.create_api_key("someone-else", "test").secret}
    cases = [
        (h, "sample", 409, "refresh-sample"),
        (h, dataset_id, 409, "no longer stored"),
        (h, "0000000000000000", 404, "no such dataset"),
        (other, dataset_id, 404, "no such dataset"),  # another tenant's dataset does not exist for you
    ]
    before = api.get("/jobs", headers=h).json()["items"]
    for headers, target, status, text in cases:
        r = api.post(
            "/commands/reimport-dataset/runs", json={"params": {"dataset_id": target}}, headers=headers
        )
        assert r.status_code == status, r.text
        [problem] = r.json()["errors"]
        assert problem["loc"] == ["body", "params", "dataset_id"]
        assert text in problem["msg"]
    assert api.get("/jobs", headers=h).json()["items"] == before


def _components(universe: str) -> pd.DataFrame:
    from tradewind.data.pipeline import BreadthRecord
    from tradewind.pipeline.history import read_components

    record = BreadthRecord.get(*BreadthRecord.key(TENANT, universe, "1d"))
    return read_components(record.object_key)


def test_recompute_breadth_replaces_the_history_inside_the_range_only(
    clean_cloud: LocalCloud, api: TestClient, h: dict[str, str]
) -> None:
    from tradewind.pipeline import history
    from tradewind.pipeline.spec import PipelineRunRequest
    from tradewind.pipeline.submit import submit_run

    publish_sample_dataset(TENANT, "sample", 4)
    request = {"template": "sma_cross", "params": {"fast": 10, "slow": 40}}
    submit_run(TENANT, PipelineRunRequest(**request, start=date(2018, 1, 1), end=date(2018, 12, 31)))
    clean_cloud.drain_queues()
    clean = _components("sample")
    assert len(clean) > 200
    # a history gone wrong: every count doubled, and a bar on a Sunday no symbol has
    wrong = clean * 2
    wrong.loc[pd.Timestamp("2018-04-01")] = 1.0
    history.extend(TENANT, "sample", "1d", "tampered", wrong.sort_index())

    run = _run(
        api, h, "recompute-breadth", {"universe": "sample", "start": "2018-03-01", "end": "2018-06-30"}
    )
    clean_cloud.drain_queues()

    done = api.get(f"/jobs/{run}", headers=h).json()
    assert done["status"] == "succeeded", done
    after = _components("sample")
    inside = (after.index >= "2018-03-01") & (after.index < "2018-07-01")
    was_inside = (clean.index >= "2018-03-01") & (clean.index < "2018-07-01")
    assert pd.Timestamp("2018-04-01") not in after.index
    pd.testing.assert_frame_equal(after[inside], clean[was_inside])
    np.testing.assert_array_equal(after[~inside].to_numpy(), (clean[~was_inside] * 2).to_numpy())
    assert done["summary"]["bars_recomputed"] == int(inside.sum())
    assert done["summary"]["history_bars"] == len(after)
    lines = [x["message"] for x in api.get(f"/jobs/{run}/logs", headers=h).json()["items"]]
    assert "recomputing the 1d breadth of sample from 2018-03-01 to 2018-06-30 over 4 symbols" in lines
    assert "read 4 of 4 symbols" in lines


def test_recompute_breadth_names_the_field_at_fault(
    clean_cloud: LocalCloud, api: TestClient, h: dict[str, str]
) -> None:
    from tradewind.pipeline.history import extend

    publish_sample_dataset(TENANT, "sample", 2)
    extend(TENANT, "sample", "1d", "gone-run", _one_bar())  # its run's spec is gone: the whole dataset
    extend(TENANT, "symbols-sample-abc", "1d", "gone-run", _one_bar())
    cases = [
        ({"universe": "nowhere", "start": "2018-01-01", "end": "2018-02-01"}, 404, "universe"),
        (
            {"universe": "sample", "timeframe": "1w", "start": "2018-01-01", "end": "2018-02-01"},
            404,
            "universe",
        ),
        ({"universe": "symbols-sample-abc", "start": "2018-01-01", "end": "2018-02-01"}, 409, "universe"),
        ({"universe": "sample", "start": "2018-02-01", "end": "2018-01-01"}, 422, "end"),
        ({"universe": "sample", "start": "1990-01-01", "end": "1990-02-01"}, 422, "start"),
        ({"universe": "../x", "start": "2018-01-01", "end": "2018-02-01"}, 422, "universe"),
        ({"universe": "sample", "start": "2018-01-01"}, 422, "end"),
    ]
    for params, status, field in cases:
        r = api.post("/commands/recompute-breadth/runs", json={"params": params}, headers=h)
        assert r.status_code == status, (params, r.text)
        assert ["body", "params", field] in [e["loc"] for e in r.json()["errors"]], r.text
    assert api.get("/jobs", headers=h).json()["items"] == []
    ok = _run(api, h, "recompute-breadth", {"universe": "sample", "start": "2018-01-01", "end": "2018-02-01"})
    clean_cloud.drain_queues()
    assert api.get(f"/jobs/{ok}", headers=h).json()["summary"]["symbols"] == 2


def _one_bar() -> pd.DataFrame:
    from tradewind.pipeline.breadth import COMPONENTS

    return pd.DataFrame(
        {name: [1.0] for name in COMPONENTS},
        index=pd.DatetimeIndex([pd.Timestamp("2018-01-02")], name="time"),
    )


def test_the_runner_reports_a_bad_message_failed_alone_and_it_reaches_the_dead_letters(
    clean_cloud: LocalCloud, api: TestClient, h: dict[str, str]
) -> None:
    """The runner's BatchProcessor (``tradewind.sqs_worker``): a message that raises is retried up to
    the queue's receive limit (2), then dead-lettered; the good run beside it succeeds."""
    sqs = boto3.session.Session(region_name="us-east-1").client("sqs")
    sqs.send_message(QueueUrl=clean_cloud.queue_url("CommandQueue"), MessageBody='{"tenant_id": "x"}')
    publish_sample_dataset(TENANT, "sample", 2)
    run = _run(api, h, "refresh-sample", {})
    clean_cloud.drain_queues()
    assert api.get(f"/jobs/{run}", headers=h).json()["status"] == "succeeded"
    dead = sqs.receive_message(QueueUrl=clean_cloud.queue_url("CommandDeadLetters"))["Messages"]
    assert [m["Body"] for m in dead] == ['{"tenant_id": "x"}']
