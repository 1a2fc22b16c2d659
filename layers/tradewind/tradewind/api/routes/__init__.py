"""Every router of the API, grouped by the first segment of their paths.

``create_app`` includes them all, or, in the Lambda (``lazy_routes``), only the group a request's path
needs, when it first needs it: a cold start that serves ``/health`` never builds the job routes'
models. Add a feature by adding its module to ``ROUTE_GROUPS`` under its path's first segment.

Route modules must not import pandas, pynamodb or boto3 at module level, directly or through a service
(the API Lambda's cold import stays free of them; ``tests/unit/api/test_api_cold_import.py`` checks):
import such a module inside the route that needs it, or have the service load its records on first use.
"""

from __future__ import annotations

import importlib

from fastapi import APIRouter

ROUTE_GROUPS: dict[str, tuple[str, ...]] = {
    "health": ("health",),
    "me": ("me",),
    "org": ("org",),
    "api-keys": ("apikeys",),
    "watchlists": ("watchlists",),
    "datasets": ("datasets",),
    "symbols": ("symbols", "candles"),
    "notifications": ("notifications",),
    "strategies": ("strategies",),
    "backtests": ("backtests",),
    "optimizations": ("optimizations",),
    "pipeline": ("pipeline",),
    "jobs": ("jobs",),
    "commands": ("commands",),
    "schedules": ("schedules",),
    "workflows": ("workflows",),
    "channels": ("channels",),
    "realtime": ("realtime",),
    "audit": ("audit",),
    "settings": ("settings",),
}
"""First path segment -> the route modules serving it, in matching order."""


def group_routers(segment: str) -> list[APIRouter]:
    """The routers serving paths under ``/{segment}`` (imported now if they were not yet)."""
    modules = ROUTE_GROUPS[segment]
    return [importlib.import_module(f"{__name__}.{module}").router for module in modules]


def all_routers() -> list[APIRouter]:
    return [router for segment in ROUTE_GROUPS for router in group_routers(segment)]
