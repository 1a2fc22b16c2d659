"""Workflows in a real browser against ``make run``'s stack: a two-step workflow built in the steps
editor (two ``prune-jobs`` command runs, dry run), run from its page; both steps succeed on the run
list without a reload (the workflow's real state machine under moto, each step's job answering the
run's task token), and each step links to its job's page. Widths, axe and French for /workflows are
in test_app_shell (PAGES)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_app_shell import ARTIFACTS, WIDTHS

pytestmark = pytest.mark.e2e

RUN_TIMEOUT = 60_000  # ms: two command runs through the commands queue's poller


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
    overview = page.get_by_role("heading", level=1, name="Overview")
    key_form = page.get_by_role("form", name="Sign in with an API key")
    use_key = page.get_by_role("button", name="Use an API key instead")
    expect(overview.or_(key_form).or_(use_key)).to_be_visible(timeout=20_000)
    if use_key.is_visible():  # the sign-in page: people sign in; the test uses make run's API key
        use_key.click()
    if key_form.is_visible():  # a build that asks for a credential instead of using make run's key
        key_form.get_by_role("textbox", name="API key").fill(stack.api_key)
        key_form.get_by_role("button", name="Use key").click()
    expect(overview).to_be_visible(timeout=20_000)
    return page


def _prune_step(page: Page, index: int) -> None:
    step = page.get_by_test_id("workflow-step").nth(index)
    step.get_by_test_id("step-command").click()
    page.get_by_role("option", name="Prune old jobs", exact=True).click()
    step.get_by_role("textbox", name=re.compile("^Days")).fill("3650")
    step.get_by_role("switch", name=re.compile("Dry run", re.I)).check()


def test_a_two_step_workflow_runs_both_steps_and_links_their_jobs(stack: Any, app: Page) -> None:
    page = app
    page.get_by_role("link", name="Workflows").first.click()
    expect(page.get_by_role("heading", level=1, name="Workflows")).to_be_visible()
    page.get_by_role("link", name="New workflow").click()
    page.get_by_test_id("workflow-name").fill("e2e evening")
    _prune_step(page, 0)
    page.get_by_test_id("add-step").click()
    _prune_step(page, 1)
    page.get_by_test_id("workflow-save").click()

    page.wait_for_url(re.compile(r"/workflows/[0-9a-f]+$"), timeout=10_000)
    expect(page.get_by_role("heading", level=1, name="e2e evening")).to_be_visible()
    page.get_by_test_id("workflow-run-button").click()
    run = page.get_by_test_id("workflow-run").first
    steps = run.get_by_test_id("run-step")
    expect(steps).to_have_count(2, timeout=10_000)
    for index in range(2):
        expect(steps.nth(index)).to_contain_text("succeeded", timeout=RUN_TIMEOUT)
        expect(steps.nth(index).get_by_test_id("run-step-link")).to_have_attribute(
            "href", re.compile(r"^/jobs/")
        )
    expect(run).to_contain_text("2 of 2 steps done")
    page.screenshot(path=str(ARTIFACTS / "workflow-run.png"), full_page=True)
    steps.nth(1).get_by_test_id("run-step-link").click()
    page.wait_for_url(re.compile(r"/jobs/[^/]+$"))
    expect(page.get_by_test_id("job-status")).to_have_text(re.compile("succeeded", re.I))
