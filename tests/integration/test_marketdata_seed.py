"""The sample universe seeded by a real execution of the synthesized ``sample-seed`` state machine,
then read through the API: search, candles (ranges, downsampling, errors), listing and deletion."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import numpy as np
import pytest
from fastapi.testclient import TestClient

from infra.local.cloud import LocalCloud

TENANT = "seeded"


@pytest.fixture(scope="module")
def seeded(cloud: LocalCloud) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """One seeding for the module: POST /datasets/sample, then wait for the execution."""
    from tradewind.api.app import create_app
    from tradewind.services.apikeys import create_api_key

    auth = {"X-Api-Key": create_api_key(TENANT, "test").secret}
    with TestClient(create_app(), raise_server_exceptions=False) as api:
        started = api.post("/datasets/sample", headers=auth)
        assert started.status_code == 202, started.text
        assert started.json()["started"] is True
        assert started.json()["dataset"]["name"] == "Sample universe (synthetic)"
        sfn = boto3.session.Session(region_name="us-east-1").client("stepfunctions")
        machine = cloud.env["TW_SEED_STATE_MACHINE_ARN"]
        (execution,) = sfn.list_executions(stateMachineArn=machine)["executions"]
        described = cloud.wait_for_execution(execution["executionArn"])
        assert described["status"] == "SUCCEEDED", described
        yield api, auth


def test_seeded_dataset_is_ready_synthetic_and_not_seeded_twice(
    seeded: tuple[TestClient, dict[str, str]], cloud: LocalCloud
) -> None:
    api, auth = seeded
    dataset = api.get("/datasets/sample", headers=auth).json()
    assert dataset["status"] == "ready"
    assert dataset["synthetic"] is True
    assert dataset["source"] == "sample"
    assert dataset["symbols_count"] >= 50
    assert dataset["start"].startswith("2014-01-02")
    assert dataset["end"].startswith("2025-12-31")
    again = api.post("/datasets/sample", headers=auth).json()
    assert again["started"] is False
    assert again["dataset"]["status"] == "ready"
    sfn = boto3.session.Session(region_name="us-east-1").client("stepfunctions")
    assert len(sfn.list_executions(stateMachineArn=cloud.env["TW_SEED_STATE_MACHINE_ARN"])["executions"]) == 1


def test_symbols_are_searchable_with_the_synthetic_label(seeded: tuple[TestClient, dict[str, str]]) -> None:
    api, auth = seeded
    found = api.get("/symbols", params={"q": "ze", "limit": 5}, headers=auth).json()["items"]
    assert [item["symbol"] for item in found] == ["ZENX"]
    (zenx,) = found
    assert zenx["synthetic"] is True
    assert "synthetic" in zenx["description"]
    assert zenx["datasets"][0]["dataset_name"] == "Sample universe (synthetic)"
    everything = api.get("/symbols", params={"limit": 100}, headers=auth).json()["items"]
    assert len(everything) >= 50
    assert [i["symbol"] for i in everything] == sorted(i["symbol"] for i in everything)
    limited = api.get("/symbols", params={"q": "", "limit": 3}, headers=auth).json()["items"]
    assert len(limited) == 3
    bad = api.get("/symbols", params={"q": "a#b"}, headers=auth)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["query", "q"]


def test_candles_range_and_downsampling(seeded: tuple[TestClient, dict[str, str]]) -> None:
    from tradewind.marketdata.sample import generate
    from tradewind.marketdata.universe import sample_symbols

    api, auth = seeded
    full = _candles(api, auth, "zenx")
    assert full["synthetic"] is True
    assert full["count"] == full["total"] > 3000
    expected = generate([s for s in sample_symbols() if s.symbol == "ZENX"])
    np.testing.assert_allclose(full["c"], expected.close[:, 0])

    january = _candles(api, auth, "ZENX", start="2020-01-01", end="2020-01-31T23:59:59Z")
    assert january["count"] == 23
    first_day = np.datetime64("2020-01-01", "s").astype(np.int64)
    assert january["t"][0] == first_day

    small = _candles(api, auth, "ZENX", max_points=100)
    assert small["count"] == 100
    assert small["downsampled"] is True
    assert small["total"] == full["count"]
    assert max(small["h"]) == max(full["h"])
    assert min(small["l"]) == min(full["l"])
    assert small["o"][0] == full["o"][0]
    assert small["c"][-1] == full["c"][-1]
    assert sum(small["v"]) == pytest.approx(sum(full["v"]))


@pytest.mark.parametrize(
    ("params", "status", "loc"),
    [
        ({"start": "2021-01-01", "end": "2020-01-01"}, 422, ["query", "start"]),
        ({"max_points": 1}, 422, ["query", "max_points"]),
        ({"start": "yesterday"}, 422, ["query", "start"]),
        ({"dataset_id": "nope"}, 404, None),
    ],
)
def test_candle_errors_name_the_field(
    seeded: tuple[TestClient, dict[str, str]], params: dict[str, Any], status: int, loc: list[str] | None
) -> None:
    api, auth = seeded
    response = api.get("/symbols/ZENX/candles", params=params, headers=auth)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    if loc:
        assert response.json()["errors"][0]["loc"] == loc
    assert api.get("/symbols/NOPE/candles", headers=auth).status_code == 404


def test_list_pages_and_delete_removes_everything(
    seeded: tuple[TestClient, dict[str, str]], cloud: LocalCloud
) -> None:
    api, auth = seeded
    for name in ("a", "b"):
        assert api.post("/datasets", json={"name": name, "format": "csv"}, headers=auth).status_code == 201
    first = api.get("/datasets", params={"limit": 2}, headers=auth).json()
    assert len(first["items"]) == 2
    assert first["next_token"]
    second = api.get("/datasets", params={"limit": 2, "next_token": first["next_token"]}, headers=auth).json()
    ids = [d["dataset_id"] for d in first["items"] + second["items"]]
    assert len(ids) == 3
    assert "sample" in ids

    assert api.delete("/datasets/sample", headers=auth).status_code == 204
    assert api.get("/datasets/sample", headers=auth).status_code == 404
    assert api.get("/symbols", params={"q": "ZEN"}, headers=auth).json()["items"] == []
    s3 = boto3.session.Session(region_name="us-east-1").client("s3")
    listed = s3.list_objects_v2(Bucket=cloud.env["TW_DATA_BUCKET"], Prefix=f"datasets/{TENANT}/sample/")
    assert listed.get("KeyCount", 0) == 0


def _candles(api: TestClient, auth: dict[str, str], symbol: str, **params: Any) -> dict[str, Any]:
    response = api.get(f"/symbols/{symbol}/candles", params=params, headers=auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_caught_generation_error_fails_the_dataset_so_it_can_be_reseeded(
    seeded: tuple[TestClient, dict[str, str]],
) -> None:
    from tradewind.services import sample
    from tradewind.services.apikeys import create_api_key

    planned = sample.plan({"tenant_id": "broken"})
    assert planned["dataset_id"] == "sample"
    assert {s for batch in planned["batches"] for s in batch["symbols"]} >= {"ZENX", "BANQ"}
    caught = {"Error": "States.TaskFailed", "Cause": "generate ran out of memory"}
    assert sample.finalize({**planned, "error": caught})["status"] == "failed"

    api, _ = seeded
    dataset = api.get("/datasets/sample", headers={"X-Api-Key": create_api_key("broken", "t").secret}).json()
    assert dataset["status"] == "failed"
    assert "out of memory" in dataset["error"]["message"]
