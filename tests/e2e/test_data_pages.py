"""The Data and Watchlists pages in a real browser against ``make run``'s stack.

A good CSV is uploaded from the browser (presigned PUT straight to the embedded S3, with its byte
progress bar, then the import followed live until ready), a bad one shows its error at its row and
column, a symbol found by autocomplete opens its candlestick chart (the canvas is drawn), and a
watchlist is created, renamed, given a symbol, emptied and deleted. Screenshots of each step land in
``tests/e2e/artifacts/``; the pages' widths, axe and French checks are in test_app_shell (PAGES).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_app_shell import ARTIFACTS, WIDTHS, _get, go, sample_symbols, settle

pytestmark = pytest.mark.e2e

IMPORT_TIMEOUT = 120_000  # ms: the import runs on the SQS poller of the local stack


def good_csv(rows: int = 300) -> bytes:
    """One symbol's daily bars (the symbol comes from the form: the file has no symbol column)."""
    lines = ["date,open,high,low,close,volume"]
    price = 100.0
    for day in range(rows):
        close = price * (1.002 if day % 3 else 0.997)
        high, low = max(price, close) * 1.01, min(price, close) * 0.99
        when = date(2020, 1, 1) + timedelta(days=day)
        lines.append(f"{when},{price:.4f},{high:.4f},{low:.4f},{close:.4f},{1000 + day}")
        price = close
    return ("\n".join(lines) + "\n").encode()


BAD_CSV = b"date,open,high,low,close,volume\n2024-01-02,10,11,9,10.5,100\n2024-01-03,10,11,9,abc,100\n"


@pytest.fixture
def data_app(stack: Any, page: Page) -> Page:
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


def upload(page: Page, tmp_path: Path, file_name: str, body: bytes, *, name: str, symbol: str) -> None:
    go(page, "Data", "Data")
    path = tmp_path / file_name
    path.write_bytes(body)
    form = page.get_by_role("form", name="Upload a file")
    form.locator("input[type=file]").set_input_files(str(path))
    expect(form.get_by_label("Dataset name")).to_have_value(file_name.removesuffix(".csv"))
    form.get_by_label("Dataset name").fill(name)
    form.get_by_label("Symbol", exact=True).fill(symbol)
    form.get_by_role("button", name="Upload and import").click()


def test_a_good_csv_uploads_from_the_browser_and_becomes_ready(
    stack: Any, data_app: Page, tmp_path: Path
) -> None:
    page = data_app
    body = good_csv()
    upload(page, tmp_path, "good-prices.csv", body, name="e2e browser good", symbol="GOODE2E")
    form = page.get_by_role("form", name="Upload a file")
    status = form.get_by_test_id("import-status")
    expect(status).to_be_visible(timeout=30_000)
    # the PUT went through: the bar is full and counts the file's bytes
    expect(form.get_by_test_id("upload-progress").get_by_role("progressbar")).to_have_attribute(
        "aria-valuenow", "100"
    )
    expect(form.get_by_text(re.compile(rf"^{len(body):,} of {len(body):,} bytes"))).to_be_visible()
    expect(status.locator("[data-status]")).to_have_attribute("data-status", "ready", timeout=IMPORT_TIMEOUT)
    page.screenshot(path=str(ARTIFACTS / "data-upload-ready.png"), full_page=True)
    # listed, and its page says what it holds
    row = page.get_by_role("table", name="Datasets").get_by_role("row").filter(has_text="e2e browser good")
    expect(row.get_by_text("ready")).to_be_visible()
    status.get_by_role("link", name="Open dataset").click()
    expect(page.get_by_role("heading", level=1, name="e2e browser good")).to_be_visible()
    dataset_id = page.evaluate("() => location.pathname.split('/').pop()")
    dataset = _get(stack, f"/datasets/{dataset_id}").json()
    assert (dataset["status"], dataset["symbols_count"], dataset["rows"]) == (
        "ready",
        1,
        body.count(b"\n") - 1,
    )
    # its symbol's chart, then delete the dataset (confirmed)
    page.get_by_role("link", name="GOODE2E").click()
    expect(page.get_by_role("heading", level=1, name="GOODE2E")).to_be_visible()
    expect(page.get_by_role("figure")).to_be_visible(timeout=20_000)
    page.go_back()
    page.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Delete dataset").click()
    expect(page.get_by_role("heading", level=1, name="Data")).to_be_visible()
    expect(page.get_by_role("table", name="Datasets").get_by_text("e2e browser good")).to_have_count(0)
    assert _get(stack, f"/datasets/{dataset_id}").status_code == 404


