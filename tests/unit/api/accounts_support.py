"""A user pool for unit tests: an RSA key of our own, its JWKS served over HTTP on loopback, ID tokens
minted like Cognito's (the verifier fetches the JWKS through the same PyJWKClient as from a real pool).

Integration tests use moto's Cognito instead (tests/integration/test_accounts_cognito.py).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from tradewind.accounts import members, tokens
from tradewind.settings import get_settings

POOL_ID = "us-east-1_TestPool"
CLIENT_ID = "webclient123"
ISSUER = f"https://cognito-idp.us-east-1.amazonaws.com/{POOL_ID}"
KID = "test-key-1"


@dataclass
class Pool:
    """Mints ID tokens signed by the pool's key (or by a stranger's, to tamper)."""

    key: rsa.RSAPrivateKey

    def token(
        self, sub: str, email: str | None, *, key: rsa.RSAPrivateKey | None = None, **claims: Any
    ) -> str:
        now = int(time.time())
        payload: dict[str, Any] = {
            "sub": sub,
            "email": email,
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "token_use": "id",
            "iat": now,
            "auth_time": now,
            "exp": now + 3600,
            "cognito:username": sub,
        }
        payload.update(claims)
        payload = {k: v for k, v in payload.items() if v is not None}
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers={"kid": KID})

    def headers(self, sub: str, email: str, org: str | None = None, **claims: Any) -> dict[str, str]:
        h = {"Authorization": f"Bearer {self.token(sub, email, **claims)}"}
        if org:
            h["X-Org-Id"] = org
        return h


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def pool_key() -> rsa.RSAPrivateKey:
    return new_key()


@pytest.fixture(scope="session")
def jwks_url(pool_key: rsa.RSAPrivateKey) -> Iterator[str]:
    """The URL of a loopback HTTP server answering ``pool_key``'s public half as a JWKS."""
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(pool_key.public_key()))
    body = json.dumps({"keys": [{**public, "kid": KID, "alg": "RS256", "use": "sig"}]}).encode()

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{POOL_ID}/.well-known/jwks.json"
    server.shutdown()
    server.server_close()


@pytest.fixture
def pool(
    aws: None, jwks_url: str, pool_key: rsa.RSAPrivateKey, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Pool]:
    """Sign-in configured against the loopback JWKS of ``pool_key``; invitations create users in a
    moto pool (its id differs from ``POOL_ID``, so the issuer is set apart)."""
    import boto3

    created = boto3.client("cognito-idp", region_name="us-east-1").create_user_pool(PoolName="unit")
    monkeypatch.setenv("TW_COGNITO_USER_POOL_ID", created["UserPool"]["Id"])
    monkeypatch.setenv("TW_COGNITO_ISSUER", ISSUER)
    monkeypatch.setenv("TW_COGNITO_CLIENT_IDS", f"{CLIENT_ID},cliclient456")
    monkeypatch.setenv("TW_COGNITO_JWKS_URL", jwks_url)
    get_settings.cache_clear()
    members.clear_cache()
    tokens._jwks_client.cache_clear()
    yield Pool(pool_key)
    get_settings.cache_clear()
    members.clear_cache()
    tokens._jwks_client.cache_clear()
