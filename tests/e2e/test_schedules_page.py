"""Schedules and commands in a real browser against ``make run``'s stack: a schedule created in the
editor (a one-off ``at(...)`` a few seconds ahead, target the ``prune-jobs`` command) is fired by the
local ticker, and its fire and job appear on the schedule's page without a reload; a command run from
its generated form is followed in its live log to the end. Widths, axe and French for /schedules and
/commands are in test_app_shell (PAGES)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_app_shell import ARTIFACTS, WIDTHS

pytestmark = pytest.mark.e2e

FIRE_TIMEOUT = 60_000  # ms: the at() time, the ticker's 1 s tick, the runner's poll


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


def pick(page: Page, test_id: str, option: str) -> None:
    page.get_by_test_id(test_id).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_a_schedule_created_in_the_ui_fires_and_its_job_appears(stack: Any, app: Page) -> None:
    page = app
    page.get_by_role("link", name="Schedules").first.click()
    expect(page.get_by_role("heading", level=1, name="Schedules")).to_be_visible()
    page.get_by_role("link", name="New schedule").click()
    page.get_by_test_id("schedule-name").fill("e2e one-off")
    pick(page, "schedule-preset", "Custom expression")
    # at(...) in UTC, 12 s ahead: more than the ticker's 5 s refresh
    when = (datetime.now(UTC) + timedelta(seconds=12)).strftime("%Y-%m-%dT%H:%M:%S")
    page.get_by_test_id("schedule-expression").fill(f"at({when})")
    page.get_by_role("combobox", name="Time zone").click()
    page.get_by_role("combobox", name="Time zone").fill("UTC")
    page.get_by_role("option", name="UTC", exact=True).click()
    expect(page.get_by_test_id("preview-fires").get_by_role("listitem")).to_have_count(1, timeout=10_000)
    pick(page, "schedule-command", "Prune old jobs")
    page.get_by_role("textbox", name=re.compile("^Days")).fill("3650")
    page.get_by_test_id("schedule-create").click()

    page.wait_for_url(re.compile(r"/schedules/[0-9a-f]+$"), timeout=10_000)
    expect(page.get_by_role("heading", level=1, name="e2e one-off")).to_be_visible()
    fire = page.get_by_test_id("fire-row").first
    expect(fire).to_have_attribute("data-status", "submitted", timeout=FIRE_TIMEOUT)
    expect(fire.get_by_test_id("fire-job-status")).to_have_text("succeeded", timeout=FIRE_TIMEOUT)
    page.screenshot(path=str(ARTIFACTS / "schedule-fired.png"), full_page=True)
    fire.get_by_test_id("fire-job").click()
    page.wait_for_url(re.compile(r"/jobs/[^/]+$"))
    expect(page.get_by_test_id("job-status")).to_have_text(re.compile("succeeded", re.I))


def test_a_command_run_is_followed_in_its_live_log(stack: Any, app: Page) -> None:
    page = app
    page.get_by_role("link", name="Commands").first.click()
    expect(page.get_by_role("heading", level=1, name="Commands")).to_be_visible()
    page.get_by_role("button", name=re.compile("Prune old jobs")).click()
    form = page.get_by_role("form", name="Run Prune old jobs")
    form.get_by_role("textbox", name=re.compile("^Days")).fill("3650")
    form.get_by_role("switch", name=re.compile("Dry run", re.I)).check()
    form.get_by_role("button", name="Run").click()
    log = page.get_by_test_id("job-log")
    expect(log).to_contain_text("queued prune-jobs", timeout=10_000)
    expect(log).to_contain_text("would delete 0 jobs", timeout=FIRE_TIMEOUT)
    expect(page.get_by_test_id("command-run-status")).to_have_text("Succeeded", timeout=FIRE_TIMEOUT)
    expect(log.get_by_test_id("log-line").last).to_contain_text("done")
    page.screenshot(path=str(ARTIFACTS / "command-run.png"), full_page=True)
