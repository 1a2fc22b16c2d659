"""People in the web app, in a real browser against ``make run``'s stack (issue #12).

The tabs here do not get the local API key: people sign in through the sign-in page with the local
Cognito (moto's, reached through the stack's ``/cognito/``). The local admin (the banner's user) signs
in and lands on the page asked for, stays signed in across a reload (the tab's refresh token) and
signs out; invites a member from the Members page. A viewer (invited through the API, which creates
their user; the temporary password read from the stack's log) chooses a password on first sign-in,
accepts the invitation, finds the backtest's Run control disabled with the role it needs, and the API
refuses the same call with 403.
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import chromium_context

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
STORED_KEYS = "() => ({ session: Object.keys(sessionStorage), local: Object.keys(localStorage) })"
ENGLISH_LIGHT = (
    "() => { localStorage.setItem('tradewind.language', 'en');"
    " localStorage.setItem('tradewind.colorScheme', 'light'); }"
)


@pytest.fixture(scope="module")
def signed_out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """Chromium whose tabs start signed out (no local key chosen)."""
    with chromium_context(tmp_path_factory.mktemp("accounts-profile"), use_config_key=False) as context:
        context.add_init_script(ENGLISH_LIGHT)
        yield context


@pytest.fixture
def tab(signed_out: BrowserContext) -> Iterator[Page]:
    """A fresh tab (its own sessionStorage: signed out) failing the test on an uncaught page error."""
    page = signed_out.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert errors == [], f"uncaught errors in the page: {errors}"


def local_user(stack: Any) -> dict[str, str]:
    """The banner's user: ``<data dir>/local-user`` (infra/local/accounts.py)."""
    user: dict[str, str] = json.loads((stack.data_dir / "local-user").read_text())
    return user


def sign_in(page: Page, email: str, password: str) -> None:
    expect(page.get_by_role("heading", name="Sign in", level=2)).to_be_visible(timeout=20_000)
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password")).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_the_local_user_signs_in_where_asked_stays_on_reload_and_signs_out(stack: Any, tab: Page) -> None:
    user = local_user(stack)
    tab.goto(f"{stack.url}/members")
    sign_in(tab, user["email"], "not-the-password")
    expect(tab.get_by_role("alert")).to_have_text("Wrong email or password.")
    tab.get_by_label(re.compile(r"^Password")).fill(user["password"])
    tab.get_by_role("button", name="Sign in", exact=True).click()

    expect(tab.get_by_role("heading", name="Members", level=1)).to_be_visible(timeout=20_000)
    assert tab.url.endswith("/members")
    expect(tab.get_by_test_id(f"member-{user['email']}")).to_contain_text("You")
    tab.screenshot(path=str(ARTIFACTS / "accounts-members.png"), full_page=True)
    # Only the refresh token is kept, in this tab's sessionStorage; nothing secret in localStorage.
    stored = tab.evaluate(STORED_KEYS)
    assert stored["session"] == ["tradewind.refreshToken"]
    assert not [key for key in stored["local"] if "token" in key.lower() or "apikey" in key.lower()]

    tab.get_by_role("button", name="Account").click()
    expect(tab.get_by_test_id("account-email")).to_have_text(user["email"])
    expect(tab.get_by_test_id("account-role")).to_have_text("Admin in local")
    tab.keyboard.press("Escape")

    tab.reload()
    expect(tab.get_by_role("heading", name="Members", level=1)).to_be_visible(timeout=20_000)

    tab.get_by_role("button", name="Account").click()
    tab.get_by_role("menuitem", name="Sign out").click()
    expect(tab.get_by_role("heading", name="Sign in", level=2)).to_be_visible()
    assert tab.evaluate("() => sessionStorage.getItem('tradewind.refreshToken')") is None


def test_an_admin_invites_a_member_from_the_members_page(stack: Any, tab: Page) -> None:
    user = local_user(stack)
    email = f"member-{uuid.uuid4().hex[:8]}@example.com"
    tab.goto(f"{stack.url}/members")
    sign_in(tab, user["email"], user["password"])
    form = tab.get_by_role("form", name="Invite")
    expect(form).to_be_visible(timeout=20_000)
    form.get_by_label("Email").fill(email)
    form.get_by_label("Role").click()
    tab.get_by_role("option", name="Researcher").click()
    form.get_by_role("button", name="Invite").click()

    row = tab.get_by_test_id(f"invitation-{email}")
    expect(row).to_contain_text("Researcher", timeout=20_000)
    pending = httpx.get(f"{stack.url}/org/invitations", headers=stack.headers, timeout=10).json()
    assert [(i["email"], i["role"]) for i in pending if i["email"] == email] == [(email, "researcher")]


def _viewer(stack: Any) -> tuple[str, str]:
    """A person invited as viewer through the API, which creates their user; the local stage logs the
    temporary password Cognito would have emailed (never in an API answer)."""
    email = f"viewer-{uuid.uuid4().hex[:8]}@example.com"
    invitation = {"email": email, "role": "viewer"}
    invited = httpx.post(f"{stack.url}/org/invitations", json=invitation, headers=stack.headers, timeout=10)
    assert invited.status_code == 201, invited.text
    assert "password" not in invited.text.lower()
    logged = re.findall(
        rf"local invitee created: {re.escape(email)} temporary password: (\S+?)[\"\s]",
        stack.log_path.read_text(errors="replace"),
    )
    assert len(logged) == 1, f"no temporary password logged for {email}"
    return email, logged[0]


