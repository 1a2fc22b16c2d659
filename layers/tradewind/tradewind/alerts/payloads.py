"""What each channel kind receives: the HTTP request one delivery posts, and the webhook signature.

Pure: no AWS, no network. A generic webhook gets the event as JSON, signed HMAC-SHA256 over
``<timestamp>.<body>`` with the channel's secret in ``X-Tradewind-Signature: t=<ts>,v1=<hex>``
(docs/alerts.md shows a receiver verifying it); Slack gets Block Kit, Discord an embed, Telegram a
``sendMessage`` call. Texts are clipped to each service's limits.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
from dataclasses import dataclass
from typing import Any

from tradewind.alerts.events import AlertEvent, EventKind

SIGNATURE_HEADER = "X-Tradewind-Signature"
EVENT_HEADER = "X-Tradewind-Event"
DELIVERY_HEADER = "X-Tradewind-Delivery"
USER_AGENT = "Tradewind-Alerts/1"
REPLAY_WINDOW_SECONDS = 300
"""How old a signed timestamp a receiver should accept (and how far in the future): five minutes."""
# Discord embed colours: green, red, blue, grey.
COLOURS = {
    EventKind.JOB_SUCCEEDED: 0x2F9E44,
    EventKind.JOB_FAILED: 0xE03131,
    EventKind.SCHEDULE_FAILED: 0xE03131,
    EventKind.IMPORT_FAILED: 0xE03131,
    EventKind.PIPELINE_SIGNALS: 0x1971C2,
    EventKind.TEST: 0x868E96,
}


@dataclass(frozen=True)
class Target:
    """Where and how a channel posts (its secrets included: built only by the delivery)."""

    kind: str  # webhook | slack | discord | telegram
    url: str | None = None
    signing_secret: str | None = None
    bot_token: str | None = None
    chat_id: str | None = None


@dataclass(frozen=True)
class OutboundRequest:
    url: str
    body: bytes
    headers: dict[str, str]


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``<timestamp>.<body>`` under ``secret``."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = REPLAY_WINDOW_SECONDS) -> bool:
    """What a receiver does (docs/alerts.md): parse ``t=..,v1=..``, refuse a timestamp outside the
    replay window, compare the signature in constant time."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), parts.get("v1", ""))


def absolute(link: str | None, site_url: str) -> str | None:
    """The event's app link made absolute when the site's URL is known (a relative one otherwise)."""
    if not link or not site_url:
        return link
    return site_url.rstrip("/") + link


def webhook_body(event: AlertEvent, org_id: str, site_url: str) -> dict[str, Any]:
    return {
        "id": event.event_id,
        "kind": str(event.kind),
        "organisation": org_id,
        "occurred_at": event.occurred_at.isoformat(),
        "title": event.title,
        "text": event.text,
        "link": absolute(event.link, site_url),
        "data": event.data,
    }


def slack_body(event: AlertEvent, site_url: str) -> dict[str, Any]:
    """Block Kit: a header, the text, a context line; ``text`` is the notification fallback."""
    link = absolute(event.link, site_url)
    context = f"Tradewind · {event.kind} · {event.occurred_at:%Y-%m-%d %H:%M UTC}"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": clip(event.title, 150)}},
        {"type": "section", "text": {"type": "mrkdwn", "text": clip(event.text, 3000)}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": context}]},
    ]
    if link and link.startswith("http"):
        blocks.insert(
            2, {"type": "section", "text": {"type": "mrkdwn", "text": f"<{link}|Open in Tradewind>"}}
        )
    return {"text": clip(event.title, 3000), "blocks": blocks}


def discord_body(event: AlertEvent, site_url: str) -> dict[str, Any]:
    """One embed, coloured by outcome; no mentions are parsed (``allowed_mentions``)."""
    embed: dict[str, Any] = {
        "title": clip(event.title, 256),
        "description": clip(event.text, 4096),
        "color": COLOURS[event.kind],
        "timestamp": event.occurred_at.isoformat(),
        "footer": {"text": f"Tradewind · {event.kind}"},
    }
    link = absolute(event.link, site_url)
    if link and link.startswith("http"):
        embed["url"] = link
    return {"username": "Tradewind", "embeds": [embed], "allowed_mentions": {"parse": []}}


def telegram_body(event: AlertEvent, chat_id: str, site_url: str) -> dict[str, Any]:
    """``sendMessage`` with HTML formatting (the event's text escaped)."""
    text = f"<b>{html.escape(event.title)}</b>\n{html.escape(event.text)}"
    link = absolute(event.link, site_url)
    if link and link.startswith("http"):
        text += f'\n<a href="{html.escape(link)}">Open in Tradewind</a>'
    return {
        "chat_id": chat_id,
        "text": clip(text, 4096),
        "parse_mode": "HTML",
        "disable_web_page_preview": True,
    }


def _json(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def build_request(
    target: Target,
    event: AlertEvent,
    *,
    org_id: str,
    timestamp: int,
    site_url: str = "",
    telegram_api: str = "https://api.telegram.org",
) -> OutboundRequest:
    """The one HTTP POST that delivers ``event`` to ``target``."""
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: str(event.kind),
        DELIVERY_HEADER: event.event_id,
    }
    if target.kind == "telegram":
        assert target.bot_token
        assert target.chat_id
        url = f"{telegram_api.rstrip('/')}/bot{target.bot_token}/sendMessage"
        return OutboundRequest(url, _json(telegram_body(event, target.chat_id, site_url)), headers)
    assert target.url
    if target.kind == "slack":
        return OutboundRequest(target.url, _json(slack_body(event, site_url)), headers)
    if target.kind == "discord":
        return OutboundRequest(target.url, _json(discord_body(event, site_url)), headers)
    assert target.signing_secret
    body = _json(webhook_body(event, org_id, site_url))
    signed = {**headers, SIGNATURE_HEADER: signature_header(target.signing_secret, timestamp, body)}
    return OutboundRequest(target.url, body, signed)
