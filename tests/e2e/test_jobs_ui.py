"""The Overview's Jobs panel in a real browser against ``make run``'s stack: the quick optimization
form shows the API's 422 problems next to their fields, then submits ``POST /optimizations``; the
new job is followed live on ``job:<id>`` with a progress bar, ends ``succeeded``, and its
leaderboard opens with the ranked combinations."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

SCREENSHOT = Path(__file__).resolve().parent / "artifacts" / "jobs-quick-optimization.png"
SAMPLE_TIMEOUT = 180.0
FAST = ("5", "15", "5")  # 3 values
SLOW = ("30", "50", "10")  # 3 values: 9 combinations, all fast < slow
RUNS = 9 * 2

# Every text the progress bar shows, recorded from the first render: a small sweep may finish
# before a screenshot could catch the bar, but not before React has drawn it.
RECORD_PROGRESS = """() => {
  window.progressSeen = [];
  const record = () => document.querySelectorAll('[data-testid="job-progress-text"]')
    .forEach((el) => window.progressSeen.push(el.textContent));
  new MutationObserver(record)
    .observe(document.body, { subtree: true, childList: true, characterData: true });
}"""


def sample_symbols(stack: Any, count: int) -> list[str]:
    """The first symbols of the sample universe, once it is imported (it seeds at the stack's start)."""
    deadline = time.monotonic() + SAMPLE_TIMEOUT
    while True:
        dataset = httpx.get(f"{stack.url}/datasets/sample", headers=stack.headers, timeout=10)
        if dataset.status_code == 200 and dataset.json()["status"] == "ready":
            break
        assert time.monotonic() < deadline, f"the sample dataset is not ready: {dataset.text}"
        time.sleep(0.5)
    found = httpx.get(
        f"{stack.url}/symbols", params={"q": "", "limit": 100}, headers=stack.headers, timeout=10
    )
    symbols = [
        s["symbol"] for s in found.json()["items"] if any(d["dataset_id"] == "sample" for d in s["datasets"])
    ]
    return symbols[:count]


def test_quick_optimization_runs_live_and_shows_its_leaderboard(stack: Any, page: Page) -> None:
    symbols = sample_symbols(stack, 2)
    page.goto(f"{stack.url}/")
    expect(page.get_by_test_id("realtime-badge")).to_have_attribute("data-state", "connected", timeout=20_000)
    form = page.get_by_role("form", name="Quick optimization")
    expect(form.get_by_label("Dataset")).to_have_value("sample", timeout=10_000)
    expect(form.get_by_text("synthetic sample data")).to_be_visible()

    # A bad request first: the API's 422 names each field, and the form puts it next to that field.
    form.get_by_label("Symbols").fill(f"{symbols[0]}, NOPE")
    form.get_by_label("fast min").fill("1")
    form.get_by_role("button", name="Run optimization").click()
    expect(form.get_by_label("Symbols")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#qo-symbols-error")).to_contain_text("NOPE is not in dataset")
    expect(form.get_by_role("group", name="fast SMA window")).to_contain_text("within [2, 200]")
    expect(page.locator("#qo-slow-error")).to_have_count(0)

    form.get_by_label("Symbols").fill(", ".join(symbols))
    for window, (low, high, step) in (("fast", FAST), ("slow", SLOW)):
        form.get_by_label(f"{window} min").fill(low)
        form.get_by_label(f"{window} max").fill(high)
        form.get_by_label(f"{window} step").fill(step)
    page.evaluate(RECORD_PROGRESS)
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/optimizations") and r.status in (200, 202)
    ) as submitted:
        form.get_by_role("button", name="Run optimization").click()
    # Other tests of the session may have listed jobs already: follow this one by its id.
    job = page.get_by_role("list", name="Recent jobs").get_by_test_id(
        f"job-{submitted.value.json()['job_id']}"
    )
    expect(job.get_by_test_id("job-status")).to_have_text("succeeded", timeout=60_000)
    seen = page.evaluate("window.progressSeen")
    # Drawn from the POST's answer (queued, totals known), then moved by the last shard's
    # job.progress (always published; the job takes over a second, subscribing some milliseconds).
    assert any(text.startswith(f"0 / {RUNS} runs") for text in seen), seen
    assert any(text.startswith(f"{RUNS} / {RUNS} runs · 100 %") and "runs/s" in text for text in seen), seen
    assert job.get_by_role("progressbar").count() == 0
    expect(job).to_contain_text("2 symbols")
    expect(job).to_contain_text("combinations")
    expect(job.get_by_text("synthetic sample data")).to_be_visible()

    job.get_by_role("button", name="Quick optimization").click()
    board = job.get_by_role("table", name="Leaderboard of Quick optimization")
    expect(board).to_be_visible(timeout=10_000)
    expect(board.get_by_role("columnheader", name="Sharpe (objective)")).to_be_visible()
    rows = board.locator("tbody tr")
    expect(rows.first).to_be_visible()
    assert 1 <= rows.count() <= 9
    expect(rows.first.get_by_role("rowheader")).to_have_text("1")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
