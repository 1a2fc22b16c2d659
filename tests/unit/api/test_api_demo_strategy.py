"""``make demo`` reuses its stored strategy wherever the search pages put it (no copy per run)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tradewind.cli.remote import Client, Endpoint

from infra import demo


def test_the_demo_strategy_is_found_past_the_first_page(
    api: TestClient, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.headers["Authorization"] = f"Bearer {key}"
    client = Client(Endpoint("http://testserver", key, "ws://testserver/ws"))
    client.close()
    client._http = api  # the app in-process, under moto, instead of a connection to a stack
    created = demo.demo_strategy(client)
    for i in range(3):  # newer, so they sort before the demo strategy
        assert (
            api.post("/strategies", json={"template": "ema_cross", "name": f"other {i}"}).status_code == 201
        )
    monkeypatch.setattr(demo, "MAX_LIMIT", 2)
    again = demo.demo_strategy(client)
    assert again["strategy_id"] == created["strategy_id"]
    assert len(api.get("/strategies", params={"limit": 10}).json()["items"]) == 4
