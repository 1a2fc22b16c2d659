"""How hard a delivery tries (pure; the CDK construct reads ``MAX_ATTEMPTS`` for the queue's
``maxReceiveCount``, so the last attempt and the dead-letter move agree)."""

from __future__ import annotations

MAX_ATTEMPTS = 5
"""Attempts of one delivery; after the last one fails its message moves to the dead-letter queue."""
PAUSE_AFTER = 5
"""Deliveries in a row that failed every attempt before the channel is paused (admins notified)."""
FIRST_DELAY_SECONDS = 30
BACKOFF_FACTOR = 4
MAX_DELAY_SECONDS = 12 * 60 * 60 - 1
"""SQS's largest visibility timeout (12 hours), less a second."""
CONNECT_TIMEOUT_SECONDS = 5.0
READ_TIMEOUT_SECONDS = 10.0
LEASE_SECONDS = 60
"""How long an attempt owns its delivery record: a copy of the message arriving meanwhile waits."""


def backoff_seconds(attempt: int) -> int:
    """The wait after failed attempt ``attempt`` (1-based): 30 s, 2 min, 8 min, 32 min..., capped."""
    if attempt < 1:
        raise ValueError("attempts count from 1")
    return min(FIRST_DELAY_SECONDS * BACKOFF_FACTOR ** (attempt - 1), MAX_DELAY_SECONDS)


def schedule() -> list[int]:
    """The waits between the attempts of one delivery (one fewer than :data:`MAX_ATTEMPTS`)."""
    return [backoff_seconds(n) for n in range(1, MAX_ATTEMPTS)]
