"""The dashboard in a real browser (Debian's chromium) against ``make run``'s stack.

It proves the hosting path end to end: the stack serves ``frontend/dist``, the page reads
``/config.json``, polls readiness over HTTP and holds a live WebSocket that receives a message
published by a handler (the page pings the ``health`` topic on connect).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

SCREENSHOT = Path("/tmp/tradewind-dashboard.png")


def test_dashboard_shows_live_health_and_a_connected_websocket(stack: Any, page: Page) -> None:
    page.goto(f"{stack.url}/")

    expect(page.get_by_role("heading", name="Tradewind")).to_be_visible()
    expect(page.get_by_test_id("health-status")).to_have_text("ready", timeout=20_000)
    expect(page.get_by_test_id("check-dynamodb")).to_contain_text("✓")
    expect(page.get_by_test_id("check-s3")).to_contain_text("✓")
    expect(page.get_by_test_id("build")).to_contain_text("local")
    expect(page.get_by_test_id("ws-state")).to_have_text("connected", timeout=20_000)
    expect(page.get_by_test_id("ws-last-message")).to_contain_text("pong on health", timeout=10_000)

    first = page.get_by_test_id("ws-last-message").inner_text()
    page.get_by_role("button", name="Ping").click()
    expect(page.get_by_test_id("ws-last-message")).not_to_have_text(first, timeout=10_000)
    expect(page.get_by_role("heading", name="Datasets")).to_be_visible()
    # The session's stack seeds the sample universe on first start: it must say it is synthetic
    # (the Jobs panel names the dataset too: look in the datasets list).
    datasets = page.get_by_role("region", name="Datasets")
    expect(datasets.get_by_text("Sample universe (synthetic)")).to_be_visible(timeout=10_000)
    expect(datasets.get_by_text("synthetic sample data")).to_be_visible()
    page.screenshot(path=str(SCREENSHOT), full_page=True)
