"""The Jobs pages in a real browser against ``make run``'s stack.

Jobs of several kinds are started through the API (as the CLI would): a sweep and a demo pipeline
run, beside the sample universe's import. The list shows them with their kinds and the stats cards;
filtering by kind narrows it; a finished sweep's page shows its timeline (submitted, running,
succeeded), its progress chart and its log, at 1440 and 390 px, with axe-core, light and dark.
(The list page is also in test_app_shell.py's PAGES.)
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_app_shell import ARTIFACTS, WIDTHS, _get, axe_violations, overflow, sample_symbols, settle

pytestmark = pytest.mark.e2e


def _finish(stack: Any, job_id: str) -> None:
    deadline = time.monotonic() + 180
    while _get(stack, f"/jobs/{job_id}").json()["status"] not in ("succeeded", "failed", "stopped"):
        assert time.monotonic() < deadline, f"job {job_id} did not finish"
        time.sleep(0.5)


@pytest.fixture(scope="module")
def jobs(stack: Any) -> dict[str, str]:
    """A finished sweep and a finished demo pipeline run, started through the API."""
    symbols = sample_symbols(stack, 1)
    template = _get(stack, "/strategies/templates/sma_cross").json()
    sweep = {
        "strategy": template["document"],
        "dataset_id": "sample",
        "symbols": symbols,
        "space": {"fast": {"min": 5, "max": 10, "step": 5}, "slow": {"min": 30, "max": 40, "step": 10}},
        "metrics": "screening",
        "name": "Jobs page sweep",
        "force": True,
    }
    answer = httpx.post(f"{stack.url}/optimizations", json=sweep, headers=stack.headers, timeout=30)
    assert answer.status_code in (200, 202), answer.text
    run = {"template": "sma_cross", "mode": "demo", "name": "Jobs page scan"}
    started = httpx.post(f"{stack.url}/pipeline/runs", json=run, headers=stack.headers, timeout=30)
    assert started.status_code == 202, started.text
    ids = {"optimization": answer.json()["job_id"], "pipeline": started.json()["job_id"]}
    for job_id in ids.values():
        _finish(stack, job_id)
    return ids


@pytest.fixture
def app(stack: Any, page: Page, jobs: dict[str, str]) -> Page:
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


def test_the_list_shows_jobs_of_several_kinds_and_a_job_page_its_timeline_and_log(
    stack: Any, app: Page, jobs: dict[str, str]
) -> None:
    page = app
    page.get_by_role("link", name="Jobs", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Jobs")).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("stat-total-value")).not_to_have_text("…", timeout=20_000)
    table = page.get_by_test_id("jobs-table")
    expect(table.get_by_role("link", name="Jobs page sweep")).to_be_visible(timeout=20_000)
    expect(table.get_by_role("link", name="Jobs page scan")).to_be_visible()
    kinds = set(page.get_by_test_id("job-row").evaluate_all("rows => rows.map(r => r.dataset.kind)"))
    assert {"optimization", "pipeline"} <= kinds, kinds

    page.get_by_role("combobox", name="Kind", exact=True).click()
    page.get_by_role("option", name="Pipeline run", exact=True).click()
    expect(table.get_by_role("link", name="Jobs page sweep")).to_have_count(0, timeout=10_000)
    expect(table.get_by_role("link", name="Jobs page scan")).to_be_visible()

    page.goto(f"{stack.url}/jobs/{jobs['optimization']}")
    expect(page.get_by_role("heading", level=1, name="Jobs page sweep")).to_be_visible(timeout=20_000)
    entries = page.get_by_test_id("timeline-entry")
    expect(entries).to_have_count(3, timeout=20_000)
    expect(entries.last).to_contain_text("reduced")
    log = page.get_by_role("log")
    expect(log.get_by_test_id("log-line").first).to_contain_text("planned", timeout=20_000)
    expect(log).to_contain_text("reduced")
    expect(page.get_by_test_id("progress-chart")).to_be_visible(timeout=20_000)

    problems: list[str] = []
    for scheme in ("light", "dark"):
        page.evaluate(f"() => localStorage.setItem('tradewind.colorScheme', '{scheme}')")
        for name, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            page.reload()
            expect(page.get_by_test_id("timeline-entry")).to_have_count(3, timeout=20_000)
            settle(page)
            page.screenshot(path=str(ARTIFACTS / f"job-{name}-{scheme}.png"), full_page=True)
            if wide := overflow(page):
                problems.append(f"job page at {width} px ({scheme}) is {wide} px wide")
            problems += [f"job page at {width} px ({scheme}): {v}" for v in axe_violations(page)]
    assert problems == [], "\n".join(problems)
