"""Uploads end to end inside the synthesized stack: API -> presigned PUT -> SQS -> import_worker.

The worker runs in-process through the queue's event-source mapping (``cloud.drain_queues()``);
nothing is called directly except through the API and the queue.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import numpy as np
import pytest
import requests
from fastapi.testclient import TestClient

from infra.local.cloud import LocalCloud
from tests.integration.marketdata_support import sample_csv


@pytest.fixture
def api(clean_cloud: LocalCloud) -> Iterator[TestClient]:
    from tradewind.api.app import create_app
    from tradewind.services import symbols

    symbols.invalidate("acme")
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def auth(clean_cloud: LocalCloud) -> dict[str, str]:
    from tradewind.services.apikeys import create_api_key

    return {"Authorization": f"Bearer {create_api_key('acme', 'test').secret}"}


def _s3() -> Any:
    return boto3.session.Session(region_name="us-east-1").client("s3")


def _upload(api: TestClient, auth: dict[str, str], body: bytes, **fields: str) -> str:
    created = api.post("/datasets", json={"name": "my bars", "format": "csv", **fields}, headers=auth)
    assert created.status_code == 201, created.text
    upload = created.json()["upload"]
    assert created.json()["dataset"]["status"] == "awaiting_upload"
    put = requests.put(upload["url"], data=body, headers=upload["headers"], timeout=10)
    assert put.status_code == 200, put.text
    return str(created.json()["dataset"]["dataset_id"])


def _published(cloud: LocalCloud, dataset_id: str) -> list[str]:
    listed = _s3().list_objects_v2(Bucket=cloud.env["TW_DATA_BUCKET"], Prefix=f"datasets/acme/{dataset_id}/")
    return [o["Key"] for o in listed.get("Contents", [])]


def test_good_csv_is_imported_and_candles_read_back_equal(
    clean_cloud: LocalCloud, api: TestClient, auth: dict[str, str]
) -> None:
    body, bars = sample_csv(count=3)
    dataset_id = _upload(api, auth, body)
    completed = api.post(f"/datasets/{dataset_id}/complete", headers=auth)
    assert completed.status_code == 202, completed.text
    assert completed.json()["status"] == "queued"

    clean_cloud.drain_queues()

    dataset = api.get(f"/datasets/{dataset_id}", headers=auth).json()
    assert dataset["status"] == "ready", dataset
    assert dataset["symbols_count"] == 3
    assert dataset["rows"] == bars.close.size
    assert dataset["start"].startswith("2020-01-01")
    assert dataset["end"].startswith("2020-03-31")
    assert dataset["synthetic"] is False
    assert dataset["error"] is None
    assert len(_published(clean_cloud, dataset_id)) == 3

    symbol = bars.symbols[1].symbol
    candles = api.get(f"/symbols/{symbol}/candles", params={"dataset_id": dataset_id}, headers=auth).json()
    assert candles["count"] == len(bars.dates)
    assert not candles["downsampled"]
    np.testing.assert_allclose(candles["o"], bars.open[:, 1])
    np.testing.assert_allclose(candles["h"], bars.high[:, 1])
    np.testing.assert_allclose(candles["l"], bars.low[:, 1])
    np.testing.assert_allclose(candles["c"], bars.close[:, 1])
    np.testing.assert_allclose(candles["v"], bars.volume[:, 1])
    assert candles["t"][0] == int(np.datetime64("2020-01-01", "s").astype(np.int64))

    found = api.get("/symbols", params={"q": symbol[:2].lower()}, headers=auth).json()["items"]
    match = next(item for item in found if item["symbol"] == symbol)
    assert [d["dataset_id"] for d in match["datasets"]] == [dataset_id]

    # A redelivered message for a finished dataset changes nothing.
    _send_import(clean_cloud, dataset_id, f"uploads/acme/{dataset_id}/source.csv")
    clean_cloud.drain_queues()
    assert api.get(f"/datasets/{dataset_id}", headers=auth).json()["status"] == "ready"


def test_bad_csv_fails_with_row_and_column_and_publishes_nothing(
    clean_cloud: LocalCloud, api: TestClient, auth: dict[str, str]
) -> None:
    body, bars = sample_csv(count=3)
    lines = body.decode().splitlines()
    fields = lines[150].split(",")
    fields[3] = "-1"  # high below low on file row 151 (the header is row 1)
    lines[150] = ",".join(fields)
    dataset_id = _upload(api, auth, ("\n".join(lines) + "\n").encode())
    assert api.post(f"/datasets/{dataset_id}/complete", headers=auth).status_code == 202

    clean_cloud.drain_queues()

    dataset = api.get(f"/datasets/{dataset_id}", headers=auth).json()
    assert dataset["status"] == "failed"
    assert dataset["error"]["row"] == 151
    assert dataset["error"]["column"] == "high"
    assert _published(clean_cloud, dataset_id) == []
    symbol = bars.symbols[0].symbol
    assert api.get("/symbols", params={"q": symbol}, headers=auth).json()["items"] == []
    missing = api.get(f"/symbols/{symbol}/candles", params={"dataset_id": dataset_id}, headers=auth)
    assert missing.status_code == 409


def test_single_symbol_file_with_symbol_given_and_timezone(
    clean_cloud: LocalCloud, api: TestClient, auth: dict[str, str]
) -> None:
    body = (
        b"Date,Open,High,Low,Close,Adj Close,Volume\n"
        b"2024-01-02,10,11,9,10.5,10.4,100\n"
        b"2024-01-03,10.5,12,10,11,11,120\n"
    )
    dataset_id = _upload(api, auth, body, symbol="spy", timezone="America/New_York")
    api.post(f"/datasets/{dataset_id}/complete", headers=auth)
    clean_cloud.drain_queues()
    dataset = api.get(f"/datasets/{dataset_id}", headers=auth).json()
    assert dataset["status"] == "ready"
    assert dataset["ignored_columns"] == ["Adj Close"]
    candles = api.get("/symbols/SPY/candles", headers=auth).json()
    assert candles["t"][0] == int(np.datetime64("2024-01-02T05:00", "s").astype(np.int64))


def _send_import(cloud: LocalCloud, dataset_id: str, key: str) -> None:
    body = {"tenant_id": "acme", "dataset_id": dataset_id, "key": key, "format": "csv"}
    sqs = boto3.session.Session(region_name="us-east-1").client("sqs")
    sqs.send_message(QueueUrl=cloud.env["TW_IMPORT_QUEUE_URL"], MessageBody=json.dumps(body))


def test_unexpected_error_is_retried_then_parked_in_the_dlq(
    clean_cloud: LocalCloud, api: TestClient, auth: dict[str, str]
) -> None:
    body, _ = sample_csv(count=1)
    queued = _upload(api, auth, body)
    record = _dataset_record(queued)
    record.update(actions=[type(record).status.set("queued")])
    # The message names a source that is not there: S3 fails, which is not the file's fault.
    _send_import(clean_cloud, queued, f"uploads/acme/{queued}/missing.csv")
    clean_cloud.drain_queues()

    sqs = boto3.session.Session(region_name="us-east-1").client("sqs")
    dlq = clean_cloud.queue_url("ImportDeadLetters")
    parked = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10, AttributeNames=["All"])["Messages"]
    assert [json.loads(m["Body"])["dataset_id"] for m in parked] == [queued]
    assert int(parked[0]["Attributes"]["ApproximateReceiveCount"]) >= 3
    assert api.get(f"/datasets/{queued}", headers=auth).json()["status"] == "importing"
    assert _published(clean_cloud, queued) == []


def _dataset_record(dataset_id: str) -> Any:
    from tradewind.data.marketdata import DatasetRecord

    return DatasetRecord.get(*DatasetRecord.key("acme", dataset_id))


def test_complete_refuses_missing_or_oversized_uploads(
    clean_cloud: LocalCloud, api: TestClient, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    created = api.post("/datasets", json={"name": "n", "format": "parquet"}, headers=auth).json()
    dataset_id = created["dataset"]["dataset_id"]
    assert created["upload"]["url"].split("?")[0].endswith(f"uploads/acme/{dataset_id}/source.parquet")
    not_yet = api.post(f"/datasets/{dataset_id}/complete", headers=auth)
    assert not_yet.status_code == 409
    assert "PUT" in not_yet.json()["detail"]

    from tradewind.settings import get_settings

    monkeypatch.setenv("TW_MAX_UPLOAD_BYTES", "10")
    get_settings.cache_clear()
    _s3().put_object(
        Bucket=clean_cloud.env["TW_DATA_BUCKET"],
        Key=f"uploads/acme/{dataset_id}/source.parquet",
        Body=b"x" * 11,
    )
    too_big = api.post(f"/datasets/{dataset_id}/complete", headers=auth)
    get_settings.cache_clear()
    assert too_big.status_code == 422
    assert too_big.json()["errors"][0]["loc"] == ["upload"]


def test_inputs_are_checked_and_tenants_isolated(
    clean_cloud: LocalCloud, api: TestClient, auth: dict[str, str]
) -> None:
    bad = api.post("/datasets", json={"name": "", "format": "xls", "timezone": "Mars/Base"}, headers=auth)
    assert bad.status_code == 422
    assert {tuple(e["loc"]) for e in bad.json()["errors"]} >= {("body", "name"), ("body", "format")}
    tz = api.post("/datasets", json={"name": "n", "format": "csv", "timezone": "Mars/Base"}, headers=auth)
    assert tz.status_code == 422
    assert tz.json()["errors"][0]["loc"] == ["body", "timezone"]

    body, _ = sample_csv(count=1)
    dataset_id = _upload(api, auth, body)
    api.post(f"/datasets/{dataset_id}/complete", headers=auth)
    clean_cloud.drain_queues()

    from tradewind.services.apikeys import create_api_key

    other = {"X-Api-Key": create_api_key("globex", "test").secret}
    assert api.get(f"/datasets/{dataset_id}", headers=other).status_code == 404
    assert api.get("/datasets", headers=other).json()["items"] == []
    assert api.get("/symbols", params={"q": "Z"}, headers=other).json()["items"] == []
    assert api.delete(f"/datasets/{dataset_id}", headers=other).status_code == 404
    assert api.get(f"/datasets/{dataset_id}", headers=auth).status_code == 200


def test_yfinance_import_runs_through_the_queue(
    clean_cloud: LocalCloud, api: TestClient, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import pandas as pd
    from tradewind.providers import yfinance

    recorded = Path(__file__).parents[1] / "fixtures" / "yfinance_download_AAPL_MSFT_2024-01.csv"
    answer = pd.read_csv(recorded, header=[0, 1], index_col=0, parse_dates=True)
    monkeypatch.setattr(yfinance, "_yfinance_download", lambda **kwargs: answer)  # the recorded response

    body = {"symbols": ["aapl", "MSFT"], "start": "2024-01-02", "end": "2024-01-12"}
    started = api.post("/datasets/import/yfinance", json=body, headers=auth)
    assert started.status_code == 202, started.text
    dataset_id = started.json()["dataset_id"]
    assert started.json()["source"] == "yfinance"
    clean_cloud.drain_queues()
    dataset = api.get(f"/datasets/{dataset_id}", headers=auth).json()
    assert dataset["status"] == "ready"
    assert dataset["symbols_count"] == 2
    assert dataset["rows"] == 17
    candles = api.get("/symbols/MSFT/candles", params={"dataset_id": dataset_id}, headers=auth).json()
    assert candles["c"][0] == 370.87

    unknown = api.post("/datasets/import/yfinance", json={**body, "symbols": ["AAPL", "ZZZZ"]}, headers=auth)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["loc"] == ["body", "symbols", 1]
    backwards = api.post("/datasets/import/yfinance", json={**body, "start": "2024-02-01"}, headers=auth)
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["loc"] == ["body", "start"]


def test_a_failed_enqueue_leaves_the_upload_completable(
    clean_cloud: LocalCloud, api: TestClient, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tradewind.settings import get_settings

    body, _ = sample_csv(count=1)
    dataset_id = _upload(api, auth, body)
    monkeypatch.setenv("TW_IMPORT_QUEUE_URL", clean_cloud.env["TW_IMPORT_QUEUE_URL"] + "-gone")
    get_settings.cache_clear()
    assert api.post(f"/datasets/{dataset_id}/complete", headers=auth).status_code == 500
    monkeypatch.setenv("TW_IMPORT_QUEUE_URL", clean_cloud.env["TW_IMPORT_QUEUE_URL"])
    get_settings.cache_clear()
    assert api.get(f"/datasets/{dataset_id}", headers=auth).json()["status"] == "awaiting_upload"
    assert api.post(f"/datasets/{dataset_id}/complete", headers=auth).status_code == 202
