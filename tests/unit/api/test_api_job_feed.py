"""Every new job is announced on the tenant's ``jobs`` topic, so open job lists show a job submitted
elsewhere (the CLI, another browser) at once: a run, a cached copy, not a refused request."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind import realtime

from tests.unit.api.jobs_support import SYMBOLS, finish_backtest, provision, ready_dataset, sma_cross


@pytest.fixture
def published(aws: None, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str, dict[str, Any]]]:
    provision(monkeypatch)
    sent: list[tuple[str, str, str, dict[str, Any]]] = []
    monkeypatch.setattr(realtime, "publish", lambda *message: sent.append(message))
    return sent


def _feed(published: list[tuple[str, str, str, dict[str, Any]]]) -> list[tuple[str, str, str]]:
    return [
        (tenant, kind, payload["job_id"]) for tenant, topic, kind, payload in published if topic == "jobs"
    ]


def test_new_jobs_are_announced_on_the_tenants_feed(api: TestClient, key: str, published: list[Any]) -> None:
    dataset_id, frames = ready_dataset("acme")
    body = {"strategy": sma_cross(), "dataset_id": dataset_id, "symbols": SYMBOLS[:2]}
    h = {"X-Api-Key": key}
    first = api.post("/backtests", json=body, headers=h).json()
    assert _feed(published) == [("acme", "job.created", first["job_id"])]
    assert next(p for _, t, _, p in published if t == "jobs")["status"] == "queued"

    finish_backtest("acme", first["job_id"], frames)
    cached = api.post("/backtests", json=body, headers=h).json()
    assert cached["cached"] is True
    assert _feed(published)[-1] == ("acme", "job.created", cached["job_id"])

    refused = api.post("/backtests", json={**body, "symbols": ["NOPE"]}, headers=h)
    assert refused.status_code == 422
    assert len(_feed(published)) == 2
