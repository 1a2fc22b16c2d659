"""Authentication and role checks: every route but health declares ``tenant: Tenant`` (the caller's
organisation id), ``principal: CurrentPrincipal`` (who is calling, for which organisation, with which
role) or, for the few routes a person in no organisation may call, ``caller: CurrentCaller``.

Credentials arrive as ``Authorization: Bearer <ID token or API key>`` or ``X-Api-Key: <key>``; a
person in several organisations names one with ``X-Org-Id``. Both credential headers are declared
as OpenAPI security schemes, so the /docs "Authorize" button works. Behind API Gateway the
authorizer has already verified the credential and the caller arrives in the request context; with
no gateway (locally, tests) the same :func:`tradewind.accounts.authorizer.authenticate` runs here.

Then the matched route's role (:mod:`tradewind.accounts.route_roles`) and an API key's scopes are
checked: 403 problem+json naming what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from tradewind.accounts.authorizer import Caller, authenticate, from_context
from tradewind.accounts.principal import Principal
from tradewind.accounts.route_roles import SIGNED_IN_ROUTES, role_needed
from tradewind.api.observability import logger
from tradewind.errors import Forbidden

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <Cognito ID token or tw_... key>`")
_api_key_header = APIKeyHeader(name="X-Api-Key", auto_error=False, description="`X-Api-Key: tw_...`")

NO_ORGANISATION = "you are not a member of any organisation yet: accept an invitation (see GET /me)"


def _gateway_context(request: Request) -> Mapping[str, Any] | None:
    """The authorizer's context API Gateway put on the Lambda event (Mangum keeps the event)."""
    event = request.scope.get("aws.event")
    if not isinstance(event, dict):
        return None
    context = (event.get("requestContext") or {}).get("authorizer")
    return context if isinstance(context, dict) else None


async def current_caller(
    request: Request,
    _bearer_credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    _api_key: Annotated[str | None, Depends(_api_key_header)],
) -> Caller:
    """The authenticated caller (401 with ``WWW-Authenticate`` when missing, invalid or expired),
    checked against the matched route; kept on ``request.state.caller``."""
    context = _gateway_context(request)
    caller = from_context(context) if context is not None else None
    if caller is None:
        caller = await run_in_threadpool(authenticate, dict(request.headers))
    request.state.caller = caller
    _route_check(request, caller)
    return caller


def _route_path(request: Request) -> str:
    route = request.scope.get("route")
    return str(getattr(route, "path", request.url.path))


def _route_check(request: Request, caller: Caller) -> None:
    """403 unless the caller may call the matched route: its role, its organisation, a key's scopes."""
    path = _route_path(request)
    if (request.method.upper(), path) in SIGNED_IN_ROUTES:
        return
    principal = caller.principal()
    if principal is None:
        raise Forbidden(NO_ORGANISATION)
    needed = role_needed(request.method, path)
    if not principal.role.allows(needed):
        raise Forbidden(f"this operation needs the {needed.value!r} role; yours is {principal.role.value!r}")
    group = path.lstrip("/").split("/", 1)[0]
    if principal.scopes and group not in principal.scopes:
        raise Forbidden(f"this API key's scopes ({', '.join(principal.scopes)}) do not include {group!r}")


CurrentCaller = Annotated[Caller, Depends(current_caller)]
"""Declare ``caller: CurrentCaller`` on a route any signed-in caller may use (list it in
``SIGNED_IN_ROUTES``), even a person who belongs to no organisation yet."""


async def current_principal(request: Request, caller: CurrentCaller) -> Principal:
    """The caller in the organisation this request acts in; also ``request.state.principal``."""
    principal = caller.principal()
    if principal is None:
        raise Forbidden(NO_ORGANISATION)
    request.state.principal = principal
    request.state.tenant_id = principal.org_id
    logger.thread_safe_append_keys(tenant_id=principal.org_id)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
"""Declare ``principal: CurrentPrincipal`` on a route to require a credential and receive the caller."""


async def current_tenant(principal: CurrentPrincipal) -> str:
    """The caller's organisation id (today's tenant id)."""
    return principal.org_id


Tenant = Annotated[str, Depends(current_tenant)]
"""Declare ``tenant: Tenant`` on a route to require a credential and receive the organisation id."""
