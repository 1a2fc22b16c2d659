"""The web app's shell and its first pages in a real browser against ``make run``'s stack.

Every page built on the shell (Overview, Health, Notifications, Settings) is visited through the left
navigation at 1440 and 390 px wide: a screenshot of each lands in ``tests/e2e/artifacts/``, nothing
may overflow horizontally on the phone, and axe-core finds no serious or critical violation (light
and dark theme). Then: French leaves no English string of our translations on those pages,
notifications are marked read one and all (the bell follows), and an API key is created (its secret
shown once) and revoked.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
AXE = FRONTEND / "node_modules" / "axe-core" / "axe.min.js"
SAMPLE_TIMEOUT = 180.0

# (route, nav label in English, nav label in French, page heading in English)
PAGES = [
    ("/", "Overview", "Vue d\u2019ensemble", "Overview"),
    ("/data", "Data", "Données", "Data"),
    ("/watchlists", "Watchlists", "Listes de suivi", "Watchlists"),
    ("/strategies", "Strategies", "Stratégies", "Strategies"),
    ("/backtests", "Backtests", "Backtests", "Backtests"),
    ("/optimizations", "Optimizations", "Optimisations", "Optimizations"),
    ("/pipeline", "Pipeline", "Pipeline", "Pipeline"),
    ("/pipeline/signals", "Signals", "Signaux", "Signals"),
    ("/pipeline/breadth", "Breadth", "Ampleur du marché", "Market breadth"),
    ("/jobs", "Jobs", "Tâches", "Jobs"),
    ("/schedules", "Schedules", "Planifications", "Schedules"),
    ("/workflows", "Workflows", "Enchaînements", "Workflows"),
    ("/commands", "Commands", "Commandes", "Commands"),
    ("/notifications", "Notifications", "Notifications", "Notifications"),
    ("/health", "Health", "État du système", "System health"),
    ("/audit", "Audit", "Audit", "Audit trail"),
    ("/settings", "Settings", "Paramètres", "Settings"),
    ("/integrations", "Integrations", "Intégrations", "Integrations"),
    ("/members", "Members", "Membres", "Members"),
]
WIDTHS = {"desktop": 1440, "phone": 390}

AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
}"""

# The text a reader sees: visible text nodes, less content marked translate="no" (names, server text).
VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || el.closest('[translate="no"], script, style, [aria-hidden="true"]')) continue;
    if (!el.checkVisibility({ visibilityProperty: true })) continue;
    const text = node.textContent.trim();
    if (text) out.push(text);
  }
  return out.join("\\n");
}"""


def _flatten(tree: dict[str, Any], prefix: str) -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _translations(lang: str) -> dict[str, str]:
    found = _flatten(json.loads((FRONTEND / "src/i18n/locales" / f"{lang}.json").read_text()), "common:")
    for path in sorted((FRONTEND / "src/features").glob(f"*/locales/{lang}.json")):
        found.update(_flatten(json.loads(path.read_text()), f"{path.parts[-3]}:"))
    return found


def english_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """A pattern for each English string that French words differently (placeholders match anything short)."""
    en, fr = _translations("en"), _translations("fr")
    patterns = []
    for key, value in en.items():
        if fr.get(key, "").strip().lower() == value.strip().lower():
            continue
        parts = re.split(r"{{\s*\w+\s*}}", value)
        literal = "".join(parts)
        if len(re.sub(r"[^A-Za-z]", "", literal)) < (4 if len(parts) == 1 else 8):
            continue
        body = r"[^\n]{0,60}?".join(re.escape(part) for part in parts)
        start = r"\b" if re.match(r"\w", value) else ""
        end = r"\b" if re.search(r"\w$", value) else ""
        patterns.append((key, re.compile(f"{start}{body}{end}")))
    return patterns


def _get(stack: Any, path: str, **kwargs: Any) -> httpx.Response:
    return httpx.get(f"{stack.url}{path}", headers=kwargs.pop("headers", stack.headers), timeout=10, **kwargs)


def sample_symbols(stack: Any, count: int) -> list[str]:
    deadline = time.monotonic() + SAMPLE_TIMEOUT
    while True:
        dataset = httpx.get(f"{stack.url}/datasets/sample", headers=stack.headers, timeout=10)
        if dataset.status_code == 200 and dataset.json()["status"] == "ready":
            break
        assert time.monotonic() < deadline, f"the sample dataset is not ready: {dataset.text}"
        time.sleep(0.5)
    found = _get(stack, "/symbols", params={"q": "", "limit": 100}).json()["items"]
    return [s["symbol"] for s in found if any(d["dataset_id"] == "sample" for d in s["datasets"])][:count]


@pytest.fixture(scope="module")
def finished_jobs(stack: Any) -> list[str]:
    """Two small sweeps run through the API (as the CLI would): jobs for the Overview, and a
    `job.completed` notification each."""
    symbols = sample_symbols(stack, 1)
    template = _get(stack, "/strategies/templates/sma_cross").json()
    ids = []
    for n, slow in enumerate((40, 50)):
        body = {
            "strategy": template["document"],
            "dataset_id": "sample",
            "symbols": symbols,
            "space": {"fast": {"min": 5, "max": 10, "step": 5}, "slow": {"min": 30, "max": slow, "step": 10}},
            "objective": {"metric": "sharpe", "direction": "maximize"},
            "metrics": "screening",
            "name": f"Shell sweep {n + 1}",
        }
        answer = httpx.post(f"{stack.url}/optimizations", json=body, headers=stack.headers, timeout=30)
        assert answer.status_code in (200, 202), answer.text
        ids.append(answer.json()["job_id"])
    deadline = time.monotonic() + 120
    for job_id in ids:
        while _get(stack, f"/jobs/{job_id}").json()["status"] not in ("succeeded", "failed"):
            assert time.monotonic() < deadline, f"job {job_id} did not finish"
            time.sleep(0.5)
    return ids


@pytest.fixture
def app(stack: Any, page: Page, finished_jobs: list[str]) -> Page:
    """The app in English, light theme, at desktop width."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    # Before the app's first script, once per tab (a reload keeps what the test chose since).
    page.add_init_script(
        "if (!sessionStorage.getItem('e2e-start')) { sessionStorage.setItem('e2e-start', '1');"
        " localStorage.setItem('tradewind.language', 'en');"
        " localStorage.setItem('tradewind.colorScheme', 'light'); }"
    )
    page.goto(f"{stack.url}/")
    expect(page.get_by_role("heading", level=1, name="Overview")).to_be_visible(timeout=20_000)
    return page


