"""Against ``make run``'s stack over HTTP: upload a CSV through the presigned URL (served by the
embedded moto), wait for the SQS-triggered import, read the candles back; and the first-start seed."""

from __future__ import annotations

import time
from typing import Any

import httpx
import numpy as np
import pytest
from tradewind.marketdata.sample import generate
from tradewind.marketdata.universe import sample_symbols

pytestmark = pytest.mark.e2e

TIMEOUT = 120.0


def _wait_for_status(client: httpx.Client, dataset_id: str, wanted: set[str]) -> dict[str, Any]:
    deadline = time.monotonic() + TIMEOUT
    while True:
        dataset: dict[str, Any] = client.get(f"/datasets/{dataset_id}").raise_for_status().json()
        if dataset["status"] in wanted:
            return dataset
        if time.monotonic() > deadline:
            raise AssertionError(f"dataset {dataset_id} still {dataset['status']} after {TIMEOUT} s")
        time.sleep(0.25)


@pytest.fixture
def client(stack: Any) -> httpx.Client:
    return httpx.Client(base_url=stack.url, headers={"X-Api-Key": stack.api_key}, timeout=30)


def test_csv_uploaded_over_http_is_imported_and_read_back(client: httpx.Client) -> None:
    bars = generate(sample_symbols(2), start="2021-01-01", end="2021-06-30")
    body = bars.long_frame().to_csv(index=False).encode()

    created = client.post("/datasets", json={"name": "e2e upload", "format": "csv"})
    assert created.status_code == 201, created.text
    dataset_id, upload = created.json()["dataset"]["dataset_id"], created.json()["upload"]
    put = httpx.put(upload["url"], content=body, headers=upload["headers"], timeout=30)
    assert put.status_code == 200, put.text
    assert client.post(f"/datasets/{dataset_id}/complete").status_code == 202

    dataset = _wait_for_status(client, dataset_id, {"ready", "failed"})
    assert dataset["status"] == "ready", dataset["error"]
    assert dataset["symbols_count"] == 2
    assert dataset["rows"] == bars.close.size

    symbol = bars.symbols[0].symbol
    candles = client.get(f"/symbols/{symbol}/candles", params={"dataset_id": dataset_id}).json()
    np.testing.assert_allclose(candles["c"], bars.close[:, 0])
    np.testing.assert_allclose(candles["v"], bars.volume[:, 0])
    downsampled = client.get(
        f"/symbols/{symbol}/candles", params={"dataset_id": dataset_id, "max_points": 10}
    ).json()
    assert downsampled["count"] == 10
    assert downsampled["downsampled"] is True

    assert client.delete(f"/datasets/{dataset_id}").status_code == 204
    assert client.get(f"/datasets/{dataset_id}").status_code == 404


def test_a_bad_csv_fails_with_its_row_and_column(client: httpx.Client) -> None:
    body = b"date,open,high,low,close,volume\n2024-01-02,10,11,9,10.5,100\n2024-01-03,10,11,9,abc,100\n"
    created = client.post("/datasets", json={"name": "e2e bad", "format": "csv", "symbol": "BAD"}).json()
    upload = created["upload"]
    httpx.put(upload["url"], content=body, headers=upload["headers"], timeout=30).raise_for_status()
    dataset_id = created["dataset"]["dataset_id"]
    client.post(f"/datasets/{dataset_id}/complete").raise_for_status()
    dataset = _wait_for_status(client, dataset_id, {"ready", "failed"})
    assert dataset["status"] == "failed"
    assert (dataset["error"]["row"], dataset["error"]["column"]) == (3, "close")


def test_the_sample_universe_is_seeded_on_first_start(client: httpx.Client) -> None:
    dataset = _wait_for_status(client, "sample", {"ready", "failed"})
    assert dataset["status"] == "ready"
    assert dataset["synthetic"] is True
    assert dataset["name"] == "Sample universe (synthetic)"
    assert dataset["symbols_count"] >= 50
    found = client.get("/symbols", params={"q": "a"}).json()["items"]
    assert found
    assert all(item["synthetic"] for item in found if item["symbol"].startswith("A"))
