"""The Optimizations pages in a real browser against ``make run``'s stack: the space editor refuses a
step of 0 at its field before anything is sent, shows the estimate of a small sweep as it is typed,
runs it; the job's page follows it to ``succeeded``, its leaderboard lists the combinations (the
page fits a phone and passes axe-core, light and dark), the heatmap opens, and clicking a cell
backtests that combination and lands on ``/backtests/<id>``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_app_shell import fits_and_passes_axe, go, sample_symbols

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def test_run_an_optimization_from_the_editor_then_drill_into_a_heatmap_cell(stack: Any, page: Page) -> None:
    symbol = sample_symbols(stack, 1)[0]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1440, "height": 1000})
    # Start at the Overview and use the left navigation, as a user would.
    page.goto(f"{stack.url}/")
    expect(page.get_by_test_id("realtime-badge")).to_have_attribute("data-state", "connected", timeout=20_000)
    go(page, "Optimizations", "Optimizations")
    form = page.get_by_role("form", name="New optimization")
    expect(form.get_by_test_id("param-fast")).to_contain_text("allowed 2", timeout=15_000)
    expect(form.get_by_label("Dataset", exact=True)).to_have_value("sample", timeout=10_000)

    # Refused at the field, before any request: a step of 0.
    form.get_by_label("fast step").fill("0")
    expect(form.get_by_label("fast step")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_test_id("param-fast")).to_contain_text("The step must be above 0")

    form.get_by_label("Symbols", exact=True).fill(symbol)
    for name, (low, high, step) in (("fast", ("5", "15", "5")), ("slow", ("30", "50", "10"))):
        form.get_by_label(f"{name} min").fill(low)
        form.get_by_label(f"{name} max").fill(high)
        form.get_by_label(f"{name} step").fill(step)
    expect(form.get_by_label("fast step")).not_to_have_attribute("aria-invalid", "true")
    form.get_by_label("Metrics", exact=True).select_option("screening")
    # 3 x 3 combinations on one symbol.
    expect(form.get_by_test_id("estimate-runs")).to_have_text("9", timeout=15_000)
    expect(form.get_by_test_id("estimate-cost")).to_contain_text("USD")
    page.screenshot(path=str(ARTIFACTS / "optimizations-editor.png"), full_page=True)

    form.get_by_role("button", name="Run optimization").click()
    expect(page).to_have_url(re.compile(r"/optimizations/[^/]+$"), timeout=15_000)
    # The list's rows (each with its status) stay on screen until the job page's chunk has loaded.
    expect(page.get_by_test_id("job-status")).to_have_count(1, timeout=15_000)
    expect(page.get_by_test_id("job-status")).to_have_attribute("data-status", "succeeded", timeout=90_000)
    table = page.get_by_role("table", name=re.compile("^All combinations of "))
    expect(table.get_by_test_id("results-row").first).to_be_visible(timeout=15_000)
    expect(table.get_by_test_id("results-row")).to_have_count(9)
    page.screenshot(path=str(ARTIFACTS / "optimization-leaderboard.png"), full_page=True)
    problems = fits_and_passes_axe(page, "optimization-result")
    assert problems == [], "\n".join(problems)

    page.get_by_role("tab", name="Heatmap").click()
    heatmap = page.get_by_test_id("heatmap")
    expect(heatmap).to_be_visible(timeout=15_000)
    expect(heatmap.get_by_test_id("heatmap-cell")).to_have_count(9)
    page.screenshot(path=str(ARTIFACTS / "optimization-heatmap.png"), full_page=True)
    cell = heatmap.locator("[data-testid='heatmap-cell']:not([disabled])").first
    expect(cell).to_be_visible()
    cell.click()
    expect(page).to_have_url(re.compile(r"/backtests/[^/]+$"), timeout=20_000)
