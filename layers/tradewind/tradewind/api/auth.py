"""Authentication: every route but health declares ``tenant: Tenant`` (the caller's organisation id)
or ``principal: CurrentPrincipal`` (who is calling, for which organisation, with which role).

Keys arrive as ``Authorization: Bearer <key>`` or ``X-Api-Key: <key>``. Both are declared as OpenAPI
security schemes (FastAPI's security classes), so the /docs "Authorize" button works. Resolution is
cached in-process (see :mod:`tradewind.services.apikeys`); only a cache miss leaves the event loop.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from tradewind.accounts.principal import Principal, Role
from tradewind.accounts.route_roles import role_needed
from tradewind.api.observability import logger
from tradewind.errors import Forbidden, Unauthorized
from tradewind.services import apikeys

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer tw_...`")
_api_key_header = APIKeyHeader(name="X-Api-Key", auto_error=False, description="`X-Api-Key: tw_...`")


async def current_principal(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    api_key: Annotated[str | None, Depends(_api_key_header)],
) -> Principal:
    """The caller behind the presented key; 401 (with ``WWW-Authenticate``) when missing or invalid,
    403 when its role is below what the matched route needs (:mod:`tradewind.accounts.route_roles`).

    Also kept on ``request.state.principal`` for what runs outside the route (audit, logs)."""
    secret = bearer.credentials if bearer else api_key
    if not secret:
        raise Unauthorized("missing API key: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'")
    hit, tenant = apikeys.cached_resolution(secret)
    if not hit:
        tenant = await run_in_threadpool(apikeys.resolve, secret)
    if tenant is None:
        raise Unauthorized("invalid or revoked API key")
    # A secret is ``tw_<key_id>_<random>`` (tradewind.services.apikeys): the key id names the actor.
    principal = Principal(org_id=tenant, actor=f"key:{secret.split('_')[1]}", role=Role.ADMIN)
    request.state.principal = principal
    request.state.tenant_id = tenant
    logger.thread_safe_append_keys(tenant_id=tenant)
    authorize(request, principal)
    return principal


def authorize(request: Request, principal: Principal) -> None:
    """403 unless ``principal``'s role allows the matched route (its method and path template)."""
    route = request.scope.get("route")
    needed = role_needed(request.method, getattr(route, "path", request.url.path))
    if not principal.role.allows(needed):
        raise Forbidden(f"this operation needs the {needed.value!r} role; yours is {principal.role.value!r}")


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
"""Declare ``principal: CurrentPrincipal`` on a route to require a credential and receive the caller."""


async def current_tenant(principal: CurrentPrincipal) -> str:
    """The caller's organisation id (today's tenant id)."""
    return principal.org_id


Tenant = Annotated[str, Depends(current_tenant)]
"""Declare ``tenant: Tenant`` on a route to require a key and receive the tenant id."""
