"""Organisation settings and the audit trail in a real browser against ``make run``'s stack: a setting
changed on the Settings page is saved (If-Match) and its change appears on the Audit page, with the
keys it changed, and the filtered trail downloads as CSV. Widths, axe and French for /audit are in
test_app_shell (PAGES)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_app_shell import ARTIFACTS, WIDTHS

pytestmark = pytest.mark.e2e


@pytest.fixture
def app(stack: Any, page: Page) -> Page:
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


def test_a_setting_changed_in_the_page_is_seen_in_the_audit_trail(stack: Any, app: Page) -> None:
    page = app
    page.get_by_role("link", name="Settings").first.click()
    form = page.get_by_role("form", name="Organisation settings")
    expect(form).to_be_visible(timeout=10_000)
    # a bad currency is refused at its field, and nothing is saved
    form.get_by_role("textbox", name="Base currency").fill("XYZ")
    form.get_by_role("button", name="Save settings").click()
    expect(form.get_by_text("is not an ISO 4217 currency code")).to_be_visible()
    form.get_by_role("textbox", name="Base currency").fill("EUR")
    form.get_by_role("textbox", name="Starting cash").fill("25000")
    form.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Saved (version")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "settings-organisation.png"), full_page=True)

    page.get_by_role("link", name="Audit").first.click()
    expect(page.get_by_role("heading", level=1, name="Audit trail")).to_be_visible()
    page.get_by_role("textbox", name="Action").fill("settings.update")
    page.get_by_role("button", name="Apply filters").click()
    table = page.get_by_role("table", name="Audit trail")
    saved = table.get_by_role("row").filter(has_text="200 success")
    expect(saved.first).to_contain_text("base_currency, job_defaults.cash")
    expect(table.get_by_role("row").filter(has_text="422 failure").first).to_contain_text("settings.update")
    page.screenshot(path=str(ARTIFACTS / "audit-settings-change.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV").click()
    text = download.value.path().read_text()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows
    assert {row["action"] for row in rows} == {"settings.update"}
    assert any(row["status"] == "200" and "job_defaults.cash" in row["details"] for row in rows)
