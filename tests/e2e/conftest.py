"""The ``stack`` fixture: ``python -m infra.local`` (what ``make run`` starts) as a subprocess.

One stack per session on a free port with a temporary data directory (see
:class:`infra.local.launcher.LocalStack`): ``stack.url``, ``stack.ws_url``, ``stack.api_key``,
``stack.headers`` and ``stack.restart()`` (SIGINT, then start again on the same data directory).

``browser`` (a headless Debian ``/usr/bin/chromium`` per module: sync playwright runs an event loop
while it is open, which would break the ``asyncio.run`` of later modules) and ``page`` (a fresh tab
that fails the test on any uncaught error in the page) drive the dashboard the stack serves from
``frontend/dist``. Its tabs get in with the local API key of ``/config.json``, as a person choosing
"use an API key" on the sign-in page would (``USE_CONFIG_KEY``); ``test_accounts_pages.py`` signs
people in through the page itself with ``chromium_context(..., use_config_key=False)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, sync_playwright

from infra.local.launcher import LocalStack

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """The local stack, started once per session (the sample universe seeds in the background)."""
    running = LocalStack(data_dir=tmp_path_factory.mktemp("stack") / "data")
    running.start()
    try:
        yield running
    finally:
        running.stop()


# The web app's "use this computer's local key" choice (frontend/src/config.ts), made before any script
# of the page runs: the tab signs in with /config.json's key (given to loopback callers only).
USE_CONFIG_KEY = "window.sessionStorage.setItem('tradewind.useConfigKey', '1');"


@contextmanager
def chromium_context(profile: Path, *, use_config_key: bool = True) -> Iterator[BrowserContext]:
    """A headless Chromium context on a fresh profile (see the module docstring)."""
    if not CHROMIUM.exists():
        pytest.fail("chromium is not installed: run `make browser` (apt-get install chromium)")
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        pytest.fail("frontend/dist is not built: run `make frontend` (cd frontend && npm run build)")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1100, "height": 800},
        )
        if use_config_key:
            context.add_init_script(USE_CONFIG_KEY)
        yield context
        context.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    with chromium_context(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


@pytest.fixture
def page(browser: BrowserContext) -> Iterator[Page]:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert errors == [], f"uncaught errors in the page: {errors}"