def _first_sign_in_and_accept(tab: Page, email: str, temporary: str) -> str:
    """The invited person's first sign-in: choose a password, accept the invitation; the password."""
    password = f"Chosen-{uuid.uuid4().hex[:10]}-9Z"
    sign_in(tab, email, temporary)
    expect(tab.get_by_role("heading", name="Choose your password")).to_be_visible(timeout=20_000)
    tab.get_by_label(re.compile(r"^New password")).fill(password)
    tab.get_by_label("Repeat the new password").fill(password)
    tab.get_by_role("button", name="Set password and sign in").click()

    no_org = tab.get_by_role("heading", name="You are not in an organisation yet")
    expect(no_org).to_be_visible(timeout=20_000)
    tab.get_by_role("button", name="Accept").click()
    return password


def test_a_viewer_finds_the_run_control_disabled_and_the_api_refuses(stack: Any, tab: Page) -> None:
    email, temporary = _viewer(stack)
    tab.goto(f"{stack.url}/backtests")
    password = _first_sign_in_and_accept(tab, email, temporary)

    tab.get_by_role("button", name="New backtest").click(timeout=20_000)
    run = tab.get_by_role("button", name="Run backtest")
    expect(run).to_be_visible(timeout=20_000)
    expect(run).to_be_disabled()
    expect(tab.locator("[data-needs-role=researcher]").first).to_contain_text("Needs the Researcher role")
    tab.screenshot(path=str(ARTIFACTS / "accounts-viewer-backtests.png"), full_page=True)

    # The same call from the viewer's own ID token: the API refuses it, naming the role needed.
    signed = httpx.post(
        f"{stack.url}/cognito/",
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
        },
        content=json.dumps(
            {
                "AuthFlow": "USER_PASSWORD_AUTH",
                "ClientId": httpx.get(f"{stack.url}/config.json", timeout=10).json()["cognito"]["clientId"],
                "AuthParameters": {"USERNAME": email, "PASSWORD": password},
            }
        ),
        timeout=10,
    )
    assert signed.status_code == 200, signed.text
    id_token = signed.json()["AuthenticationResult"]["IdToken"]
    headers = {"Authorization": f"Bearer {id_token}", "X-Org-Id": "local"}
    me = httpx.get(f"{stack.url}/me", headers=headers, timeout=10).json()
    assert (me["email"], me["org_id"], me["role"]) == (email, "local", "viewer")
    refused = httpx.post(f"{stack.url}/backtests", json={}, headers=headers, timeout=10)
    assert refused.status_code == 403, refused.text
    assert "researcher" in refused.json()["detail"]


def _totp(secret: str) -> str:
    """An authenticator app's current code for ``secret`` (RFC 6238), away from a step's end."""
    from cryptography.hazmat.primitives.hashes import SHA1
    from cryptography.hazmat.primitives.twofactor.totp import TOTP

    padded = secret + "=" * (-len(secret) % 8)
    totp = TOTP(base64.b32decode(padded, casefold=True), 6, SHA1(), 30, enforce_key_length=False)
    if time.time() % 30 > 27:  # moto checks the current step only: do not straddle two
        time.sleep(30 - time.time() % 30)
    return totp.generate(time.time()).decode()


def test_a_person_turns_on_an_authenticator_and_the_next_sign_in_asks_for_a_code(
    stack: Any, tab: Page
) -> None:
    """On moto, with codes checked for real (make run sets MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP)."""
    email, temporary = _viewer(stack)
    tab.goto(f"{stack.url}/strategies")
    password = _first_sign_in_and_accept(tab, email, temporary)
    tab.get_by_role("button", name="Account").click(timeout=20_000)
    tab.get_by_role("menuitem", name="Security").click()
    expect(tab.get_by_test_id("totp-status")).to_have_text("Off", timeout=20_000)
    tab.get_by_role("button", name="Set up an authenticator app").click()
    expect(tab.get_by_role("img", name="QR code of the authenticator key")).to_be_visible(timeout=20_000)
    secret = tab.get_by_test_id("totp-secret").inner_text()
    tab.get_by_label(re.compile(r"^Authenticator code")).fill("000000")
    tab.get_by_role("button", name="Verify and turn on").click()
    expect(tab.get_by_text("That code is not right. Check it and try again.")).to_be_visible(timeout=20_000)
    tab.get_by_label(re.compile(r"^Authenticator code")).fill(_totp(secret))
    tab.get_by_role("button", name="Verify and turn on").click()
    expect(tab.get_by_test_id("totp-status")).to_have_text("On", timeout=20_000)
    tab.screenshot(path=str(ARTIFACTS / "accounts-security-totp-on.png"), full_page=True)

    tab.get_by_role("button", name="Account").click()
    tab.get_by_role("menuitem", name="Sign out").click()
    sign_in(tab, email, password)
    expect(tab.get_by_role("heading", name="Two-step verification")).to_be_visible(timeout=20_000)
    tab.get_by_role("group", name="Authenticator code").get_by_role("textbox").first.click()
    tab.keyboard.type(_totp(secret))
    expect(tab.get_by_role("button", name="Account")).to_be_visible(timeout=20_000)  # signed in
    tab.goto(f"{stack.url}/security")
    expect(tab.get_by_test_id("totp-status")).to_have_text("On", timeout=20_000)
