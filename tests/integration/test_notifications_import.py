"""A dataset import that ends ready or failed leaves a notification for its tenant (the real producer).

Runs inside the synthesized stack: API -> presigned PUT -> SQS -> import_worker, like
``test_marketdata_import.py``; the notifications are then read back through the API.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from fastapi.testclient import TestClient

from infra.local.cloud import LocalCloud
from tests.integration.marketdata_support import sample_csv


@pytest.fixture
def api(clean_cloud: LocalCloud) -> Iterator[TestClient]:
    from tradewind.api.app import create_app

    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def auth(clean_cloud: LocalCloud) -> dict[str, str]:
    from tradewind.services.apikeys import create_api_key

    return {"Authorization": f"Bearer {create_api_key('acme', 'test').secret}"}


def _import(api: TestClient, auth: dict[str, str], name: str, body: bytes) -> str:
    created = api.post("/datasets", json={"name": name, "format": "csv"}, headers=auth)
    assert created.status_code == 201, created.text
    upload = created.json()["upload"]
    assert requests.put(upload["url"], data=body, headers=upload["headers"], timeout=10).status_code == 200
    dataset_id = str(created.json()["dataset"]["dataset_id"])
    assert api.post(f"/datasets/{dataset_id}/complete", headers=auth).status_code == 202
    return dataset_id


def test_ready_and_failed_imports_notify_the_tenant(
    clean_cloud: LocalCloud, api: TestClient, auth: dict[str, str]
) -> None:
    good, _ = sample_csv(count=2)
    lines = good.decode().splitlines()
    fields = lines[6].split(",")
    fields[3] = "-1"  # high below low on file row 7 (the header is row 1)
    lines[6] = ",".join(fields)
    good_id = _import(api, auth, "good bars", good)
    clean_cloud.drain_queues()
    bad_id = _import(api, auth, "bad bars", ("\n".join(lines) + "\n").encode())
    clean_cloud.drain_queues()

    failed, ready = api.get("/notifications", headers=auth).json()["items"]
    assert (ready["kind"], ready["link"]) == ("dataset.ready", f"/datasets/{good_id}")
    assert ready["title"] == "Dataset 'good bars' imported: 2 symbols"
    assert (failed["kind"], failed["link"]) == ("dataset.failed", f"/datasets/{bad_id}")
    assert failed["title"].startswith("Dataset 'bad bars' failed: row 7, column 'high': ")
    rows = len(good.decode().splitlines()) - 1
    assert ready["message"] == {
        "code": "dataset.ready",
        "params": {"name": "good bars", "symbols": 2, "rows": rows},
    }
    assert failed["message"]["code"] == "dataset.failed"
    assert (failed["message"]["params"]["row"], failed["message"]["params"]["column"]) == (7, "high")
    assert api.get("/notifications/unread-count", headers=auth).json() == {"unread": 2}
