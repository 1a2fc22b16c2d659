"""Every operation of the OpenAPI document x every kind of caller -> the answer ROUTE_ROLES implies.

Callers: a viewer, a researcher and an admin of ``acme`` (signed-in people, ID tokens), no credential,
an expired credential (an ID token past ``exp``, an API key past its expiry), and an admin of
``globex`` asking to act in ``acme`` (``X-Org-Id``). The operations come from the document, so a new
route is tried here as soon as it exists; one without a declared role fails
``test_route_roles.py``, and is refused here to everyone but admins.

Allowed calls send no body and placeholder path values: the route answers 4xx about them (or
succeeds, for reads), never 401 or 403 — that is what "allowed" means here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind.accounts import members
from tradewind.accounts.principal import Role
from tradewind.accounts.route_roles import ROUTE_ROLES, SIGNED_IN_ROUTES, role_needed
from tradewind.api.app import create_app
from tradewind.services import apikeys

from tests.unit.api.accounts_support import Pool, jwks_url, pool, pool_key  # noqa: F401 (fixtures)

HTTP_METHODS = ("get", "put", "post", "delete", "patch")
CALLERS = ("viewer", "researcher", "admin", "none", "expired token", "expired key", "other org")
PEOPLE = {
    "viewer": "00000000-0000-4000-8000-00000000000v",
    "researcher": "r-1",
    "admin": "a-1",
    "other org": "o-1",
}


def _operations() -> list[tuple[str, str]]:
    document = create_app().openapi()
    return sorted(
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS and operation.get("security")
    )


OPERATIONS = _operations()


def expected(caller: str, method: str, path: str) -> Callable[[int], bool]:
    """What the answer must satisfy."""
    if caller in ("none", "expired token", "expired key"):
        return lambda status: status == 401
    if caller == "other org":
        return lambda status: status == 403
    if (method, path) in SIGNED_IN_ROUTES or Role(caller).allows(role_needed(method, path)):
        return lambda status: status not in (401, 403)
    return lambda status: status == 403


@pytest.fixture
def callers(pool: Pool) -> dict[str, dict[str, str]]:  # noqa: F811
    for role in (Role.VIEWER, Role.RESEARCHER, Role.ADMIN):
        members.add_member("acme", PEOPLE[role.value], f"{role.value}@acme.test", role)
    members.add_member("globex", PEOPLE["other org"], "boss@globex.test", Role.ADMIN)
    expired_key = apikeys.create_api_key("acme", "old", valid_until=datetime.now(UTC) - timedelta(seconds=1))
    past = int(datetime.now(UTC).timestamp()) - 60
    return {
        **{
            role: pool.headers(PEOPLE[role], f"{role}@acme.test")
            for role in ("viewer", "researcher", "admin")
        },
        "none": {},
        "expired token": pool.headers(PEOPLE["admin"], "admin@acme.test", exp=past, iat=past - 3600),
        "expired key": {"X-Api-Key": expired_key.secret},
        "other org": pool.headers(PEOPLE["other org"], "boss@globex.test", org="acme"),
    }


def concrete(path: str) -> str:
    """The template with a placeholder in every parameter (routes answer 404/422 about it)."""
    return re.sub(r"\{[^}]+\}", "0123456789abcdef", path)


def test_every_operation_answers_every_caller_as_its_role_says(
    api: TestClient, callers: dict[str, dict[str, str]]
) -> None:
    assert len(OPERATIONS) > 50  # the document was read
    undeclared = [op for op in OPERATIONS if op not in ROUTE_ROLES and op not in SIGNED_IN_ROUTES]
    assert not undeclared, f"declare these in tradewind.accounts.route_roles: {undeclared}"
    wrong: list[tuple[str, str, str, int, Any]] = []
    for method, path in OPERATIONS:
        for caller in CALLERS:
            r = api.request(method, concrete(path), headers=callers[caller])
            if not expected(caller, method, path)(r.status_code):
                wrong.append((caller, method, path, r.status_code, r.text[:120]))
    assert not wrong, "\n".join(map(str, wrong))


def test_the_matrix_covers_every_kind_of_answer() -> None:
    """The expectations themselves distinguish roles: each role is refused somewhere and allowed somewhere."""
    for caller in ("viewer", "researcher"):
        answers = {expected(caller, m, p)(403) for m, p in OPERATIONS}
        assert answers == {True, False}, caller
    assert not any(expected("admin", m, p)(403) for m, p in OPERATIONS)
