"""Sign-in on moto's Cognito, end to end: the pool and clients provisioned from the synthesized
template into a moto *server* (its JWKS is served over HTTP, as Cognito's), the local admin created
as ``make run`` does, real RS256 ID tokens from ``InitiateAuth``, verified by the API against the
pool's JWKS; invitations, the last-admin rule and key expiry through the API; the browser's Cognito
proxy; the CLI's login, silent refresh and logout."""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from fastapi.testclient import TestClient

from infra.local import moto_fixes
from infra.local.accounts import CognitoProxy, LocalUser, ensure_local_user
from infra.local.moto_server import EmbeddedMoto
from infra.local.provision import Provisioned, provision
from infra.local.template import SynthesizedStack

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Bob-passw0rd!!"


@dataclass
class Stack:
    moto: EmbeddedMoto
    provisioned: Provisioned
    pool_id: str
    admin: LocalUser
    api: TestClient

    def sign_in(self, email: str, password: str, client: str = "web") -> str:
        """A real ID token from moto's Cognito (USER_PASSWORD_AUTH)."""
        answer = boto3.client("cognito-idp").initiate_auth(
            ClientId=self.provisioned.user_pool_clients[client],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": password},
        )
        return str(answer["AuthenticationResult"]["IdToken"])

    def headers(self, email: str, password: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.sign_in(email, password)}"}

    def create_person(self, email: str) -> None:
        cognito = boto3.client("cognito-idp")
        cognito.admin_create_user(
            UserPoolId=self.pool_id,
            Username=email,
            UserAttributes=[{"Name": "email", "Value": email}],
            MessageAction="SUPPRESS",
        )
        cognito.admin_set_user_password(
            UserPoolId=self.pool_id, Username=email, Password=PASSWORD, Permanent=True
        )


