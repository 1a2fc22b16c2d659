"""Every operation of the OpenAPI document declares the role it needs, in one place."""

from __future__ import annotations

from typing import Any

import pytest
from tradewind.accounts.principal import Role
from tradewind.accounts.route_roles import (
    PUBLIC_ROUTES,
    ROUTE_ROLES,
    SIGNED_IN_ROUTES,
    UNDECLARED_ROLE,
    role_needed,
)
from tradewind.api.app import create_app

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return create_app().openapi()


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


def test_every_secured_operation_declares_a_role(document: dict[str, Any]) -> None:
    secured = {op for op, body in operations(document).items() if body.get("security")}
    missing = sorted(secured - ROUTE_ROLES.keys() - SIGNED_IN_ROUTES)
    assert not missing, f"add these operations to tradewind.accounts.route_roles.ROUTE_ROLES: {missing}"


def test_public_operations_are_exactly_those_without_security(document: dict[str, Any]) -> None:
    public = {op for op, body in operations(document).items() if not body.get("security")}
    assert public == PUBLIC_ROUTES


def test_no_role_is_declared_for_an_operation_that_does_not_exist(document: dict[str, Any]) -> None:
    stale = sorted((ROUTE_ROLES.keys() | SIGNED_IN_ROUTES) - operations(document).keys())
    assert not stale, f"ROUTE_ROLES names operations the API does not have: {stale}"


def test_every_secured_operation_documents_403(document: dict[str, Any]) -> None:
    for op, body in operations(document).items():
        if body.get("security"):
            assert "403" in body["responses"], op


def test_an_operation_is_declared_once() -> None:
    assert not ROUTE_ROLES.keys() & SIGNED_IN_ROUTES
    assert not (ROUTE_ROLES.keys() | SIGNED_IN_ROUTES) & PUBLIC_ROUTES


def test_an_undeclared_operation_needs_admin() -> None:
    assert role_needed("GET", "/no/such/route") is UNDECLARED_ROLE is Role.ADMIN
    assert role_needed("get", "/jobs/{job_id}") is Role.VIEWER
    assert role_needed("POST", "/backtests") is Role.RESEARCHER
    assert role_needed("POST", "/api-keys") is Role.ADMIN
