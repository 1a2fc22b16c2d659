"""The Strategies pages in a real browser against ``make run``'s stack.

A strategy is created from a template and edited in the rule builder (a parameter and a rule), a
rule is broken and its error shows at its field (and at its line in the JSON view), then fixed;
two saves make two more versions, whose side-by-side diff the history shows; the document is
exported as a file and imported back as a new strategy, a file that is not a strategy is refused
with its problems, and the copy is deleted. The editor is also checked at 390 px (nothing overflows)
and by axe in both themes. Screenshots land in ``tests/e2e/artifacts/``; the list page's widths,
axe and French checks are in test_app_shell (PAGES).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_app_shell import ARTIFACTS, WIDTHS, axe_violations, go, looks, overflow, settle

pytestmark = pytest.mark.e2e

CHECK = 15_000  # ms: a validation round trip after the editor's debounce


@pytest.fixture
def app(stack: Any, page: Page) -> Page:
    """The app in English, light theme, at desktop width (no jobs needed here)."""
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


def status(page: Page) -> Any:
    return page.get_by_test_id("strategy-status")


def field(page: Page, path: str) -> Any:
    """The builder's input for a document path (`rules.0.when.left` → `#sf-rules-0-when-left`)."""
    return page.locator(f"#sf-{path.replace('.', '-')}")


def test_build_break_fix_save_diff_export_and_import(app: Page, tmp_path: Path) -> None:
    page = app
    name = f"E2E SMA {int(time.time())}"
    go(page, "Strategies", "Strategies")

    # from a template
    page.get_by_role("button", name="New strategy").click()
    dialog = page.get_by_role("dialog", name="New strategy from a template")
    dialog.get_by_label("Template").select_option(label="SMA cross")
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible(timeout=10_000)
    strategy_id = page.evaluate("() => location.pathname").rsplit("/", 1)[-1]
    expect(status(page)).to_contain_text("Valid", timeout=CHECK)

    # change a parameter and a rule
    field(page, "parameters.fast.default").fill("12")
    field(page, "rules.1.action").select_option("sell")
    field(page, "rules.0.priority").fill("2")
    expect(status(page)).to_contain_text("Unsaved changes")

    # break a rule: the error shows at its field, in the summary and at its JSON line
    left = field(page, "rules.0.when.left")
    left.fill("zzz")
    left.press("Escape")
    expect(left).to_have_attribute("aria-invalid", "true", timeout=CHECK)
    rule = page.get_by_test_id("rule-0")
    expect(rule.get_by_text(re.compile("unknown series 'zzz'"))).to_be_visible()
    expect(page.get_by_test_id("problem-list")).to_contain_text("rules.0.when.left")
    expect(status(page)).to_contain_text("1 problem")
    page.screenshot(path=str(ARTIFACTS / "strategy-builder-error-1440.png"), full_page=True)
    page.get_by_role("tab", name="JSON").click()
    text = page.get_by_label("Strategy document (JSON)").input_value()
    line = next(i for i, row in enumerate(text.splitlines(), 1) if '"left": "zzz"' in row)
    expect(page.get_by_test_id("json-problems")).to_contain_text(f"Line {line}")
    page.get_by_role("tab", name="Rule builder").click()

    # the problem link puts the focus on the field; fix it
    page.get_by_test_id("problem-list").get_by_role("button", name="rules.0.when.left").click()
    expect(left).to_be_focused()
    left.fill("fast_ma")
    left.press("Escape")
    expect(status(page)).to_contain_text("Valid", timeout=CHECK)
    expect(left).not_to_have_attribute("aria-invalid", "true")

    # save twice: versions 2 and 3 (the first also tags the strategy)
    tags = page.get_by_role("combobox", name="Tags")
    tags.fill("trend")
    tags.press("Enter")
    page.get_by_label("What changed").fill("fast 12, exit sells")
    page.get_by_role("button", name="Save new version").click()
    expect(page.get_by_text("Saved as version 2.")).to_be_visible(timeout=10_000)
    field(page, "parameters.slow.default").fill("40")
    expect(status(page)).to_contain_text("Valid", timeout=CHECK)
    page.get_by_role("button", name="Save new version").click()
    expect(page.get_by_text("Saved as version 3.")).to_be_visible(timeout=10_000)

    # history: the versions and the diff of the last two
    page.get_by_role("tab", name="History").click()
    for version in (1, 2, 3):
        expect(page.get_by_test_id(f"version-{version}")).to_be_visible(timeout=10_000)
    expect(page.get_by_test_id("version-2")).to_contain_text("fast 12, exit sells")
    diff = page.get_by_test_id("diff")
    expect(diff.locator("td[data-kind='removed']", has_text='"default": 30')).to_have_count(1)
    expect(diff.locator("td[data-kind='added']", has_text='"default": 40')).to_have_count(1)
    expect(page.get_by_test_id("diff-summary")).to_contain_text("Lines added: 1 · removed: 1")
    expect(diff.get_by_role("button", name=re.compile(r"^\d+ unchanged lines$")).first).to_be_visible()
    # version 1 against 3 shows every change
    page.get_by_label("Older version").select_option("1")
    expect(diff.locator("td[data-kind='added']", has_text='"action": "sell"')).to_have_count(1)
    expect(diff.locator("td[data-kind='added']", has_text='"default": 12')).to_have_count(1)
    page.screenshot(path=str(ARTIFACTS / "strategy-history-1440.png"), full_page=True)

    # export: the API names the file; its document is the latest version
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export").click()
    download = download_info.value
    assert re.fullmatch(r"e2e-sma-\d+-v3\.json", download.suggested_filename), download.suggested_filename
    exported = tmp_path / download.suggested_filename
    download.save_as(exported)
    document = json.loads(exported.read_text())
    assert document["parameters"]["slow"]["default"] == 40
    assert document["rules"][1]["action"] == "sell"

    # unsaved work: leaving through the navigation asks first; Stay keeps the page and the edit,
    # Leave goes (and discards it)
    page.get_by_role("tab", name="Rule builder").click()
    field(page, "parameters.slow.default").fill("45")
    go_nav = page.get_by_role("navigation").get_by_role("link", name="Backtests", exact=True)
    go_nav.click()
    prompt = page.get_by_role("dialog", name="Leave without saving?")
    expect(prompt).to_be_visible()
    expect(prompt).to_contain_text("Your changes on this page are not saved")
    prompt.get_by_role("button", name="Stay on this page").click()
    expect(prompt).to_have_count(0)
    assert page.evaluate("() => location.pathname") == f"/strategies/{strategy_id}"
    expect(field(page, "parameters.slow.default")).to_have_value("45")
    go_nav.click()
    page.get_by_role("dialog", name="Leave without saving?").get_by_role(
        "button", name="Leave and discard"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Backtests")).to_be_visible(timeout=10_000)

    # import it back as a new strategy (version 1 of a new id)
    go(page, "Strategies", "Strategies")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import file").click()
    chooser.value.set_files(str(exported))
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible(timeout=10_000)
    copy_id = page.evaluate("() => location.pathname").rsplit("/", 1)[-1]
    assert copy_id != strategy_id
    expect(page.get_by_text("version 1", exact=False).first).to_be_visible()
    expect(field(page, "parameters.slow.default")).to_have_value("40")

    # a file that is not a valid strategy is refused with its problems
    page.get_by_role("link", name="All strategies").click()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**document, "rules": [{"id": "x", "when": {"op": ">"}, "action": "hold"}]}))
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import file").click()
    chooser.value.set_files(str(bad))
    refused = page.get_by_role("dialog", name="The file could not be imported")
    expect(refused).to_be_visible(timeout=10_000)
    expect(refused.get_by_test_id("import-problems")).to_contain_text("rules.0")
    refused.get_by_role("button").first.click()

    # search finds both; delete the copy (confirmed)
    page.get_by_label("Search by name").fill(name)
    expect(page.get_by_test_id(f"strategy-{strategy_id}")).to_be_visible(timeout=10_000)
    expect(page.get_by_test_id(f"strategy-{copy_id}")).to_be_visible()
    page.get_by_test_id(f"strategy-{copy_id}").get_by_role("button", name=f"Delete {name}").click()
    confirm = page.get_by_role("dialog", name=f"Delete “{name}”?")
    confirm.get_by_role("button", name="Delete strategy").click()
    expect(page.get_by_test_id(f"strategy-{copy_id}")).to_have_count(0, timeout=10_000)
    expect(page.get_by_test_id(f"strategy-{strategy_id}")).to_be_visible()
    # the tag filter finds the tagged original
    page.get_by_label("Tag", exact=True).fill("trend")
    expect(page.get_by_test_id(f"strategy-{strategy_id}")).to_contain_text("trend")


