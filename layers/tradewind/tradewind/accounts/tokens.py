"""Cognito ID tokens: verified against the user pool's JWKS (RS256, issuer, audience, token use, expiry).

The API accepts the pool's **ID token** (``token_use`` ``id``): it names the person (``sub``) and
carries their ``email``, which invitations are addressed to, and its ``aud`` is the app client. The
JWKS is fetched once per process and kept (PyJWT's :class:`jwt.PyJWKClient` refetches on an unknown
``kid``, which is how a key rotation is picked up).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

import jwt

from tradewind.errors import Unauthorized
from tradewind.settings import get_settings

LEEWAY_SECONDS = 5
"""Clock skew tolerated on ``exp``/``iat`` between Cognito and this Lambda."""

_lock = threading.Lock()
WRONG_TOKEN = "send the ID token (token_use 'id'), not the access or refresh token"


@dataclass(frozen=True)
class Person:
    """A signed-in person, as their verified ID token names them."""

    user_id: str  # Cognito ``sub``
    email: str


def looks_like_jwt(credential: str) -> bool:
    """A JWS compact serialisation (three dot-separated parts); API keys start with ``tw_``."""
    return credential.count(".") == 2 and not credential.startswith("tw_")


def issuer() -> str:
    settings = get_settings()
    if settings.cognito_issuer:
        return settings.cognito_issuer.rstrip("/")
    return f"https://cognito-idp.{settings.region}.amazonaws.com/{settings.cognito_user_pool_id}"


@lru_cache(maxsize=4)
def _jwks_client(url: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(url, cache_keys=True, lifespan=3600, timeout=5)


def jwks_client() -> jwt.PyJWKClient:
    """The JWKS client of the configured pool (one per URL and process)."""
    url = get_settings().cognito_jwks_url or f"{issuer()}/.well-known/jwks.json"
    return _jwks_client(url)


def _refuse_other_token_uses(token: str) -> None:
    """Say so when the token is an access token (it has no ``aud`` and would fail as "invalid").
    Only a hint read before verification: the verified claims are checked again below."""
    try:
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return
    if unverified.get("token_use") not in (None, "id"):
        raise Unauthorized(WRONG_TOKEN)


def verify(token: str) -> Person:
    """The person an ID token names; ``Unauthorized`` saying what is wrong with any other token."""
    settings = get_settings()
    if not settings.cognito_user_pool_id:
        raise Unauthorized("sign-in is not configured on this deployment: use an API key")
    _refuse_other_token_uses(token)
    try:
        with _lock:  # PyJWKClient's key cache is not thread-safe
            key = jwks_client().get_signing_key_from_jwt(token)
        claims = jwt.decode(
            token,
            key.key,
            algorithms=["RS256"],
            audience=list(settings.cognito_client_ids),
            issuer=issuer(),
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "iss", "aud", "sub", "token_use"]},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthorized("token expired: sign in again (or refresh it)") from None
    except jwt.InvalidAudienceError:
        raise Unauthorized("token issued for another application (aud)") from None
    except jwt.InvalidIssuerError:
        raise Unauthorized("token issued by another user pool (iss)") from None
    except jwt.PyJWKClientConnectionError:
        raise Unauthorized("the user pool's signing keys could not be fetched; try again") from None
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"invalid token: {exc}") from None
    if claims["token_use"] != "id":
        raise Unauthorized(WRONG_TOKEN)
    email = claims.get("email")
    if not isinstance(email, str) or not email:
        raise Unauthorized("the ID token carries no email")
    return Person(user_id=str(claims["sub"]), email=email.lower())