def go(page: Page, nav_label: str, heading: str | None = None) -> None:
    """Open a page through the left navigation (behind the burger on a phone)."""
    burger = page.get_by_role("button", name=re.compile("^(Open navigation|Ouvrir la navigation)$"))
    if burger.is_visible():
        burger.click()
    page.get_by_role("navigation").get_by_role("link", name=nav_label, exact=True).click()
    if heading:
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible(timeout=10_000)
    expect(page.get_by_label(re.compile("^(Loading|Chargement)$"))).to_have_count(0, timeout=10_000)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    # From the top: the header is fixed, and axe takes the colours of whatever it covers for the
    # background of the text under it (a full-page screenshot may leave the page scrolled).
    page.evaluate("() => window.scrollTo(0, 0)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN)


def choose(page: Page, option: str) -> None:
    """Pick an option of a segmented control (its radio input is visually hidden: click its label)."""
    radio = page.get_by_role("radio", name=option, exact=True)
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()


def settle(page: Page) -> None:
    page.wait_for_timeout(400)  # transitions (burger, badges) end before a screenshot or a check


def overflow(page: Page) -> int | None:
    """How wide the document is when it is wider than the window, else None."""
    wide, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    return int(wide) if wide > inner else None


def looks(page: Page) -> Iterator[tuple[str, str, int]]:
    """Sets the page light, then dark, each at every width of WIDTHS: (scheme, width name, width)."""
    for scheme in ("light", "dark"):
        if scheme == "dark":
            page.get_by_role("button", name="Switch to dark theme").click()
            expect(page.locator("html")).to_have_attribute("data-mantine-color-scheme", "dark")
        for width_name, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            yield scheme, width_name, width


def fits_and_passes_axe(page: Page, name: str) -> list[str]:
    """The open page, light then dark, at each width: screenshots as artifacts, what overflows on
    the phone and axe-core's serious or critical violations (left light, at desktop width)."""
    problems: list[str] = []
    for scheme, width_name, width in looks(page):
        settle(page)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}-{scheme}.png"), full_page=True)
        if width_name == "phone" and (wide := overflow(page)):
            problems.append(f"{name} at {width} px ({scheme}) is {wide} px wide")
        problems += [f"{name} at {width} px ({scheme}): {v}" for v in axe_violations(page)]
    page.get_by_role("button", name="Switch to light theme").click()
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    return problems


def test_every_page_fits_and_passes_axe_at_desktop_and_phone_widths(stack: Any, app: Page) -> None:
    page = app
    expect(page.get_by_test_id("realtime-badge")).to_have_attribute("data-state", "connected", timeout=20_000)
    problems: list[str] = []
    for scheme, width_name, width in looks(page):
        for route, nav, _fr, heading in PAGES:
            go(page, nav, heading)
            assert page.evaluate("() => location.pathname") == route
            settle(page)
            shot = ARTIFACTS / f"{route.strip('/') or 'overview'}-{width}-{scheme}.png"
            page.screenshot(path=str(shot), full_page=True)
            if width_name == "phone" and (wide := overflow(page)):
                problems.append(f"{route} at {width} px ({scheme}) is {wide} px wide")
            problems += [f"{route} at {width} px ({scheme}): {v}" for v in axe_violations(page)]
    # the theme is remembered
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-mantine-color-scheme", "dark")
    assert problems == [], "\n".join(problems)


