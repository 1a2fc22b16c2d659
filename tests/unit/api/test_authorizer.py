"""The one verification of both credentials (tradewind.accounts.authorizer): ID tokens against the
pool's JWKS, API keys by hash, and the caller as the gateway hands it to the api Lambda."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from tradewind.accounts import authorizer, members
from tradewind.accounts.principal import Role
from tradewind.errors import Forbidden, Unauthorized
from tradewind.services import apikeys

from tests.unit.api.accounts_support import (  # noqa: F401 (fixtures)
    CLIENT_ID,
    ISSUER,
    Pool,
    jwks_url,
    new_key,
    pool,
    pool_key,
)

SUB = "0f0e0d0c-0000-4000-8000-000000000001"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def refused(headers: dict[str, str]) -> str:
    with pytest.raises(Unauthorized) as caught:
        authorizer.authenticate(headers)
    return caught.value.detail


def test_a_valid_id_token_names_the_person_and_their_organisation(pool: Pool) -> None:  # noqa: F811
    members.add_member("acme", SUB, "ada@acme.test", Role.RESEARCHER)
    caller = authorizer.authenticate(bearer(pool.token(SUB, "Ada@Acme.test")))
    assert (caller.kind, caller.actor, caller.email) == ("user", f"user:{SUB}", "ada@acme.test")
    assert (caller.org_id, caller.role, caller.orgs) == (
        "acme",
        Role.RESEARCHER,
        (("acme", Role.RESEARCHER),),
    )


def test_the_cli_client_is_an_accepted_audience(pool: Pool) -> None:  # noqa: F811
    assert (
        authorizer.authenticate(bearer(pool.token(SUB, "a@b.io", aud="cliclient456"))).actor == f"user:{SUB}"
    )


@pytest.mark.parametrize(
    ("claims", "says"),
    [
        ({"exp": int(time.time()) - 60, "iat": int(time.time()) - 3700}, "token expired"),
        ({"aud": "someone-elses-client"}, "another application"),
        ({"iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other"}, "another user pool"),
        ({"iss": ISSUER.replace("https", "http")}, "another user pool"),
        ({"token_use": "access"}, "send the ID token"),
        ({"email": None}, "no email"),
        ({"exp": None}, "invalid token"),
    ],
)
def test_tokens_that_are_not_ours_or_not_valid_now_are_401(
    pool: Pool,  # noqa: F811
    claims: dict[str, object],
    says: str,
) -> None:
    email = claims.pop("email", "a@b.io")
    assert says in refused(bearer(pool.token(SUB, email, **claims)))  # type: ignore[arg-type]


def test_a_token_signed_by_another_key_is_401(pool: Pool) -> None:  # noqa: F811
    forged = pool.token(SUB, "a@b.io", key=new_key())
    assert "invalid token" in refused(bearer(forged))


def test_a_tampered_token_is_401(pool: Pool) -> None:  # noqa: F811
    header, _, signature = pool.token(SUB, "a@b.io").split(".")
    claims = jwt.decode(pool.token(SUB, "a@b.io"), options={"verify_signature": False})
    claims["sub"] = "someone-else"
    forged_payload = jwt.utils.base64url_encode(jwt.api_jws.json.dumps(claims).encode()).decode()
    assert "invalid token" in refused(bearer(f"{header}.{forged_payload}.{signature}"))


def test_hs256_with_the_public_key_is_refused(pool: Pool) -> None:  # noqa: F811
    """The classic algorithm confusion: only RS256 is accepted."""
    token = jwt.encode(
        {"sub": SUB, "aud": CLIENT_ID, "iss": ISSUER, "token_use": "id"}, "secret", algorithm="HS256"
    )
    assert "invalid token" in refused(bearer(token))


def test_without_a_pool_tokens_are_refused_but_keys_work(aws: None) -> None:
    token = jwt.encode({"sub": SUB}, new_key(), algorithm="RS256")
    assert "sign-in is not configured" in refused(bearer(token))
    key = apikeys.create_api_key("acme", "k")
    assert authorizer.authenticate({"X-Api-Key": key.secret}).org_id == "acme"


def test_keys_resolve_by_hash_with_role_and_scopes(aws: None) -> None:
    created = apikeys.create_api_key("acme", "ci", Role.VIEWER, ("jobs", "backtests"))
    caller = authorizer.authenticate(bearer(created.secret))
    assert (caller.kind, caller.actor, caller.org_id, caller.role, caller.scopes) == (
        "key",
        f"key:{created.key_id}",
        "acme",
        Role.VIEWER,
        ("jobs", "backtests"),
    )
    assert authorizer.authenticate({"x-api-key": created.secret}) == caller
    assert "invalid or revoked" in refused({"X-Api-Key": created.secret + "x"})
    apikeys.revoke("acme", created.key_id)
    assert "invalid or revoked" in refused({"X-Api-Key": created.secret})


def test_an_expired_key_is_401_naming_the_expiry(aws: None) -> None:
    at = datetime.now(UTC) - timedelta(seconds=1)
    created = apikeys.create_api_key("acme", "old", valid_until=at)
    assert refused({"X-Api-Key": created.secret}) == (
        f"API key expired at {at.isoformat()}: create a new one"
    )


def test_no_credential_is_401() -> None:
    assert refused({}).startswith("missing credential")
    assert refused({"Authorization": "Basic dXNlcjpwYXNz"}).startswith("missing credential")


def test_an_organisation_the_caller_is_not_in_is_403(pool: Pool) -> None:  # noqa: F811
    members.add_member("acme", SUB, "ada@acme.test", Role.ADMIN)
    with pytest.raises(Forbidden, match="not a member of organisation 'globex'"):
        authorizer.authenticate({**bearer(pool.token(SUB, "ada@acme.test")), "X-Org-Id": "globex"})


def test_the_gateway_context_carries_the_caller_unchanged(pool: Pool) -> None:  # noqa: F811
    members.add_member("acme", SUB, "ada@acme.test", Role.ADMIN)
    members.add_member("globex", SUB, "ada@acme.test", Role.VIEWER)
    caller = authorizer.authenticate({**bearer(pool.token(SUB, "ada@acme.test")), "X-Org-Id": "globex"})
    context = authorizer.to_context(caller)
    assert all(isinstance(v, str) for v in context.values())  # API Gateway takes flat strings
    assert authorizer.from_context(context) == caller
    key = apikeys.create_api_key("acme", "ci", Role.RESEARCHER, ("jobs",))
    key_caller = authorizer.authenticate({"X-Api-Key": key.secret})
    assert authorizer.from_context(authorizer.to_context(key_caller)) == key_caller
    assert authorizer.from_context({}) is None
