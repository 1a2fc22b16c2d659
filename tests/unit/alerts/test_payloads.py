"""Alert payloads per channel kind, webhook signing and verification, the backoff schedule,
destination checks and redaction, and the per-channel narrowing of signal events (all pure)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from tradewind.alerts import payloads, policy
from tradewind.alerts.events import AlertEvent, EventKind, Subscription, for_subscriptions
from tradewind.alerts.payloads import Target, build_request
from tradewind.alerts.targets import redact_secret, redact_url, target_problems, url_problem

SECRET = "whsec_0123456789abcdef"
AT = datetime(2026, 12, 5, 14, 30, tzinfo=UTC)
EVENT = AlertEvent(
    "e1", EventKind.JOB_FAILED, "Backtest 'x' failed", "no bars <b>", AT, "/backtests/j1", {"a": 1}
)


def test_the_webhook_body_is_signed_over_timestamp_dot_body_and_verifies() -> None:
    request = build_request(
        Target("webhook", "https://example.com/hook", SECRET), EVENT, org_id="acme", timestamp=1000
    )
    header = request.headers["X-Tradewind-Signature"]
    assert header.startswith("t=1000,v1=")
    body = json.loads(request.body)
    assert body == {
        "id": "e1",
        "kind": "job.failed",
        "organisation": "acme",
        "occurred_at": "2026-12-05T14:30:00+00:00",
        "title": "Backtest 'x' failed",
        "text": "no bars <b>",
        "link": "/backtests/j1",
        "data": {"a": 1},
    }
    assert request.headers["X-Tradewind-Event"] == "job.failed"
    assert request.headers["X-Tradewind-Delivery"] == "e1"
    assert payloads.verify(SECRET, header, request.body, now=1000 + payloads.REPLAY_WINDOW_SECONDS)
    import hashlib
    import hmac

    expected = hmac.new(SECRET.encode(), b"1000." + request.body, hashlib.sha256).hexdigest()
    assert header == f"t=1000,v1={expected}"


@pytest.mark.parametrize(
    ("secret", "body", "now", "header"),
    [
        ("whsec_another_secret_123", None, 1000, None),  # wrong secret
        (SECRET, b'{"tampered":true}', 1000, None),  # body changed
        (SECRET, None, 1000 + payloads.REPLAY_WINDOW_SECONDS + 1, None),  # replayed too late
        (SECRET, None, 1000 - payloads.REPLAY_WINDOW_SECONDS - 1, None),  # from the future
        (SECRET, None, 1000, "v1=abc"),  # no timestamp
        (SECRET, None, 1000, "t=soon,v1=abc"),
    ],
)
def test_verification_refuses_a_wrong_secret_a_changed_body_a_replay_or_a_bad_header(
    secret: str, body: bytes | None, now: int, header: str | None
) -> None:
    request = build_request(
        Target("webhook", "https://example.com/hook", SECRET), EVENT, org_id="acme", timestamp=1000
    )
    sent = header or request.headers["X-Tradewind-Signature"]
    assert not payloads.verify(secret, sent, body or request.body, now=now)


def test_slack_gets_block_kit_with_a_fallback_text_and_an_absolute_link() -> None:
    request = build_request(
        Target("slack", "https://hooks.slack.com/services/T/B/x"),
        EVENT,
        org_id="acme",
        timestamp=1,
        site_url="https://app.example.com/",
    )
    body = json.loads(request.body)
    assert body["text"] == "Backtest 'x' failed"
    assert [b["type"] for b in body["blocks"]] == ["header", "section", "section", "context"]
    assert body["blocks"][1]["text"] == {"type": "mrkdwn", "text": "no bars <b>"}
    assert body["blocks"][2]["text"]["text"] == "<https://app.example.com/backtests/j1|Open in Tradewind>"
    assert "X-Tradewind-Signature" not in request.headers


def test_discord_gets_one_red_embed_and_no_mentions() -> None:
    long = AlertEvent("e2", EventKind.JOB_FAILED, "t" * 300, "d" * 5000, AT)
    body = json.loads(
        build_request(
            Target("discord", "https://discord.com/api/webhooks/1/x"), long, org_id="a", timestamp=1
        ).body
    )
    (embed,) = body["embeds"]
    assert embed["color"] == payloads.COLOURS[EventKind.JOB_FAILED]
    assert len(embed["title"]) == 256
    assert embed["title"].endswith("…")
    assert len(embed["description"]) == 4096
    assert embed["timestamp"] == AT.isoformat()
    assert body["allowed_mentions"] == {"parse": []}
    assert "url" not in embed  # a relative link is not a URL Discord accepts


def test_telegram_calls_send_message_with_escaped_html() -> None:
    target = Target("telegram", bot_token="123:" + "a" * 35, chat_id="-100200")
    request = build_request(target, EVENT, org_id="acme", timestamp=1, telegram_api="http://127.0.0.1:9/")
    assert request.url == f"http://127.0.0.1:9/bot123:{'a' * 35}/sendMessage"
    body = json.loads(request.body)
    assert body == {
        "chat_id": "-100200",
        "text": "<b>Backtest &#x27;x&#x27; failed</b>\nno bars &lt;b&gt;",
        "parse_mode": "HTML",
        "disable_web_page_preview": True,
    }


def test_backoff_grows_fourfold_from_30_seconds_and_is_capped_at_sqs_maximum() -> None:
    assert policy.schedule() == [30, 120, 480, 1920]
    assert len(policy.schedule()) == policy.MAX_ATTEMPTS - 1
    assert policy.backoff_seconds(20) == 12 * 3600 - 1
    with pytest.raises(ValueError, match="from 1"):
        policy.backoff_seconds(0)


def test_secrets_are_shown_by_host_and_last_four_characters_only() -> None:
    assert (
        redact_url("https://hooks.slack.com/services/T000/B000/XXXXabcd") == "https://hooks.slack.com/…/abcd"
    )
    assert redact_url("https://user:pw@example.com/hook?token=s3cr3tWXYZ") == "https://example.com/…/WXYZ"
    assert redact_secret("123:abcdefghijklmnopqrstuvwxyz") == "…wxyz"


@pytest.mark.parametrize(
    ("url", "kind", "loopback", "problem"),
    [
        ("https://example.com/hook", "webhook", False, None),
        ("http://example.com/hook", "webhook", False, "must start with https://"),
        ("http://127.0.0.1:8123/hook", "webhook", False, "must start with https://"),
        ("http://127.0.0.1:8123/hook", "slack", True, None),
        ("https://10.0.0.1/hook", "webhook", False, "must name a host, not an IP address"),
        ("https://169.254.169.254/latest", "webhook", True, "must name a host, not an IP address"),
        ("https://intranet/hook", "webhook", False, "must be a public host name"),
        ("https://u:p@example.com/hook", "webhook", False, "needs a host name and no user or password"),
        ("https://example.com:99999/x", "webhook", False, "not a URL"),
        ("https://example.com/" + "x" * 2048, "webhook", False, "at most 2048 characters"),
        ("https://hooks.slack.com/services/T/B/x", "slack", False, None),
        ("https://example.com/services/T/B/x", "slack", False, "must be a Slack incoming webhook"),
        ("https://discord.com/api/webhooks/1/x", "discord", False, None),
        ("https://discord.com/channels/1", "discord", False, "must be a Discord webhook"),
    ],
)
def test_destination_urls(url: str, kind: str, loopback: bool, problem: str | None) -> None:
    found = url_problem(url, kind, allow_loopback=loopback)
    assert found == problem if problem is None else (found or "").startswith(problem)


def test_destination_problems_name_their_fields() -> None:
    problems = target_problems(
        "telegram",
        url="https://x.example.com",
        bot_token="nope",
        chat_id=None,
        secret=None,
        allow_loopback=False,
    )
    assert [(p.loc, p.type) for p in problems] == [
        (["body", "url"], "extra_forbidden"),
        (["body", "bot_token"], "value_error"),
        (["body", "chat_id"], "missing"),
    ]
    webhook = target_problems(
        "webhook", url=None, bot_token=None, chat_id=None, secret="short", allow_loopback=False
    )
    assert [p.loc for p in webhook] == [["body", "secret"], ["body", "url"]]
    assert (
        target_problems(
            "webhook", url=None, bot_token=None, chat_id=None, secret=None, allow_loopback=False, partial=True
        )
        == []
    )


def _signals(*strengths: float) -> AlertEvent:
    signals = [
        {
            "symbol": f"S{i}",
            "action": "buy",
            "side": "long",
            "strength": s,
            "close": 10.0,
            "rule": "r",
            "time": "t",
        }
        for i, s in enumerate(strengths)
    ]
    return AlertEvent("e3", EventKind.PIPELINE_SIGNALS, "Run: 3 signals", "", AT, None, {"signals": signals})


def test_a_signal_event_reaches_a_channel_with_only_the_signals_at_or_above_its_strength() -> None:
    event = _signals(0.9, 0.5, 0.1)
    narrowed = for_subscriptions(event, [Subscription(EventKind.PIPELINE_SIGNALS, 0.5)])
    assert narrowed is not None
    assert [s["symbol"] for s in narrowed.data["signals"]] == ["S0", "S1"]
    assert narrowed.text.splitlines() == [
        "2 signals at or above strength 0.5:",
        "S0 buy (long) strength 0.90 at 10.0",
        "S1 buy (long) strength 0.50 at 10.0",
    ]
    assert for_subscriptions(event, [Subscription(EventKind.PIPELINE_SIGNALS, 0.95)]) is None
    assert for_subscriptions(event, [Subscription(EventKind.JOB_FAILED)]) is None
    unfiltered = for_subscriptions(event, [Subscription(EventKind.PIPELINE_SIGNALS)])
    assert unfiltered is not None
    assert len(unfiltered.data["signals"]) == 3


def test_other_events_reach_only_their_subscribers_unchanged_and_a_test_reaches_anyone() -> None:
    assert for_subscriptions(EVENT, [Subscription(EventKind.JOB_FAILED)]) is EVENT
    assert for_subscriptions(EVENT, [Subscription(EventKind.JOB_SUCCEEDED)]) is None
    test = AlertEvent("e4", EventKind.TEST, "t", "x", AT)
    assert for_subscriptions(test, []) is test
    assert AlertEvent.from_json(json.loads(json.dumps(EVENT.to_json()))) == EVENT
