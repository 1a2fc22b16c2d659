"""Every router of the API. ``create_app`` includes each one; add a feature's router to ``ROUTERS``.

Route modules must not import pandas, pynamodb or boto3 at module level, directly or through a service
(the API Lambda's cold import stays free of them; ``tests/unit/api/test_api_cold_import.py`` checks):
import such a module inside the route that needs it, or have the service load its records on first use.
"""

from __future__ import annotations

from fastapi import APIRouter

from tradewind.api.routes import (
    apikeys,
    backtests,
    candles,
    datasets,
    health,
    notifications,
    optimizations,
    strategies,
    symbols,
    watchlists,
)

ROUTERS: list[APIRouter] = [
    health.router,
    apikeys.router,
    watchlists.router,
    datasets.router,
    symbols.router,
    candles.router,
    notifications.router,
    strategies.router,
    backtests.router,
    optimizations.router,
]
