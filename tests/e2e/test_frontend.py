"""The web app in a real browser (Debian's chromium) against ``make run``'s stack.

It proves the hosting path end to end: the stack serves ``frontend/dist``, the page reads
``/config.json``, holds a live WebSocket (the header's badge), and the Health page polls readiness
over HTTP and pings the ``health`` topic through the publish path (the pong comes back over the
socket). The Overview lists the seeded sample universe, labelled synthetic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def test_app_shows_live_health_and_a_connected_websocket(stack: Any, page: Page) -> None:
    page.goto(f"{stack.url}/")
    expect(page.get_by_role("link", name="Tradewind home")).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("realtime-badge")).to_have_attribute("data-state", "connected", timeout=20_000)

    # The session's stack seeds the sample universe on first start: it must say it is synthetic.
    datasets = page.get_by_role("region", name="Datasets")
    expect(datasets.get_by_text("Sample universe (synthetic)")).to_be_visible(timeout=20_000)
    expect(datasets.get_by_text("synthetic sample data")).to_be_visible()

    page.get_by_role("navigation").get_by_role("link", name="Health", exact=True).click()
    expect(page.get_by_test_id("health-status")).to_have_text("ready", timeout=20_000)
    expect(page.get_by_test_id("check-dynamodb")).to_have_attribute("data-ok", "true")
    expect(page.get_by_test_id("check-s3")).to_have_attribute("data-ok", "true")
    expect(page.get_by_test_id("build-stage")).to_contain_text("local")
    expect(page.get_by_test_id("ws-state")).to_have_attribute("data-state", "connected")
    expect(page.get_by_test_id("ws-latency")).to_contain_text("ms", timeout=10_000)

    page.get_by_role("button", name="Ping").click()
    expect(page.get_by_test_id("ws-last-message")).to_contain_text("pong on health", timeout=10_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "frontend-health.png"), full_page=True)
