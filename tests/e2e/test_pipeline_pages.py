"""The pipeline pages in a real browser against ``make run``'s stack: a demo run on the sample
universe started from the form is followed live to its end (the SQS worker of the local stack), its
signals are filtered by side and symbol and exported as CSV (the file's rows checked against the
filters), a signal opens its candles, and the breadth page draws its panes. The pages' widths, axe
and French checks are in test_app_shell (PAGES)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_app_shell import ARTIFACTS, WIDTHS, go, sample_symbols, settle

pytestmark = pytest.mark.e2e

RUN_TIMEOUT = 120_000  # ms: batches run one after another on the local SQS poller

INK = """(testId) => {
  let ink = 0;
  for (const canvas of document.querySelectorAll(`[data-testid="${testId}"] canvas`)) {
    if (!canvas.width || !canvas.height) continue;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
  }
  return ink;
}"""


@pytest.fixture
def pipeline_app(stack: Any, page: Page) -> Page:
    """The app in English, light theme, at desktop width, once the sample universe is ready."""
    sample_symbols(stack, 1)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    page.add_init_script(
        "if (!sessionStorage.getItem('e2e-start')) { sessionStorage.setItem('e2e-start', '1');"
        " localStorage.setItem('tradewind.language', 'en');"
        " localStorage.setItem('tradewind.colorScheme', 'light'); }"
    )
    page.goto(f"{stack.url}/")
    expect(page.get_by_role("heading", level=1, name="Overview")).to_be_visible(timeout=20_000)
    return page


def pick(page: Page, label: str, option: str) -> None:
    """Choose an option of a Select by its label."""
    page.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_a_demo_run_from_the_form_to_its_signals_export_and_breadth(stack: Any, pipeline_app: Page) -> None:
    page = pipeline_app
    expect(page.get_by_test_id("realtime-badge")).to_have_attribute("data-state", "connected", timeout=20_000)
    go(page, "Pipeline", "Pipeline")
    page.get_by_role("button", name="New run").click()
    form = page.locator("form[aria-describedby='start-form-hint']")
    expect(form.get_by_role("radio", name="Demo", exact=True)).to_be_checked()
    expect(form.get_by_role("radio", name="Sample", exact=True)).to_be_checked()
    expect(form.get_by_role("combobox", name="Strategy")).to_have_value("SMA cross", timeout=10_000)
    expect(form.get_by_label("fast")).to_be_visible()
    form.get_by_role("textbox", name="Name").fill("e2e demo scan")
    form.get_by_role("button", name="Start the run").click()

    # the run's page follows it live to the end
    page.wait_for_url(re.compile(r"/pipeline/runs/[^/]+$"), timeout=10_000)
    run_id = page.url.rstrip("/").split("/")[-1]
    expect(page.get_by_role("heading", level=1, name="e2e demo scan")).to_be_visible()
    status = page.get_by_test_id("run-status")
    expect(status).to_have_attribute("data-status", "succeeded", timeout=RUN_TIMEOUT)
    expect(page.get_by_test_id("run-percent")).to_have_text("100%")
    expect(page.get_by_test_id("run-counts")).to_contain_text("symbols 5/5")
    summary = page.get_by_test_id("run-summary")
    expect(summary.get_by_test_id("summary-symbols")).to_have_text("5")
    signals = int(summary.get_by_test_id("summary-signals").inner_text().replace(",", ""))
    assert signals > 0
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "pipeline-run.png"), full_page=True)

    # its signals: filtered by side, then by symbol, on the server
    summary.get_by_role("link", name="Its signals").click()
    page.wait_for_url(re.compile(rf"/pipeline/runs/{run_id}/signals$"))
    total = page.get_by_test_id("signals-total")
    expect(total).to_have_attribute("data-total", str(signals), timeout=10_000)
    pick(page, "Side", "Long")
    rows = page.get_by_test_id("signal-row")
    others = page.locator("[data-testid='signal-row']:not([data-side='long'])")
    expect(others).to_have_count(0, timeout=10_000)
    expect(rows.first).to_be_visible()
    symbol = rows.first.get_attribute("data-symbol")
    assert symbol
    page.get_by_role("textbox", name="Symbol").fill(symbol)
    others = page.locator(f"[data-testid='signal-row']:not([data-symbol='{symbol}'])")
    expect(others).to_have_count(0, timeout=10_000)
    expect(rows.first).to_be_visible()
    filtered = int(total.get_attribute("data-total") or "0")
    assert 0 < filtered < signals

    # the export holds exactly the filtered signals
    with page.expect_download() as download:
        page.get_by_role("button", name="Export the filtered signals as CSV").click()
    path = download.value.path()
    assert download.value.suggested_filename == f"signals-{run_id}.csv"
    table = list(csv.DictReader(io.StringIO(path.read_text())))
    assert len(table) == filtered
    assert {(row["symbol"], row["side"]) for row in table} == {(symbol, "long")}

    # a signal on its candles
    page.get_by_role("button", name=re.compile(rf"^Chart of {re.escape(symbol)} at ")).first.click()
    drawer = page.get_by_role("dialog")
    expect(drawer.get_by_test_id("signal-chart")).to_be_visible(timeout=10_000)
    page.wait_for_function(f"() => ({INK})('candle-chart') > 1000", timeout=10_000)
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "pipeline-signal-chart.png"), full_page=True)
    page.keyboard.press("Escape")
    expect(drawer).to_have_count(0)

    # the universe's breadth, every pane drawn on one time axis
    go(page, "Breadth", "Market breadth")
    pick(page, "Universe", "sample-demo")
    chart = page.get_by_test_id("breadth-chart")
    expect(chart).to_have_attribute("data-panes", "5", timeout=10_000)
    assert int(chart.get_attribute("data-points") or "0") > 100
    page.wait_for_function(f"() => ({INK})('breadth-chart') > 5000", timeout=10_000)
    for scheme in ("dark", "light"):
        page.evaluate(f"() => localStorage.setItem('tradewind.colorScheme', '{scheme}')")
        page.reload()
        expect(page.get_by_test_id("breadth-chart")).to_have_attribute("data-panes", "5", timeout=20_000)
        page.wait_for_function(f"() => ({INK})('breadth-chart') > 5000", timeout=10_000)
        settle(page)
        page.screenshot(path=str(ARTIFACTS / f"pipeline-breadth-{scheme}.png"), full_page=True)
