"""What a channel can subscribe to, and the event one delivery carries.

An event is built once by its producer and narrowed per channel: a ``pipeline.signals`` event lists
the strongest signals of a run's last bar, and a channel subscribed with ``min_strength`` receives
only those at or above it (none left: no delivery to that channel).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    """Kinds of events a channel receives (``test`` only from ``POST /channels/{id}/test``)."""

    JOB_SUCCEEDED = "job.succeeded"
    JOB_FAILED = "job.failed"
    PIPELINE_SIGNALS = "pipeline.signals"
    SCHEDULE_FAILED = "schedule.failed"
    IMPORT_FAILED = "import.failed"
    TEST = "test"


SUBSCRIBABLE: tuple[EventKind, ...] = tuple(kind for kind in EventKind if kind is not EventKind.TEST)
MAX_SIGNALS = 25
"""Signals one ``pipeline.signals`` event lists at most (the strongest; the count says how many more)."""


@dataclass(frozen=True)
class Subscription:
    """One event kind a channel receives; ``min_strength`` filters ``pipeline.signals`` (0 to 1)."""

    event: EventKind
    min_strength: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {"event": str(self.event), "min_strength": self.min_strength}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Subscription:
        strength = raw.get("min_strength")
        return cls(EventKind(raw["event"]), None if strength is None else float(strength))


@dataclass(frozen=True)
class AlertEvent:
    """One thing that happened in an organisation, as every channel kind renders it."""

    event_id: str
    kind: EventKind
    title: str
    text: str
    occurred_at: datetime
    link: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        raw = asdict(self)
        raw["kind"], raw["occurred_at"] = str(self.kind), self.occurred_at.isoformat()
        return raw

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> AlertEvent:
        return cls(
            event_id=str(raw["event_id"]),
            kind=EventKind(raw["kind"]),
            title=str(raw["title"]),
            text=str(raw["text"]),
            occurred_at=datetime.fromisoformat(raw["occurred_at"]),
            link=raw.get("link"),
            data=dict(raw.get("data") or {}),
        )


def signal_lines(signals: list[dict[str, Any]]) -> str:
    """One line per signal: ``AAPL buy (long) strength 0.83 at 189.2``."""
    return "\n".join(
        f"{s['symbol']} {s['action']} ({s['side']}) strength {float(s['strength']):.2f} at {s['close']}"
        for s in signals
    )


def for_subscriptions(event: AlertEvent, subscriptions: list[Subscription]) -> AlertEvent | None:
    """The event as a channel with these subscriptions receives it, or ``None`` when it does not.

    A test event goes to any channel (it is addressed to one). A ``pipeline.signals`` event keeps the
    signals at or above the subscription's ``min_strength``."""
    if event.kind is EventKind.TEST:
        return event
    wanted = next((s for s in subscriptions if s.event is event.kind), None)
    if wanted is None:
        return None
    if event.kind is not EventKind.PIPELINE_SIGNALS:
        return event
    floor = wanted.min_strength or 0.0
    signals = [s for s in event.data.get("signals", []) if float(s["strength"]) >= floor]
    if not signals:
        return None
    data = {**event.data, "signals": signals, "min_strength": floor}
    header = f"{len(signals)} signal{'' if len(signals) == 1 else 's'} at or above strength {floor:g}:"
    return replace(event, text=f"{header}\n{signal_lines(signals)}", data=data)
