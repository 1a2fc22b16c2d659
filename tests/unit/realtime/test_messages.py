"""The wire format: client frames are validated field by field; server messages share one envelope."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from tradewind.realtime.messages import ClientMessage, FieldError, encode, envelope, parse_client_message
from tradewind.realtime.topics import MAX_TOPICS_PER_CONNECTION, check_topic


def errors_of(body: str | None) -> list[FieldError]:
    parsed = parse_client_message(body)
    assert isinstance(parsed, list), parsed
    return parsed


def test_subscribe_is_parsed_and_duplicates_dropped() -> None:
    message = parse_client_message(
        '{"action": "subscribe", "topics": ["job:abc-1", "notifications", "job:abc-1"]}'
    )
    assert message == ClientMessage(action="subscribe", topics=["job:abc-1", "notifications"])


def test_ping_needs_no_topics_and_keeps_its_data() -> None:
    message = parse_client_message('{"action": "ping", "data": {"sent": 1}}')
    assert isinstance(message, ClientMessage)
    assert (message.topics, message.data) == ([], {"sent": 1})


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        (None, "body", "empty message"),
        ("not json", "body", "JSON"),
        ("[1, 2]", "body", "object"),
        ('{"topics": ["health"]}', "action", "required"),
        ('{"action": "shout", "topics": ["health"]}', "action", "subscribe"),
        ('{"action": "subscribe"}', "topics", "at least one topic"),
        ('{"action": "unsubscribe", "topics": []}', "topics", "at least one topic"),
        ('{"action": "subscribe", "topics": "health"}', "topics", "array"),
        ('{"action": "subscribe", "topics": ["health", "jobs:1"]}', "topics[1]", "unknown topic 'jobs:1'"),
        ('{"action": "subscribe", "topics": ["job:a#b"]}', "topics[0]", "unknown topic"),
        ('{"action": "subscribe", "topics": [7]}', "topics[0]", "string"),
        ('{"action": "subscribe", "topics": ["health"], "extra": 1}', "extra", "not permitted"),
    ],
)
def test_bad_frames_name_the_field(body: str | None, field: str, fragment: str) -> None:
    errors = errors_of(body)
    assert errors[0].field == field
    assert fragment in errors[0].message


def test_too_many_topics_in_one_frame() -> None:
    topics = [f"job:{i}" for i in range(MAX_TOPICS_PER_CONNECTION + 1)]
    errors = errors_of(json.dumps({"action": "subscribe", "topics": topics}))
    assert errors[0].field == "topics"
    assert str(MAX_TOPICS_PER_CONNECTION) in errors[0].message


@pytest.mark.parametrize("topic", ["notifications", "health", "system", "job:01HX-abc_1.2", "dataset:d1"])
def test_known_topics(topic: str) -> None:
    assert check_topic(topic) == topic


@pytest.mark.parametrize("topic", ["", "job:", "job", "news", "dataset:x y", "job:" + "a" * 101, "HEALTH"])
def test_unknown_topics(topic: str) -> None:
    with pytest.raises(ValueError, match="unknown topic"):
        check_topic(topic)


def test_envelope_has_type_topic_utc_ts_and_payload() -> None:
    at = dt.datetime(2025, 1, 2, 4, 4, 5, 678_900, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert envelope("job.progress", {"done": 1}, topic="job:1", now=at) == {
        "type": "job.progress",
        "topic": "job:1",
        "ts": "2025-01-02T03:04:05.678Z",
        "payload": {"done": 1},
    }
    assert envelope("pong", {})["topic"] is None


def test_encode_handles_what_dynamodb_and_domain_code_return() -> None:
    payload = {
        "at": dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        "day": dt.date(2025, 1, 2),
        "count": Decimal("3"),
        "ratio": Decimal("1.25"),
        "missing": Decimal("NaN"),
        "tags": {"b", "a"},
        "name": "é",
    }
    assert json.loads(encode(payload)) == {
        "at": "2025-01-02T03:04:05+00:00",
        "day": "2025-01-02",
        "count": 3,
        "ratio": 1.25,
        "missing": None,
        "tags": ["a", "b"],
        "name": "é",
    }


def test_encode_refuses_unknown_objects() -> None:
    with pytest.raises(TypeError, match="object"):
        encode({"x": object()})