def test_a_bad_csv_shows_its_error_at_its_row_and_column(stack: Any, data_app: Page, tmp_path: Path) -> None:
    page = data_app
    upload(page, tmp_path, "bad-prices.csv", BAD_CSV, name="e2e browser bad", symbol="BADE2E")
    form = page.get_by_role("form", name="Upload a file")
    error = form.get_by_test_id("import-error")
    expect(error).to_be_visible(timeout=IMPORT_TIMEOUT)
    expect(error.get_by_test_id("import-error-row")).to_have_text("Row 3")
    expect(error.get_by_test_id("import-error-column")).to_have_text("Column close")
    expect(form.get_by_test_id("import-status").locator("[data-status]")).to_have_attribute(
        "data-status", "failed"
    )
    page.screenshot(path=str(ARTIFACTS / "data-upload-failed.png"), full_page=True)
    # the dataset's own page shows the same
    form.get_by_role("link", name="Open dataset").click()
    expect(page.get_by_test_id("import-error").get_by_test_id("import-error-row")).to_have_text("Row 3")


CANVAS_INK = """() => {
  let ink = 0;
  for (const canvas of document.querySelectorAll('[data-testid="candle-chart"] canvas')) {
    if (!canvas.width || !canvas.height) continue;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
  }
  return ink;
}"""


def test_a_symbol_found_by_autocomplete_opens_its_chart(stack: Any, data_app: Page) -> None:
    page = data_app
    symbol = sample_symbols(stack, 1)[0]
    go(page, "Data", "Data")
    search = page.get_by_role("combobox", name="Find a symbol")
    search.fill(symbol[:2])
    page.get_by_role("option", name=re.compile(f"^{re.escape(symbol)}")).first.click()
    expect(page.get_by_role("heading", level=1, name=symbol)).to_be_visible()
    expect(page).to_have_url(re.compile(f"/data/symbols/{re.escape(symbol)}$"))
    chart = page.get_by_role(
        "figure", name=re.compile(f"^Candlestick and volume chart of {re.escape(symbol)}")
    )
    expect(chart).to_be_visible(timeout=20_000)
    page.wait_for_function(f"() => ({CANVAS_INK})() > 1000", timeout=10_000)
    # the whole history, downsampled by the API when it is long
    page.get_by_text("All", exact=True).click()
    expect(page.get_by_test_id("bar-count")).to_have_text(re.compile(r"^[\d,]+ bars"))
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "data-symbol-chart.png"), full_page=True)
    page.get_by_role("button", name="Switch to dark theme").click()
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "data-symbol-chart-dark.png"), full_page=True)
    assert page.evaluate(f"() => ({CANVAS_INK})()") > 1000
    page.get_by_role("button", name="Switch to light theme").click()


def test_a_watchlist_is_created_renamed_filled_emptied_and_deleted(stack: Any, data_app: Page) -> None:
    page = data_app
    symbol = sample_symbols(stack, 1)[0]
    go(page, "Watchlists", "Watchlists")
    page.get_by_label("Name").fill("e2e list")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", level=1, name="e2e list")).to_be_visible()
    # rename
    rename = page.get_by_role("form", name="Rename")
    rename.get_by_label("Name").fill("e2e list renamed")
    rename.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1, name="e2e list renamed")).to_be_visible()
    # add a symbol from the suggestions
    add = page.get_by_role("combobox", name="Add a symbol")
    add.fill(symbol[:2])
    page.get_by_role("option", name=re.compile(f"^{re.escape(symbol)}")).first.click()
    symbols = page.get_by_test_id("watchlist-symbols")
    expect(symbols.get_by_role("link", name=symbol)).to_be_visible()
    expect(add).to_have_value("")  # ready for the next one
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "watchlist-detail.png"), full_page=True)
    # remove it
    page.get_by_role("button", name=f"Remove {symbol}").click()
    expect(page.get_by_text("No symbols yet.")).to_be_visible()
    # delete (confirmed): back to the list, gone
    page.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Delete watchlist").click()
    expect(page.get_by_role("heading", level=1, name="Watchlists")).to_be_visible()
    expect(page.get_by_text("e2e list renamed")).to_have_count(0)
    assert all(w["name"] != "e2e list renamed" for w in _get(stack, "/watchlists").json()["items"])
