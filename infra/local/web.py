"""One ASGI app on one port: the API, ``/config.json``, the WebSocket gateway and the frontend.

Dispatch is a few string checks before the API's own routing, so API throughput is not taxed:
``/ws`` (WebSocket) and ``/@connections/...`` go to the gateway, ``/config.json`` is answered here,
anything an API route matches goes to the API, and remaining GET/HEAD requests are the frontend's:
a file of ``frontend/dist`` if one exists at that path, else (for requests that accept HTML)
``index.html``, the SPA fallback that CloudFront does in the cloud.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Match, Router
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from infra.local.gateway import WebSocketGateway

NOT_BUILT = """<!doctype html><html><head><title>Tradewind (local)</title></head>
<body><h1>Tradewind is running</h1><p>The frontend is not built: run <code>make frontend</code>
(or <code>make run</code>, which builds it). The API is up: <a href="/docs">/docs</a>,
<a href="/health">/health</a>.</p></body></html>"""


class LocalApp:
    """The composition served by uvicorn in ``make run``."""

    def __init__(
        self, api: Any, gateway: WebSocketGateway, config: dict[str, Any], frontend_dist: Path
    ) -> None:
        self.api: ASGIApp = api
        self._api_routes = list(api.routes)
        self.gateway = gateway
        self.management = Router(routes=gateway.management_routes())
        self.config = config
        self.dist = frontend_dist.resolve()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        path: str = scope.get("path", "")
        if kind == "websocket" and path == "/ws":
            await self.gateway.serve(WebSocket(scope, receive, send))
            return
        if kind == "http":
            if path == "/config.json":
                await JSONResponse(self.config, headers={"Cache-Control": "no-store"})(scope, receive, send)
                return
            if path.startswith("/@connections/"):
                await self.management(scope, receive, send)
                return
            if scope["method"] in ("GET", "HEAD") and not self._api_matches(scope):
                response = self._frontend(scope)
                if response is not None:
                    await response(scope, receive, send)
                    return
        await self.api(scope, receive, send)

    def _api_matches(self, scope: Scope) -> bool:
        return any(route.matches(scope)[0] != Match.NONE for route in self._api_routes)

    def _frontend(self, scope: Scope) -> Response | None:
        """A dist file, the SPA's index for a browser navigation, or None (the API answers 404)."""
        relative = scope["path"].lstrip("/") or "index.html"
        candidate = (self.dist / relative).resolve()
        if candidate.is_relative_to(self.dist) and candidate.is_file():
            return FileResponse(candidate)
        accepts_html = "text/html" in Headers(scope=scope).get("accept", "")
        if not accepts_html and relative != "index.html":
            return None
        index = self.dist / "index.html"
        if index.is_file():
            return FileResponse(index, headers={"Cache-Control": "no-cache"})
        return HTMLResponse(NOT_BUILT)
