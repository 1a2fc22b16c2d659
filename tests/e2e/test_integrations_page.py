"""Integrations in a real browser against ``make run``'s stack: a webhook channel created in the app,
pointing at a receiver this test starts on 127.0.0.1 (``make run`` allows loopback URLs), receives
"Send test" through the delivery queue and Lambda, signed with the secret the app showed once, and
the delivery appears in the channel's log. Widths, axe and French for /integrations are in
test_app_shell (PAGES)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tradewind.alerts.payloads import verify

from tests.e2e.test_app_shell import ARTIFACTS, WIDTHS

pytestmark = pytest.mark.e2e


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    posts: list[tuple[dict[str, str], bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            posts.append((dict(self.headers.items()), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", posts
    server.shutdown()
    server.server_close()


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
    expect(overview.or_(key_form)).to_be_visible(timeout=20_000)
    if key_form.is_visible():  # a build that asks for a credential instead of using make run's key
        key_form.get_by_role("textbox", name="API key").fill(stack.api_key)
        key_form.get_by_role("button", name="Use key").click()
    expect(overview).to_be_visible(timeout=20_000)
    return page


def test_a_webhook_channel_receives_send_test_and_logs_it(
    app: Page, receiver: tuple[str, list[tuple[dict[str, str], bytes]]]
) -> None:
    page, (url, posts) = app, receiver
    page.get_by_role("link", name="Integrations").first.click()
    expect(page.get_by_role("heading", level=1, name="Integrations")).to_be_visible()
    page.get_by_role("link", name="New channel").click()
    page.get_by_role("textbox", name="Name").fill("e2e receiver")
    page.get_by_label("URL").fill(url)
    page.get_by_role("button", name="Create channel").click()

    dialog = page.get_by_role("dialog", name="Signing secret")
    expect(dialog).to_be_visible(timeout=10_000)
    secret = dialog.get_by_test_id("signing-secret").inner_text().strip()
    assert secret.startswith("whsec_")
    dialog.get_by_role("button", name="Done").click()
    page.wait_for_url(re.compile(r"/integrations/[0-9a-f]+$"), timeout=10_000)
    expect(page.get_by_role("heading", level=1, name="e2e receiver")).to_be_visible()
    expect(page.get_by_text(secret)).to_have_count(0)  # never shown again

    page.get_by_role("button", name="Send test").click()
    row = page.get_by_test_id("delivery-row").first
    expect(row).to_contain_text("delivered", timeout=30_000)
    expect(row).to_contain_text("Test alert for 'e2e receiver'")
    expect(row).to_contain_text("204")
    page.screenshot(path=str(ARTIFACTS / "integrations-channel.png"), full_page=True)

    ((headers, body),) = posts
    assert headers["X-Tradewind-Event"] == "test"
    assert verify(secret, headers["X-Tradewind-Signature"], body, now=int(time.time()))
