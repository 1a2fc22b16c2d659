"""Checking and redacting a channel's destination (pure).

Every URL is ``https`` to a public host name; Slack and Discord URLs must be their webhook hosts.
Only the local stage may also allow ``http://127.0.0.1`` / ``localhost`` (``TW_ALERTS_ALLOW_LOOPBACK``,
set by ``make run`` and the tests so deliveries reach a receiver the test starts). Secrets are shown
only redacted: the scheme and host, then ``…/`` and the last four characters.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from tradewind.errors import FieldProblem

KINDS = ("webhook", "slack", "discord", "telegram")
MAX_URL = 2048
SLACK_HOSTS = frozenset({"hooks.slack.com"})
DISCORD_HOSTS = frozenset({"discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})
BOT_TOKEN = re.compile(r"^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$")
CHAT_ID = re.compile(r"^(-?[0-9]{1,20}|@[A-Za-z0-9_]{5,32})$")
SECRET = re.compile(r"^[\x21-\x7e]{16,256}$")
"""A webhook signing secret: 16 to 256 printable ASCII characters, no spaces."""
SHOWN = 4


def url_problem(url: str, kind: str, *, allow_loopback: bool) -> str | None:
    """Why ``url`` cannot be a ``kind`` channel's destination, or ``None`` when it can."""
    if len(url) > MAX_URL:
        return f"at most {MAX_URL} characters"
    try:
        parts = urlsplit(url)
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        return "not a URL"
    del port  # parsed only to refuse a malformed port
    loopback = allow_loopback and parts.scheme in ("http", "https") and host in LOOPBACK_HOSTS
    if loopback:
        return None
    if parts.scheme != "https":
        return "must start with https://"
    if not host or parts.username or parts.password:
        return "needs a host name and no user or password"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return "must name a host, not an IP address"
    if host == "localhost" or "." not in host:
        return "must be a public host name"
    if kind == "slack" and (host not in SLACK_HOSTS or not parts.path.startswith("/services/")):
        return "must be a Slack incoming webhook (https://hooks.slack.com/services/...)"
    if kind == "discord" and (host not in DISCORD_HOSTS or not parts.path.startswith("/api/webhooks/")):
        return "must be a Discord webhook (https://discord.com/api/webhooks/...)"
    return None


def target_problems(
    kind: str,
    *,
    url: str | None,
    bot_token: str | None,
    chat_id: str | None,
    secret: str | None,
    allow_loopback: bool,
    partial: bool = False,
) -> list[FieldProblem]:
    """Every problem with a channel's destination fields, each naming its field (``body.url``...).

    ``partial`` (an update) accepts a missing field: the stored value stays."""
    problems: list[FieldProblem] = []

    def need(name: str, value: str | None) -> bool:
        if value is None and not partial:
            problems.append(FieldProblem(["body", name], f"required for a {kind} channel", "missing"))
        return value is not None

    def refuse(name: str, value: str | None) -> None:
        if value is not None:
            problems.append(FieldProblem(["body", name], f"not used by a {kind} channel", "extra_forbidden"))

    if kind == "telegram":
        refuse("url", url)
        refuse("secret", secret)
        if need("bot_token", bot_token) and not BOT_TOKEN.match(bot_token or ""):
            problems.append(FieldProblem(["body", "bot_token"], "not a bot token (<digits>:<35 characters>)"))
        if need("chat_id", chat_id) and not CHAT_ID.match(chat_id or ""):
            problems.append(FieldProblem(["body", "chat_id"], "a numeric chat id or an @channel name"))
        return problems
    refuse("bot_token", bot_token)
    refuse("chat_id", chat_id)
    if kind != "webhook":
        refuse("secret", secret)
    elif secret is not None and not SECRET.match(secret):
        problems.append(FieldProblem(["body", "secret"], "16 to 256 printable characters, no spaces"))
    if need("url", url) and (reason := url_problem(url or "", kind, allow_loopback=allow_loopback)):
        problems.append(FieldProblem(["body", "url"], reason))
    return problems


def redact_url(url: str) -> str:
    """``https://hooks.slack.com/…/abcd``: enough to recognise it, never enough to use it."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"
    return f"{origin}/…/{url[-SHOWN:]}"


def redact_secret(secret: str) -> str:
    """``…wxyz``."""
    return f"…{secret[-SHOWN:]}"
