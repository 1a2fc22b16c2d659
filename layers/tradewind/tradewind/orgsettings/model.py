"""What an organisation's settings hold, and how each field is checked (pure: pydantic only).

Every field has a default, so an organisation that never saved settings reads the defaults. The
time zone must be an IANA name (``zoneinfo``; the ``tzdata`` package backs it where the system has
no database) and the base currency an ISO 4217 code (the ``iso4217`` package's table).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tradewind.strategy.limits import MAGNITUDE

DEFAULT_CASH = 10_000.0


class JobDefaults(BaseModel):
    """What a new backtest or optimization uses when its request leaves these out."""

    model_config = ConfigDict(extra="forbid")

    cash: float = Field(default=DEFAULT_CASH, gt=0, le=1e12, description="starting cash")
    commission: float = Field(default=0.0, ge=0, lt=1, description="commission per side, a fraction")
    commission_fixed: float = Field(default=0.0, ge=0, le=MAGNITUDE, description="fixed commission per side")
    slippage_bps: float = Field(default=0.0, ge=0, lt=10_000, description="slippage in basis points")


class NotificationRoute(BaseModel):
    """Whether one kind of event produces an in-app notification (channels subscribe on their own)."""

    model_config = ConfigDict(extra="forbid")

    in_app: bool = True


def _kinds() -> frozenset[str]:
    """The in-app notification kinds (loaded on first use: that module brings pynamodb)."""
    from tradewind.services.notifications import KINDS

    return KINDS


def _all_on() -> dict[str, NotificationRoute]:
    return {kind: NotificationRoute() for kind in sorted(_kinds())}


@cache
def _currencies() -> frozenset[str]:
    import iso4217

    return frozenset(str(code) for code in iso4217.raw_table if code)


@cache
def _zones() -> frozenset[str]:
    from zoneinfo import available_timezones

    return frozenset(available_timezones())


class OrgSettingsBody(BaseModel):
    """The editable settings (``PUT /settings`` replaces them all)."""

    model_config = ConfigDict(extra="forbid")

    time_zone: str = Field(
        default="UTC", max_length=64, description="IANA time zone", examples=["Europe/Paris"]
    )
    base_currency: str = Field(
        default="USD", pattern=r"^[A-Z]{3}$", description="ISO 4217 code", examples=["EUR"]
    )
    job_defaults: JobDefaults = Field(default_factory=JobDefaults)
    notifications: dict[str, NotificationRoute] = Field(
        default_factory=_all_on,
        description="per notification kind; a kind left out keeps producing notifications",
    )

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in _zones():
            raise ValueError(f"{value!r} is not an IANA time zone (such as 'Europe/Paris')")
        return value

    @field_validator("base_currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        if value not in _currencies():
            raise ValueError(f"{value!r} is not an ISO 4217 currency code")
        return value

    @field_validator("notifications")
    @classmethod
    def _known_kinds(cls, value: dict[str, NotificationRoute]) -> dict[str, NotificationRoute]:
        unknown = sorted(set(value) - _kinds())
        if unknown:
            raise ValueError(f"unknown notification kind(s) {unknown}; known: {sorted(_kinds())}")
        return {**_all_on(), **value}

    def in_app(self, kind: str) -> bool:
        """Whether ``kind`` produces an in-app notification."""
        route = self.notifications.get(kind)
        return route is None or route.in_app


def changed_keys(before: dict[str, Any], after: dict[str, Any], prefix: str = "") -> list[str]:
    """Dotted names of the leaves that differ (``job_defaults.cash``): the audit's diff summary."""
    keys: list[str] = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if isinstance(old, dict) and isinstance(new, dict):
            keys += changed_keys(old, new, f"{prefix}{name}.")
        elif old != new:
            keys.append(f"{prefix}{name}")
    return keys
