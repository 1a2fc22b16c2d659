"""The FastAPI application factory: routers, the problem+json error model, request ids, body limit,
GZip, CORS.

``create_app()`` builds everything from settings and never touches AWS: the Lambda handler calls it at
import (cold start), with ``lazy_routes`` (see ``tradewind.api.lazy_routes``), and uvicorn calls it
locally with every route included up front.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi_offline import FastAPIOffline
from starlette.middleware import Middleware

from tradewind.api.audit import AuditMiddleware
from tradewind.api.errors import install_error_handlers
from tradewind.api.middleware import BodyLimitMiddleware, GatewayRootPathMiddleware, RequestContextMiddleware
from tradewind.api.openapi import install_openapi
from tradewind.api.routes import all_routers
from tradewind.settings import get_settings
from tradewind.version import __version__

GZIP_MINIMUM_BYTES = 1024
DOCS_ASSETS_PATH = "/docs-assets"

DESCRIPTION = """Tradewind research API.

Authenticate with a signed-in person's Cognito ID token (`Authorization: Bearer <id token>`; `X-Org-Id`
picks one of their organisations) or an API key (`Authorization: Bearer <key>` or `X-Api-Key: <key>`).
Each operation needs a role (viewer < researcher < admin): 403 names the one missing.
Errors are `application/problem+json` (see the `Problem` schema); lists page with `limit` and `next_token`.
"""


def create_app(*, lazy_routes: bool = False) -> FastAPI:
    """A fully wired app; cheap to call (no I/O). ``lazy_routes`` includes each route group on first use."""
    settings = get_settings()
    middleware = [
        Middleware(GatewayRootPathMiddleware),
        Middleware(RequestContextMiddleware),
        Middleware(AuditMiddleware),  # inside the request id; every outcome of a mutating call
        Middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=[
                "Authorization",
                "X-Api-Key",
                "X-Org-Id",
                "X-Request-Id",
                "Content-Type",
                "Idempotency-Key",
            ],
            expose_headers=["X-Request-Id", "Location", "Retry-After"],
            max_age=600,
        ),
        Middleware(BodyLimitMiddleware, max_bytes=settings.max_request_body_bytes),
        Middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES),
    ]
    # FastAPIOffline: /docs and /redoc load Swagger UI and ReDoc from the app, not a CDN (offline
    # machines, locked-down networks, a strict Content-Security-Policy).
    app = FastAPIOffline(
        title="Tradewind API",
        version=__version__,
        description=DESCRIPTION,
        middleware=middleware,
        static_url=DOCS_ASSETS_PATH,
    )
    install_error_handlers(app)
    if lazy_routes:
        from tradewind.api.lazy_routes import LazyRoutesMiddleware, RouteLoader

        app.add_middleware(LazyRoutesMiddleware, loader=RouteLoader(app))
    else:
        for router in all_routers():
            app.include_router(router)
    install_openapi(app)
    return app
