"""The WebSocket wire format: client actions in, enveloped server messages out.

Every server message has the same envelope ``{"type", "topic", "ts", "payload"}`` so clients
dispatch on ``type`` alone; ``topic`` is ``null`` for replies addressed to one connection.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from tradewind.realtime.topics import MAX_TOPICS_PER_CONNECTION, check_topic

Topic = Annotated[str, AfterValidator(check_topic)]


class ClientMessage(BaseModel):
    """What a client sends on ``$default``."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["subscribe", "unsubscribe", "ping"]
    topics: list[Topic] = Field(
        default_factory=list, max_length=MAX_TOPICS_PER_CONNECTION, validate_default=True
    )
    data: dict[str, Any] | None = Field(default=None, description="ping only: echoed back in the pong")

    @field_validator("topics")
    @classmethod
    def _needs_topics(cls, topics: list[str], info: ValidationInfo) -> list[str]:
        """Subscribing to nothing is always a client bug; duplicates are harmless and dropped."""
        if info.data.get("action") in ("subscribe", "unsubscribe") and not topics:
            raise ValueError(f"at least one topic is required to {info.data['action']}")
        return list(dict.fromkeys(topics))


class FieldError(BaseModel):
    """One problem with a client message, located by a readable path such as ``topics[1]``."""

    field: str
    message: str


def parse_client_message(body: str | None) -> ClientMessage | list[FieldError]:
    """Validate a raw frame; return the message, or every problem with the field it concerns."""
    if not body:
        return [FieldError(field="body", message="empty message: expected a JSON object with an action")]
    try:
        return ClientMessage.model_validate_json(body)
    except ValidationError as exc:
        return [FieldError(field=_path(err["loc"]), message=_message(err)) for err in exc.errors()]


def _path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "body"


def _message(err: Mapping[str, Any]) -> str:
    msg = str(err["msg"])
    return msg.removeprefix("Value error, ")


def envelope(
    event_type: str, payload: Mapping[str, Any], topic: str | None = None, now: dt.datetime | None = None
) -> dict[str, Any]:
    """A server message; ``ts`` is ISO-8601 UTC with milliseconds (``2025-01-02T03:04:05.678Z``)."""
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    ts = stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {"type": event_type, "topic": topic, "ts": ts, "payload": dict(payload)}


def encode(message: Mapping[str, Any]) -> bytes:
    """Compact UTF-8 JSON that also accepts what DynamoDB and domain code hand back."""
    return json.dumps(message, default=_default, separators=(",", ":"), ensure_ascii=False).encode()


def _default(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
