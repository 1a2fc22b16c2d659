"""One ASGI app on one port: the API, ``/config.json``, the WebSocket gateway and the frontend.

Dispatch is a few string checks before the API's own routing, so API throughput is not taxed:
``/ws`` (WebSocket) and ``/@connections/...`` go to the gateway, ``/config.json`` is answered here,
``/cognito/`` is the web app's sign-in calls forwarded to moto's Cognito,
a browser's page load (a GET accepting HTML) goes to the frontend whatever its path (the app's pages
share paths with API routes: ``/health``, ``/backtests/<id>``), except the API's own docs pages;
anything else an API route matches goes to the API, and remaining GET/HEAD requests are the
frontend's: a file of ``frontend/dist`` if one exists at that path, else (for requests that accept
HTML) ``index.html``, the SPA fallback that CloudFront does in the cloud.

Frontend files go out gzip-compressed; the hashed files under ``/assets/`` are cached for a year
(``immutable``: a new build has new names), the rest revalidated; source maps are not served.

``/config.json`` includes the local tenant's API key (so the dashboard opens signed in) only for a
client on this machine that addressed the server by a loopback name: its address is loopback and
its ``Host`` is ``localhost``, ``127.0.0.1``, ``[::1]`` or the advertised host (a page on another
site that rebinds its DNS name to 127.0.0.1 still sends its own name, and gets no key).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Match, Router
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket
from tradewind.api.app import DOCS_ASSETS_PATH, GZIP_MINIMUM_BYTES

from infra.local.gateway import WebSocketGateway

API_PAGES = ("/docs", "/redoc", "/openapi.json", DOCS_ASSETS_PATH)
"""Paths a browser loads from the API itself, never the frontend's."""
HASHED_ASSETS = "assets/"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

NOT_BUILT = """<!doctype html><html><head><title>Tradewind (local)</title></head>
<body><h1>Tradewind is running</h1><p>The frontend is not built: run <code>make frontend</code>
(or <code>make run</code>, which builds it). The API is up: <a href="/docs">/docs</a>,
<a href="/health">/health</a>.</p></body></html>"""


class LocalApp:
    """The composition served by uvicorn in ``make run``."""

    def __init__(
        self,
        api: Any,
        gateway: WebSocketGateway,
        config: dict[str, Any],
        frontend_dist: Path,
        public_host: str = "127.0.0.1",
        cognito: ASGIApp | None = None,
    ) -> None:
        self.api: ASGIApp = api
        self._api_routes = list(api.routes)
        self.gateway = gateway
        self.management = Router(routes=gateway.management_routes())
        self.config = config
        self.public_config = {k: v for k, v in config.items() if k != "apiKey"}
        self.loopback_names = frozenset({"localhost", "127.0.0.1", "::1", public_host.strip("[]").lower()})
        self.dist = frontend_dist.resolve()
        self.cognito = cognito  # /cognito/: the browser's Cognito calls, forwarded (infra/local/accounts.py)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        path: str = scope.get("path", "")
        if kind == "websocket" and path == "/ws":
            await self.gateway.serve(WebSocket(scope, receive, send))
            return
        if kind == "http":
            if path == "/config.json":
                config = self.config if self._local_caller(scope) else self.public_config
                await JSONResponse(config, headers={"Cache-Control": "no-store"})(scope, receive, send)
                return
            if path == "/cognito/" and self.cognito is not None:
                await self.cognito(scope, receive, send)
                return
            if path.startswith("/@connections/"):
                await self.management(scope, receive, send)
                return
            if scope["method"] in ("GET", "HEAD") and (
                self._page_load(scope) or not self._api_matches(scope)
            ):
                response = self._frontend(scope)
                if response is not None:
                    await GZipMiddleware(response, minimum_size=GZIP_MINIMUM_BYTES)(scope, receive, send)
                    return
        await self.api(scope, receive, send)

    def _local_caller(self, scope: Scope) -> bool:
        """A client on this machine (loopback address) that named this server by a loopback name."""
        client = scope.get("client")
        try:
            if not client or not ipaddress.ip_address(client[0]).is_loopback:
                return False
        except ValueError:
            return False
        host = Headers(scope=scope).get("host", "")
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host[1:].split("]", 1)[0]
        return name.lower() in self.loopback_names

    @staticmethod
    def _page_load(scope: Scope) -> bool:
        """A browser loading a page of the app (it accepts HTML), not one of the API's docs pages."""
        path: str = scope["path"]
        if path.startswith(API_PAGES):
            return False
        return "text/html" in Headers(scope=scope).get("accept", "")

    def _api_matches(self, scope: Scope) -> bool:
        return any(route.matches(scope)[0] != Match.NONE for route in self._api_routes)

    def _frontend(self, scope: Scope) -> Response | None:
        """A dist file, the SPA's index for a browser navigation, or None (the API answers 404)."""
        relative = scope["path"].lstrip("/") or "index.html"
        candidate = (self.dist / relative).resolve()
        if candidate.is_relative_to(self.dist) and candidate.is_file() and candidate.suffix != ".map":
            cache = IMMUTABLE if relative.startswith(HASHED_ASSETS) else REVALIDATE
            return FileResponse(candidate, headers={"Cache-Control": cache})
        accepts_html = "text/html" in Headers(scope=scope).get("accept", "")
        if not accepts_html and relative != "index.html":
            return None
        index = self.dist / "index.html"
        if index.is_file():
            return FileResponse(index, headers={"Cache-Control": REVALIDATE})
        return HTMLResponse(NOT_BUILT)
