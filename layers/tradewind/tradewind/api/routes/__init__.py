"""Every router of the API. ``create_app`` includes each one; add a feature's router to ``ROUTERS``.

Route modules must not import pandas at module level (the API Lambda's cold import stays free of it):
import it inside the function that needs it.
"""

from __future__ import annotations

from fastapi import APIRouter

from tradewind.api.routes import apikeys, candles, datasets, health, symbols, watchlists

ROUTERS: list[APIRouter] = [
    health.router,
    apikeys.router,
    watchlists.router,
    datasets.router,
    symbols.router,
    candles.router,
]