def test_the_shell_shows_live_state_and_navigates(stack: Any, app: Page) -> None:
    page = app
    badge = page.get_by_test_id("realtime-badge")
    expect(badge).to_have_attribute("data-state", "connected", timeout=20_000)
    # the protocol's ping measures the round trip shown in the badge
    expect(badge).to_have_attribute("aria-label", re.compile(r"^Connected · \d+ ms$"), timeout=10_000)
    expect(page.get_by_role("link", name=re.compile(r"^Notifications: "))).to_be_visible()
    # a job run from elsewhere (the API, as the CLI does) is listed with its outcome
    jobs = page.get_by_role("list", name="Recent jobs")
    expect(jobs.get_by_text("Shell sweep 1", exact=True)).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("card-jobs-value")).not_to_have_text("0")
    go(page, "Health", "System health")
    expect(page.get_by_test_id("health-status")).to_have_text("ready", timeout=20_000)
    # an unknown address answers the app's not-found page, inside the shell
    page.evaluate(
        "() => { history.pushState({}, '', '/nowhere'); dispatchEvent(new PopStateEvent('popstate')); }"
    )
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()


def test_french_leaves_no_english_on_the_pages(stack: Any, app: Page) -> None:
    page = app
    page.get_by_role("button", name="Switch to Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    patterns = english_patterns()
    assert len(patterns) > 50, "the English strings were not found"
    left: list[str] = []
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 900})
        for route, _nav, nav_fr, _heading in PAGES:
            go(page, nav_fr)
            assert page.evaluate("() => location.pathname") == route
            settle(page)
            if route == "/notifications":  # the sweeps' notifications are on screen, so checked below
                notes = page.get_by_role("list", name="Liste des notifications").get_by_role("listitem")
                expect(notes.first).to_contain_text("Optimisation « Shell sweep")
            shot = ARTIFACTS / f"{route.strip('/') or 'overview'}-{width}-fr.png"
            page.screenshot(path=str(shot), full_page=True)
            text = page.evaluate(VISIBLE_TEXT)
            left += [f"{route} at {width} px: {key} {m[0]!r}" for key, p in patterns if (m := p.search(text))]
    assert left == [], "English left in French:\n" + "\n".join(left)
    go(page, "Paramètres")
    page.reload()  # remembered
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1, name="Paramètres")).to_be_visible(timeout=20_000)


def test_notifications_are_marked_read_one_then_all(stack: Any, app: Page) -> None:
    page = app
    unread = _get(stack, "/notifications/unread-count").json()["unread"]
    assert unread >= 2, "the module's sweeps should have left two unread notifications"
    bell = page.get_by_test_id("unread-count")
    expect(bell).to_have_attribute("data-count", str(unread), timeout=10_000)
    go(page, "Notifications", "Notifications")
    choose(page, "Unread")
    items = page.get_by_role("list", name="Notification list").get_by_role("listitem")
    expect(items.first).to_be_visible()
    expect(items).to_have_count(min(unread, 20))
    items.first.get_by_role("button", name=re.compile("^Mark read")).click()
    expect(bell).to_have_attribute("data-count", str(unread - 1), timeout=10_000)
    page.get_by_role("button", name="Mark all read").click()
    expect(bell).to_have_attribute("data-count", "0", timeout=10_000)
    expect(page.get_by_text("No unread notifications.")).to_be_visible()
    choose(page, "All")
    expect(items.first).to_be_visible()
    expect(page.locator("[data-unread='true']")).to_have_count(0)
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "notifications-read.png"), full_page=True)


def test_create_and_revoke_an_api_key(stack: Any, app: Page) -> None:
    page = app
    go(page, "Settings", "Settings")
    name = f"e2e key {int(time.time())}"
    page.get_by_role("textbox", name="Name").fill(name)
    page.get_by_role("button", name="Create key").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("it will not be shown again")
    secret = dialog.get_by_test_id("new-key-secret").inner_text().strip()
    assert len(secret) > 20
    signed = {"Authorization": f"Bearer {secret}"}
    assert _get(stack, "/datasets", headers=signed).status_code == 200
    expect(dialog.get_by_role("button", name="Copy")).to_be_visible()
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "settings-key-created.png"))
    dialog.get_by_role("button", name="Done").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    row = page.get_by_role("row").filter(has_text=name)
    expect(row).to_contain_text("active")
    row.get_by_role("button", name=f"Revoke {name}").click()
    page.get_by_role("dialog").get_by_role("button", name="Revoke key").click()
    expect(row).to_contain_text("revoked", timeout=10_000)
    assert _get(stack, "/datasets", headers=signed).status_code == 401
