"""The local user pool's people: a local admin to sign in with, and the browser's way to Cognito.

moto's Cognito is provisioned from the template like every other resource, but its users live in
moto's memory: each start makes the pool anew, so :func:`ensure_local_user` creates the local user
again (same email and password, kept in ``<data dir>/local-user``, mode 0600), makes the new person
admin of the local organisation and removes the previous start's person (its ``sub`` is gone with
the old pool). :class:`CognitoProxy` lets the web app call Cognito's JSON API on its own origin
(``/cognito/``), forwarding only the operations a signed-out or signed-in user makes (never the
``Admin*`` ones, which moto does not authorize).
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

log = logging.getLogger("tradewind.local")

LOCAL_EMAIL = "admin@tradewind.local"
PROXY_PATH = "/cognito/"
USER_OPERATIONS = frozenset(
    {
        "InitiateAuth",
        "RespondToAuthChallenge",
        "GetUser",
        "GlobalSignOut",
        "RevokeToken",
        "ChangePassword",
        "ForgotPassword",
        "ConfirmForgotPassword",
        "AssociateSoftwareToken",
        "VerifySoftwareToken",
        "SetUserMFAPreference",
    }
)
"""Cognito operations the browser may send through the proxy (``X-Amz-Target`` suffixes)."""


@dataclass(frozen=True)
class LocalUser:
    email: str
    password: str
    user_id: str


def _password() -> str:
    """Meets the pool's policy (12+, upper, lower, digit, symbol)."""
    return f"Tw-{secrets.token_urlsafe(12)}-9a"


def ensure_local_user(data_dir: Path, pool_id: str, org_id: str) -> LocalUser:
    """The local admin (see module): created in this start's pool, admin of ``org_id``."""
    import boto3
    from tradewind.accounts import members
    from tradewind.accounts.principal import Role
    from tradewind.errors import TradewindError

    path = data_dir / "local-user"
    saved: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    email, password = saved.get("email", LOCAL_EMAIL), saved.get("password") or _password()
    cognito = boto3.client("cognito-idp")
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=email,
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
        MessageAction="SUPPRESS",
    )
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=password, Permanent=True)
    attributes = cognito.admin_get_user(UserPoolId=pool_id, Username=email)["UserAttributes"]
    user_id = next(a["Value"] for a in attributes if a["Name"] == "sub")
    members.add_member(org_id, user_id, email, Role.ADMIN)
    previous = saved.get("user_id")
    if previous and previous != user_id:
        try:
            members.remove_member(org_id, previous)
        except TradewindError as exc:  # already gone, or (by hand) the last admin: leave it
            log.info("previous local user %s kept: %s", previous, exc.detail)
    path.write_text(json.dumps({"email": email, "password": password, "user_id": user_id}) + "\n")
    path.chmod(0o600)
    return LocalUser(email, password, user_id)


class CognitoProxy:
    """POST ``/cognito/`` -> moto's Cognito endpoint, for the allowed user operations only."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint.rstrip("/") + "/"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        target = request.headers.get("x-amz-target", "")
        service, _, operation = target.partition(".")
        if request.method != "POST" or service != "AWSCognitoIdentityProviderService":
            response: Response = JSONResponse({"message": "POST a Cognito JSON API call"}, status_code=400)
        elif operation not in USER_OPERATIONS:
            response = JSONResponse({"message": f"{operation} is not forwarded locally"}, status_code=403)
        else:
            async with httpx.AsyncClient(timeout=30) as client:
                answer = await client.post(
                    self.endpoint,
                    content=await request.body(),
                    headers={
                        "Content-Type": request.headers.get("content-type", "application/x-amz-json-1.1"),
                        "X-Amz-Target": target,
                    },
                )
            response = Response(
                answer.content,
                status_code=answer.status_code,
                media_type=answer.headers.get("content-type", "application/x-amz-json-1.1"),
            )
        await response(scope, receive, send)