def test_the_editor_fits_a_phone_and_passes_axe_in_both_themes(stack: Any, app: Page) -> None:
    page = app
    go(page, "Strategies", "Strategies")
    page.get_by_role("button", name="New strategy").click()
    dialog = page.get_by_role("dialog", name="New strategy from a template")
    dialog.get_by_label("Template").select_option(label="Donchian breakout (turtle)")
    dialog.get_by_role("button", name="Create").click()
    expect(status(page)).to_contain_text("Valid", timeout=CHECK)
    # a broken field is drawn as invalid in each theme too
    field(page, "rules.0.when.left").fill("nope")
    field(page, "rules.0.when.left").press("Escape")
    expect(field(page, "rules.0.when.left")).to_have_attribute("aria-invalid", "true", timeout=CHECK)
    problems: list[str] = []
    for scheme, width_name, width in looks(page):
        for tab in ("Rule builder", "JSON", "History"):
            page.get_by_role("tab", name=tab).click()
            settle(page)
            slug = tab.split()[-1].lower()
            page.screenshot(path=str(ARTIFACTS / f"strategy-{slug}-{width}-{scheme}.png"), full_page=True)
            if width_name == "phone" and overflow(page):
                problems.append(f"the {tab} tab overflows at {width} px ({scheme})")
            problems += [f"{tab} at {width} px ({scheme}): {v}" for v in axe_violations(page)]
    assert problems == [], "\n".join(problems)
