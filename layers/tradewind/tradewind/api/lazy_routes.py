"""Include a route group when a request first needs it (the API Lambda's cold start).

FastAPI builds every route's pydantic models when the route is included; for the whole API that is
about a third of the Lambda's cold import. A cold start serves one request, so it only needs the
group its path names: :class:`LazyRoutesMiddleware` includes that group before routing, once per
process. The OpenAPI document and the docs pages need every route, so they include all of them.
"""

from __future__ import annotations

import threading

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from tradewind.api.routes import ROUTE_GROUPS, group_routers

WHOLE_API_PATHS = frozenset({"openapi.json", "docs", "redoc"})
"""First path segments whose answer describes every route."""


class RouteLoader:
    """The groups of one app included so far; including is idempotent and thread-safe."""

    def __init__(self, app: FastAPI) -> None:
        self._app = app
        self._included: set[str] = set()
        self._lock = threading.Lock()

    def ensure(self, path: str) -> None:
        """Include what ``path`` may be routed to: its group, or every group for the docs."""
        segment = path.lstrip("/").split("/", 1)[0]
        if segment in ROUTE_GROUPS:
            self._include([segment])
        elif segment in WHOLE_API_PATHS:
            self._include(list(ROUTE_GROUPS))

    def _include(self, segments: list[str]) -> None:
        missing = [s for s in segments if s not in self._included]
        if not missing:
            return
        with self._lock:
            for segment in missing:
                if segment not in self._included:
                    for router in group_routers(segment):
                        self._app.include_router(router)
                    self._included.add(segment)
            self._app.openapi_schema = None  # regenerate with the new routes


class LazyRoutesMiddleware:
    """Before a request is routed, make sure the routes its path may match are included."""

    def __init__(self, app: ASGIApp, loader: RouteLoader) -> None:
        self.app = app
        self.loader = loader

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.loader.ensure(scope["path"])
        await self.app(scope, receive, send)