@pytest.fixture(scope="module")
def stack(synthesized_stack: SynthesizedStack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    from tradewind.accounts import members, tokens
    from tradewind.api.app import create_app
    from tradewind.aws import reset_clients
    from tradewind.services import apikeys
    from tradewind.settings import get_settings

    saved = dict(os.environ)
    moto = EmbeddedMoto("127.0.0.1")
    moto.start()
    try:
        os.environ.update(
            {
                "AWS_ENDPOINT_URL": moto.url,
                "MOTO_PORT": str(moto.port),
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_REGION": "us-east-1",
                "MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP": "true",  # as make run: codes are checked
            }
        )
        moto_fixes.install()  # as bring_up does (moto bugs the template meets)
        provisioned = provision(synthesized_stack, ROOT / "functions")
        pool_id = provisioned.environment["TW_COGNITO_USER_POOL_ID"]
        os.environ.update(provisioned.environment)
        os.environ["TW_COGNITO_JWKS_URL"] = f"{moto.url}/{pool_id}/.well-known/jwks.json"
        for reset in (get_settings.cache_clear, reset_clients, apikeys.clear_cache, members.clear_cache):
            reset()
        tokens._jwks_client.cache_clear()
        admin = ensure_local_user(tmp_path_factory.mktemp("local"), pool_id, "local")
        with TestClient(create_app(), raise_server_exceptions=False) as api:
            yield Stack(moto, provisioned, pool_id, admin, api)
    finally:
        # The embedded server turned on real Step Functions executions for the whole process (moto's
        # config is global): later tests expect moto's default, and clients bound to this server go.
        requests.post(
            f"{moto.url}/moto-api/config",
            json={"stepfunctions": {"execute_state_machine": False}},
            timeout=10,
        ).raise_for_status()
        os.environ.clear()
        os.environ.update(saved)
        get_settings.cache_clear()
        reset_clients()
        reset_clients()
        tokens._jwks_client.cache_clear()


def test_the_template_provisions_the_pool_and_both_clients(stack: Stack) -> None:
    assert set(stack.provisioned.user_pool_clients) == {"web", "cli"}
    assert set(os.environ["TW_COGNITO_CLIENT_IDS"].split(",")) == set(
        stack.provisioned.user_pool_clients.values()
    )
    pool = boto3.client("cognito-idp").describe_user_pool(UserPoolId=stack.pool_id)["UserPool"]
    assert pool["UsernameAttributes"] == ["email"]


def test_the_local_admin_signs_in_with_a_real_token(stack: Stack) -> None:
    me = stack.api.get("/me", headers=stack.headers(stack.admin.email, stack.admin.password)).json()
    assert (me["kind"], me["email"], me["org_id"], me["role"]) == (
        "user",
        stack.admin.email,
        "local",
        "admin",
    )
    assert me["user_id"] == stack.admin.user_id
    cli_token = stack.sign_in(stack.admin.email, stack.admin.password, client="cli")
    assert stack.api.get("/me", headers={"Authorization": f"Bearer {cli_token}"}).status_code == 200


def test_a_wrong_password_gets_no_token_and_an_access_token_is_refused(stack: Stack) -> None:
    cognito = boto3.client("cognito-idp")
    with pytest.raises(cognito.exceptions.NotAuthorizedException):
        stack.sign_in(stack.admin.email, "Not-the-passw0rd!")
    access = cognito.initiate_auth(
        ClientId=stack.provisioned.user_pool_clients["web"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": stack.admin.email, "PASSWORD": stack.admin.password},
    )["AuthenticationResult"]["AccessToken"]
    r = stack.api.get("/me", headers={"Authorization": f"Bearer {access}"})
    assert r.status_code == 401
    assert "ID token" in r.json()["detail"]


def _temporary_password(caplog: pytest.LogCaptureFixture, email: str) -> str:
    """The local stage logs the temporary password of a user created for an invitation (no mail)."""
    found = [
        r.getMessage().rsplit(" ", 1)[1]
        for r in caplog.records
        if r.getMessage().startswith(f"local invitee created: {email} ")
    ]
    assert len(found) == 1, caplog.text
    return found[0]


def _first_sign_in(stack: Stack, email: str, temporary: str, chosen: str) -> dict[str, str]:
    """NEW_PASSWORD_REQUIRED, as the web page and ``tradewind login`` answer it; the ID token's headers."""
    cognito = boto3.client("cognito-idp")
    client_id = stack.provisioned.user_pool_clients["web"]
    challenge = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": temporary},
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": email, "NEW_PASSWORD": chosen},
    )
    return stack.headers(email, chosen)


def _status(stack: Stack, email: str) -> str | None:
    cognito = boto3.client("cognito-idp")
    try:
        return str(cognito.admin_get_user(UserPoolId=stack.pool_id, Username=email)["UserStatus"])
    except cognito.exceptions.UserNotFoundException:
        return None


def test_an_invitation_creates_the_person_who_signs_in_accepts_and_the_role_holds(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("WARNING", logger="tradewind.accounts.invitees")
    admin = stack.headers(stack.admin.email, stack.admin.password)
    invitation = stack.api.post(
        "/org/invitations", headers=admin, json={"email": "Bob@Team.test", "role": "viewer"}
    )
    assert invitation.status_code == 201, invitation.text
    assert "password" not in invitation.text.lower()  # never in an API answer
    assert _status(stack, "bob@team.test") == "FORCE_CHANGE_PASSWORD"
    bob = _first_sign_in(stack, "bob@team.test", _temporary_password(caplog, "bob@team.test"), PASSWORD)
    assert stack.api.get("/jobs", headers=bob).status_code == 403  # not a member yet
    pending = stack.api.get("/me", headers=bob).json()["invitations"]
    assert [i["invitation_id"] for i in pending] == [invitation.json()["invitation_id"]]
    accepted = stack.api.post(f"/me/invitations/{pending[0]['invitation_id']}/accept", headers=bob)
    assert accepted.json() == {"org_id": "local", "role": "viewer"}
    assert stack.api.get("/jobs", headers=bob).status_code == 200
    refused = stack.api.post("/watchlists", headers=bob, json={"name": "w", "symbols": []})
    assert refused.status_code == 403
    assert "'researcher'" in refused.json()["detail"]


def test_an_existing_person_is_not_recreated_and_keeps_their_account_when_withdrawn(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("WARNING", logger="tradewind.accounts.invitees")
    stack.create_person("carol@team.test")
    admin = stack.headers(stack.admin.email, stack.admin.password)
    invitation = stack.api.post(
        "/org/invitations", headers=admin, json={"email": "carol@team.test", "role": "researcher"}
    ).json()
    assert "local invitee created: carol@team.test" not in caplog.text
    carol = stack.headers("carol@team.test", PASSWORD)  # her own password still works
    assert [i["role"] for i in stack.api.get("/me", headers=carol).json()["invitations"]] == ["researcher"]
    withdrawn = stack.api.delete(f"/org/invitations/{invitation['invitation_id']}", headers=admin)
    assert withdrawn.status_code == 204
    assert _status(stack, "carol@team.test") == "CONFIRMED"


def test_an_address_cognito_refuses_is_a_422_on_email_and_no_invitation(stack: Stack) -> None:
    admin = stack.headers(stack.admin.email, stack.admin.password)
    refused = stack.api.post("/org/invitations", headers=admin, json={"email": "x@team.c", "role": "viewer"})
    assert refused.status_code == 422, refused.text
    assert [e["loc"] for e in refused.json()["errors"]] == [["body", "email"]]
    pending = stack.api.get("/org/invitations", headers=admin).json()
    assert "x@team.c" not in [i["email"] for i in pending]


def test_withdrawing_deletes_the_user_created_for_it_until_they_sign_in(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("WARNING", logger="tradewind.accounts.invitees")
    admin = stack.headers(stack.admin.email, stack.admin.password)

    def invite(email: str) -> str:
        answer = stack.api.post("/org/invitations", headers=admin, json={"email": email, "role": "viewer"})
        assert answer.status_code == 201, answer.text
        return str(answer.json()["invitation_id"])

    never = invite("dan@team.test")
    assert stack.api.delete(f"/org/invitations/{never}", headers=admin).status_code == 204
    assert _status(stack, "dan@team.test") is None
    assert stack.api.get("/org/invitations", headers=admin).json() == []

    signed_in = invite("erin@team.test")
    _first_sign_in(stack, "erin@team.test", _temporary_password(caplog, "erin@team.test"), PASSWORD)
    assert stack.api.delete(f"/org/invitations/{signed_in}", headers=admin).status_code == 204
    assert _status(stack, "erin@team.test") == "CONFIRMED"  # her account now: kept


def test_the_last_admin_stays(stack: Stack) -> None:
    admin = stack.headers(stack.admin.email, stack.admin.password)
    r = stack.api.patch(f"/org/members/{stack.admin.user_id}", headers=admin, json={"role": "researcher"})
    assert r.status_code == 409
    assert stack.api.delete(f"/org/members/{stack.admin.user_id}", headers=admin).status_code == 409
    assert stack.api.get("/me", headers=admin).json()["role"] == "admin"


def test_a_key_past_its_expiry_is_refused(stack: Stack) -> None:
    admin = stack.headers(stack.admin.email, stack.admin.password)
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    created = stack.api.post(
        "/api-keys", headers=admin, json={"name": "ci", "role": "researcher", "expires_at": later}
    )
    assert created.status_code == 201, created.text
    key = {"X-Api-Key": created.json()["secret"]}
    assert stack.api.get("/jobs", headers=key).status_code == 200
    from tradewind.services import apikeys

    expired = apikeys.create_api_key("local", "old", valid_until=datetime.now(UTC) - timedelta(seconds=1))
    r = stack.api.get("/jobs", headers={"X-Api-Key": expired.secret})
    assert r.status_code == 401
    assert "expired" in r.json()["detail"]


def test_the_browser_proxy_forwards_sign_in_but_no_admin_call(stack: Stack) -> None:
    proxy = TestClient(CognitoProxy(stack.moto.url))
    body = {
        "ClientId": stack.provisioned.user_pool_clients["web"],
        "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": stack.admin.email, "PASSWORD": stack.admin.password},
    }
    target = "AWSCognitoIdentityProviderService.InitiateAuth"
    headers = {"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"}
    r = proxy.post("/cognito/", json=body, headers=headers)
    assert r.status_code == 200, r.text
    token = r.json()["AuthenticationResult"]["IdToken"]
    assert stack.api.get("/me", headers={"Authorization": f"Bearer {token}"}).json()["role"] == "admin"
    admin_call = {**headers, "X-Amz-Target": "AWSCognitoIdentityProviderService.AdminCreateUser"}
    assert proxy.post("/cognito/", json={"UserPoolId": stack.pool_id}, headers=admin_call).status_code == 403


def _totp(secret: str) -> str:
    """The authenticator app's current code for ``secret`` (RFC 6238), away from a step's end."""
    from cryptography.hazmat.primitives.hashes import SHA1
    from cryptography.hazmat.primitives.twofactor.totp import TOTP

    padded = secret + "=" * (-len(secret) % 8)
    totp = TOTP(base64.b32decode(padded, casefold=True), 6, SHA1(), 30, enforce_key_length=False)
    if time.time() % 30 > 28:  # moto checks the current step only: do not straddle two
        time.sleep(30 - time.time() % 30)
    return totp.generate(time.time()).decode()


def test_a_person_turns_on_an_authenticator_through_the_proxy_and_then_signs_in_with_a_code(
    stack: Stack,
) -> None:
    proxy = TestClient(CognitoProxy(stack.moto.url))
    client_id = stack.provisioned.user_pool_clients["web"]

    def call(operation: str, body: dict[str, Any]) -> Any:
        headers = {
            "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}",
            "Content-Type": "application/x-amz-json-1.1",
        }
        return proxy.post("/cognito/", json=body, headers=headers)

    def sign_in() -> dict[str, Any]:
        auth = {"USERNAME": "frank@team.test", "PASSWORD": PASSWORD}
        answer = call(
            "InitiateAuth", {"ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": auth}
        )
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    stack.create_person("frank@team.test")
    access = sign_in()["AuthenticationResult"]["AccessToken"]
    secret = call("AssociateSoftwareToken", {"AccessToken": access}).json()["SecretCode"]
    wrong = call("VerifySoftwareToken", {"AccessToken": access, "UserCode": "000000"})
    assert wrong.status_code == 400
    assert "CodeMismatch" in wrong.json()["__type"]
    right = call("VerifySoftwareToken", {"AccessToken": access, "UserCode": _totp(secret)})
    assert right.json()["Status"] == "SUCCESS", right.text
    on = {"Enabled": True, "PreferredMfa": True}
    assert (
        call("SetUserMFAPreference", {"AccessToken": access, "SoftwareTokenMfaSettings": on}).status_code
        == 200
    )
    assert call("GetUser", {"AccessToken": access}).json()["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]

    challenge = sign_in()
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    answers = {"USERNAME": "frank@team.test", "SOFTWARE_TOKEN_MFA_CODE": "111111"}
    respond = {"ClientId": client_id, "ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": challenge["Session"]}
    assert call("RespondToAuthChallenge", {**respond, "ChallengeResponses": answers}).status_code == 400
    answers["SOFTWARE_TOKEN_MFA_CODE"] = _totp(secret)
    signed = call("RespondToAuthChallenge", {**respond, "ChallengeResponses": answers})
    assert signed.status_code == 200, signed.text
    token = signed.json()["AuthenticationResult"]["IdToken"]
    assert (
        stack.api.get("/me", headers={"Authorization": f"Bearer {token}"}).json()["email"]
        == "frank@team.test"
    )

    off = {"Enabled": False, "PreferredMfa": False}
    access = signed.json()["AuthenticationResult"]["AccessToken"]
    assert (
        call("SetUserMFAPreference", {"AccessToken": access, "SoftwareTokenMfaSettings": off}).status_code
        == 200
    )
    assert "AuthenticationResult" in sign_in()
    admin_mfa = call(
        "AdminSetUserMFAPreference", {"UserPoolId": stack.pool_id, "Username": "frank@team.test"}
    )
    assert admin_mfa.status_code == 403


@pytest.fixture
def site(stack: Stack) -> Iterator[str]:
    """A web host whose config.json names moto's pool, as the deployed site's does."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    config = json.dumps(
        {
            "cognito": {
                "region": "us-east-1",
                "userPoolId": stack.pool_id,
                "clientId": stack.provisioned.user_pool_clients["web"],
                "cliClientId": stack.provisioned.user_pool_clients["cli"],
                "endpoint": f"{stack.moto.url}/",
            }
        }
    ).encode()

    class Site(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200 if self.path == "/config.json" else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(config)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_cli_login_keeps_private_tokens_refreshes_them_and_logs_out(
    stack: Stack, site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json
    import stat

    from tradewind.cli import credentials
    from tradewind.cli.remote import Endpoint
    from tradewind.errors import TradewindError, Unauthorized

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("TW_API_KEY", raising=False)
    monkeypatch.chdir(tmp_path)  # no make-run key in ./.tradewind
    api_url = "http://api.test"
    with pytest.raises(Unauthorized):
        credentials.login(api_url, site, stack.admin.email, "Wrong-passw0rd!")
    credentials.login(api_url, site, stack.admin.email, stack.admin.password)
    path = credentials.credentials_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    token = Endpoint.from_env(api_url).api_key
    assert stack.api.get("/me", headers={"Authorization": f"Bearer {token}"}).json()["role"] == "admin"
    # Near its expiry the ID token is refreshed silently with the refresh token.
    saved = json.loads(path.read_text())
    saved[api_url]["expires_at"] = 0
    path.write_text(json.dumps(saved))
    refreshed = Endpoint.from_env(api_url).api_key
    assert refreshed != token
    assert json.loads(path.read_text())[api_url]["expires_at"] > 0
    assert stack.api.get("/me", headers={"Authorization": f"Bearer {refreshed}"}).status_code == 200
    # An explicit key still wins; after logout nothing is left.
    assert Endpoint.from_env(api_url, api_key="tw_x_y").api_key == "tw_x_y"
    assert credentials.logout(api_url) is True
    assert credentials.logout(api_url) is False
    with pytest.raises(TradewindError, match="No credential"):
        Endpoint.from_env(api_url)
