"""A signed-in person's tokens for the CLI: Cognito's USER_PASSWORD_AUTH, kept in the config dir.

``tradewind login`` reads the deployment's ``config.json`` (its ``cognito`` object: region, pool,
the CLI's app client, the endpoint), signs in with email and password, and writes the tokens to
``$XDG_CONFIG_HOME/tradewind/credentials.json`` (``~/.config/...``), mode 0600, one entry per API
URL. Commands then send the ID token, refreshed with the refresh token when it has less than
:data:`REFRESH_MARGIN_SECONDS` left. Cognito's JSON API needs no AWS signature for these calls.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tradewind.errors import FieldProblem, TradewindError, Unauthorized

REFRESH_MARGIN_SECONDS = 60
TARGET = "AWSCognitoIdentityProviderService."


def credentials_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "tradewind" / "credentials.json"


@dataclass
class Session:
    """One API URL's sign-in."""

    api_url: str
    endpoint: str  # Cognito's JSON API (the local server's /cognito/ under make run)
    client_id: str
    email: str
    id_token: str
    refresh_token: str
    expires_at: float


def _load() -> dict[str, dict[str, Any]]:
    path = credentials_path()
    return json.loads(path.read_text()) if path.is_file() else {}


def _save(sessions: dict[str, dict[str, Any]]) -> None:
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_name(f".{path.name}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(sessions, out, indent=2)
    os.chmod(temp, 0o600)
    temp.replace(path)


def cognito_call(
    endpoint: str, operation: str, body: dict[str, Any], timeout: float = 30.0
) -> dict[str, Any]:
    """One Cognito JSON API call; a refusal becomes ``Unauthorized`` with Cognito's message."""
    import httpx

    response = httpx.post(
        endpoint,
        json=body,
        headers={"X-Amz-Target": TARGET + operation, "Content-Type": "application/x-amz-json-1.1"},
        timeout=timeout,
    )
    answer: dict[str, Any] = response.json() if response.content else {}
    if response.status_code >= 400:
        raise Unauthorized(str(answer.get("message") or answer.get("__type") or response.text[:200]))
    return answer


def discover(site_url: str) -> dict[str, str]:
    """The deployment's ``cognito`` settings, from its web app's ``config.json``."""
    import httpx

    response = httpx.get(f"{site_url.rstrip('/')}/config.json", timeout=30)
    cognito = response.json().get("cognito") if response.status_code == 200 else None
    if not isinstance(cognito, dict) or not cognito.get("cliClientId"):
        problem = FieldProblem(["--site"], f"{site_url}/config.json names no user pool", "missing")
        raise TradewindError("Sign-in is not available there.", [problem])
    return {k: str(v) for k, v in cognito.items()}


def login(api_url: str, site_url: str, email: str, password: str) -> Session:
    """Sign in and keep the tokens for ``api_url``."""
    cognito = discover(site_url)
    endpoint = cognito["endpoint"]
    result = cognito_call(
        endpoint,
        "InitiateAuth",
        {
            "ClientId": cognito["cliClientId"],
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": email, "PASSWORD": password},
        },
    )
    tokens = result.get("AuthenticationResult")
    if not tokens:
        challenge = result.get("ChallengeName", "a challenge")
        raise Unauthorized(f"sign-in needs {challenge}: complete it in the web app first")
    session = Session(
        api_url,
        endpoint,
        cognito["cliClientId"],
        email,
        tokens["IdToken"],
        tokens["RefreshToken"],
        time.time() + float(tokens.get("ExpiresIn", 3600)),
    )
    sessions = _load()
    sessions[api_url] = asdict(session)
    _save(sessions)
    return session


def id_token(api_url: str) -> str | None:
    """The signed-in person's ID token for ``api_url`` (refreshed if about to expire), or None."""
    sessions = _load()
    saved = sessions.get(api_url)
    if saved is None:
        return None
    session = Session(**saved)
    if session.expires_at - time.time() < REFRESH_MARGIN_SECONDS:
        result = cognito_call(
            session.endpoint,
            "InitiateAuth",
            {
                "ClientId": session.client_id,
                "AuthFlow": "REFRESH_TOKEN_AUTH",
                "AuthParameters": {"REFRESH_TOKEN": session.refresh_token},
            },
        )
        tokens = result["AuthenticationResult"]
        session.id_token = tokens["IdToken"]
        session.expires_at = time.time() + float(tokens.get("ExpiresIn", 3600))
        sessions[api_url] = asdict(session)
        _save(sessions)
    return session.id_token


def logout(api_url: str) -> bool:
    """Forget ``api_url``'s tokens (and revoke the refresh token, best effort); False if none."""
    sessions = _load()
    saved = sessions.pop(api_url, None)
    if saved is None:
        return False
    _save(sessions)
    # The local copy is gone; an unreachable pool keeps a refresh token that expires on its own.
    with contextlib.suppress(TradewindError, OSError, ValueError):
        cognito_call(
            saved["endpoint"],
            "RevokeToken",
            {"ClientId": saved["client_id"], "Token": saved["refresh_token"]},
        )
    return True
