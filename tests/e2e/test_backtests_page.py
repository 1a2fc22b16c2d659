"""The Backtests pages in a real browser against ``make run``'s stack.

A backtest is run from the form on two symbols of the synthetic sample universe: the result page
follows it live until its progress reaches 100%, then shows its metrics, the equity chart (a canvas,
with buy and hold), the trades and, on a symbol's tab, the price chart with entry/exit markers. A
second backtest run through the API (as the CLI would) is then chosen beside it in the list and the
two are compared. The result and comparison pages are checked at 1440 and 390 px (nothing overflows)
with axe-core, light and dark. (The list page is in test_app_shell.py's PAGES.)
"""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_app_shell import (
    ARTIFACTS,
    VISIBLE_TEXT,
    WIDTHS,
    _get,
    english_patterns,
    fits_and_passes_axe,
    go,
    sample_symbols,
    settle,
)

pytestmark = pytest.mark.e2e

# The text a reader sees in the page's own content (the shell is test_app_shell.py's to check).
MAIN_TEXT = VISIBLE_TEXT.replace("document.body", "document.querySelector('main')")
assert MAIN_TEXT != VISIBLE_TEXT

FORM_NAME = "E2E form backtest"
API_NAME = "E2E API backtest"


@pytest.fixture
def app(stack: Any, page: Page) -> Page:
    """The app in English, light theme, at desktop width."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    page.goto(f"{stack.url}/")
    page.evaluate(
        "() => { localStorage.setItem('tradewind.language', 'en');"
        " localStorage.setItem('tradewind.colorScheme', 'light'); }"
    )
    page.reload()
    expect(page.get_by_role("heading", level=1, name="Overview")).to_be_visible(timeout=20_000)
    return page


def _api_backtest(stack: Any, symbols: list[str]) -> str:
    template = _get(stack, "/strategies/templates/sma_cross").json()
    body = {
        "strategy": template["document"],
        "dataset_id": "sample",
        "symbols": symbols,
        "params": {"fast": 5, "slow": 20},
        "name": API_NAME,
        "force": True,
    }
    answer = httpx.post(f"{stack.url}/backtests", json=body, headers=stack.headers, timeout=30)
    assert answer.status_code in (200, 202), answer.text
    job_id = str(answer.json()["job_id"])
    deadline = time.monotonic() + 120
    while True:
        status = _get(stack, f"/jobs/{job_id}").json()["status"]
        if status in ("succeeded", "failed", "cancelled"):
            assert status == "succeeded", status
            return job_id
        assert time.monotonic() < deadline, f"backtest {job_id} did not finish"
        time.sleep(0.5)


def test_run_a_backtest_from_the_form_see_its_results_and_compare_two(stack: Any, app: Page) -> None:
    page = app
    symbols = sample_symbols(stack, 2)
    assert len(symbols) == 2, symbols
    go(page, "Backtests", "Backtests")
    page.get_by_role("button", name="New backtest").click()
    form = page.locator("form")
    expect(page.get_by_role("heading", name="Run a backtest")).to_be_visible()

    # the built-in SMA cross template, whose parameters show their ranges
    strategy = page.get_by_role("combobox", name="Strategy", exact=True)
    strategy.click()
    page.get_by_role("option", name="SMA cross", exact=True).first.click()
    expect(form.get_by_text(re.compile(r"^Range \d+ to \d+, default 10$"))).to_be_visible(timeout=10_000)
    expect(page.get_by_role("combobox", name="Dataset", exact=True)).not_to_have_value("")
    for symbol in symbols:
        field = page.get_by_role("combobox", name="Symbols", exact=True)
        field.click()
        field.fill(symbol)
        page.get_by_role("option", name=symbol, exact=True).click()
    page.get_by_role("textbox", name="Name").fill(FORM_NAME)
    page.get_by_label("Run again even if an identical result is stored").check()
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "backtests-form.png"), full_page=True)
    page.get_by_role("button", name="Run backtest").click()

    # the result page follows the job live until it succeeds at 100%
    page.wait_for_url(re.compile(r"/backtests/[^/]+$"), timeout=20_000)
    job_id = page.evaluate("() => location.pathname.split('/').pop()")
    expect(page.get_by_role("heading", level=1, name=FORM_NAME)).to_be_visible()
    status = page.get_by_test_id("job-status")
    expect(status).to_have_attribute("data-status", "succeeded", timeout=120_000)
    expect(page.get_by_test_id("job-percent")).to_have_text("100%")

    # metrics, grouped; the equity chart drawn on a canvas with buy and hold; the trades
    expect(page.get_by_test_id("metrics-returns")).to_contain_text("Buy and hold return", timeout=20_000)
    expect(page.get_by_test_id("metrics-trades")).to_contain_text("Win rate")
    equity = page.get_by_test_id("equity-chart")
    expect(equity.locator("canvas").first).to_be_attached()
    expect(equity).to_have_attribute("data-draw-ms", re.compile(r"^\d+(\.\d+)?$"), timeout=10_000)
    assert int(equity.get_attribute("data-points") or "0") > 100
    expect(page.get_by_role("figure", name=re.compile("against buy and hold"))).to_be_visible()
    expect(page.get_by_test_id("trades-total")).to_have_text(re.compile(r"^\d[\d,]* trades?"), timeout=20_000)
    trades = page.get_by_test_id("trade-row")
    expect(trades.first).to_be_visible()
    # sortable: P&L descending puts the best trade first
    pnl = page.get_by_role("columnheader", name=re.compile("^P&L"))
    pnl.get_by_role("button").click()
    expect(pnl).to_have_attribute("aria-sort", "descending")

    # one tab per symbol: its price chart with the entries and exits as markers
    page.get_by_role("tab", name=symbols[0]).click()
    price = page.get_by_test_id("price-chart")
    expect(price.locator("canvas").first).to_be_attached(timeout=20_000)
    expect(price).to_have_attribute("data-markers", re.compile(r"^[1-9]\d*$"), timeout=20_000)
    expect(page.get_by_role("heading", name=f"Metrics of {symbols[0]}")).to_be_visible()
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "backtest-result-symbol.png"), full_page=True)
    page.get_by_role("tab", name="Portfolio").click()
    problems = fits_and_passes_axe(page, "backtest-result")

    # a second run from the API; both chosen in the list and compared
    other = _api_backtest(stack, symbols[:1])
    go(page, "Backtests", "Backtests")
    table = page.get_by_role("table", name="Your backtests")
    expect(table.get_by_role("link", name=API_NAME).first).to_be_visible(timeout=30_000)
    page.get_by_test_id(f"backtest-{job_id}").get_by_role("checkbox").check()
    page.get_by_test_id(f"backtest-{other}").get_by_role("checkbox").check()
    page.get_by_role("button", name=re.compile(r"^Compare \(2 selected\)")).click()
    page.wait_for_url(re.compile(r"/backtests/compare\?ids="))
    expect(page.get_by_role("heading", level=1, name="Compare backtests")).to_be_visible()
    metrics = page.get_by_test_id("compare-metrics")
    expect(metrics.get_by_role("link", name=FORM_NAME)).to_be_visible(timeout=20_000)
    expect(metrics.get_by_role("link", name=API_NAME)).to_be_visible()
    expect(metrics.locator("tr[data-metric='sharpe'] td")).to_have_count(2)
    chart = page.get_by_test_id("compare-chart")
    expect(chart.locator("canvas").first).to_be_attached()
    expect(chart).to_have_attribute("data-draw-ms", re.compile(r"^\d"), timeout=10_000)
    problems += fits_and_passes_axe(page, "backtests-compare")

    # in French, no English string of our translations is left on the comparison, the result page
    # (a symbol's tab too) and the list with its form
    page.get_by_role("button", name="Switch to Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    patterns = english_patterns()
    left: list[str] = []

    def check(where: str) -> None:
        settle(page)
        page.screenshot(path=str(ARTIFACTS / f"{where}-fr.png"), full_page=True)
        text = page.evaluate(MAIN_TEXT)
        left.extend(f"{where}: {key} {m[0]!r}" for key, p in patterns if (m := p.search(text)))

    expect(page.get_by_role("heading", level=1, name="Comparer des backtests")).to_be_visible()
    expect(page.get_by_test_id("compare-metrics")).to_contain_text("Ratio de Sharpe")
    check("backtests-compare")
    page.goto(f"{stack.url}/backtests/{job_id}")
    expect(page.get_by_test_id("metrics-returns")).to_contain_text("Rendement", timeout=20_000)
    expect(page.get_by_test_id("trade-row").first).to_be_visible(timeout=20_000)
    check("backtest-result")
    page.get_by_role("tab", name=symbols[1]).click()
    expect(page.get_by_test_id("price-chart")).to_be_visible(timeout=20_000)
    check("backtest-result-symbol")
    page.goto(f"{stack.url}/backtests?new=1")
    expect(page.get_by_role("heading", name="Lancer un backtest")).to_be_visible(timeout=20_000)
    expect(page.get_by_role("table", name="Vos backtests")).to_be_visible(timeout=20_000)
    check("backtests-form")
    assert left == [], "English left in French:\n" + "\n".join(left)
    assert problems == [], "\n".join(problems)
