"""Topic names a WebSocket client may subscribe to.

Topics are a closed vocabulary so a typo fails loudly at subscribe time instead of silently never
receiving anything. They are stored inside DynamoDB keys (``TOPIC#{tenant}#{topic}``), so ``#`` and
other separators are never allowed in an id.
"""

from __future__ import annotations

import re

MAX_TOPICS_PER_CONNECTION = 50
"""Bounds the fan-out rows one connection can create (and the work of its ``$disconnect``)."""

FIXED_TOPICS = ("notifications", "jobs", "health", "system")
PREFIXED_TOPICS = ("job", "dataset")
_TOPIC = re.compile(
    rf"^(?:{'|'.join(FIXED_TOPICS)}|(?:{'|'.join(PREFIXED_TOPICS)}):[A-Za-z0-9][A-Za-z0-9_.-]{{0,99}})$"
)
TOPIC_HELP = (
    "expected notifications, jobs, health, system, job:<id> or dataset:<id> (id: letters, digits, _ . -)"
)


def check_topic(topic: str) -> str:
    """Return ``topic`` unchanged if it is a known topic name, else raise ``ValueError`` saying why."""
    if not _TOPIC.match(topic):
        raise ValueError(f"unknown topic {topic!r}: {TOPIC_HELP}")
    return topic
