"""Action names and targets are derived from the route alone (tradewind.audit.naming)."""

from __future__ import annotations

import gzip
import json

import pytest
from tradewind.api.audit import _plain
from tradewind.audit.naming import action_name, created_id, is_audited, target_id


@pytest.mark.parametrize(
    ("method", "template", "expected"),
    [
        ("POST", "/strategies", "strategies.create"),
        ("PUT", "/strategies/{strategy_id}", "strategies.update"),
        ("PATCH", "/schedules/{schedule_id}", "schedules.update"),
        ("DELETE", "/jobs/{job_id}", "jobs.delete"),
        ("POST", "/jobs/{job_id}/cancel", "jobs.cancel"),
        ("POST", "/strategies/import", "strategies.import"),
        ("POST", "/notifications/read-all", "notifications.read-all"),
        ("DELETE", "/watchlists/{watchlist_id}/symbols/{symbol}", "watchlists.symbols.delete"),
        ("POST", "/optimizations/{job_id}/combinations/{n}/backtest", "optimizations.combinations.backtest"),
        ("PUT", "/settings", "settings.update"),
        ("DELETE", "/api-keys/{key_id}", "api-keys.delete"),
    ],
)
def test_action_name_follows_the_path_template(method: str, template: str, expected: str) -> None:
    assert action_name(method, template) == expected


def test_reads_and_read_only_posts_are_not_audited() -> None:
    assert not is_audited("GET", "/strategies")
    assert not is_audited("POST", "/strategies/validate")
    assert is_audited("POST", "/strategies")
    assert is_audited("delete", "/jobs/{job_id}")


def test_target_is_the_created_object_for_a_successful_post() -> None:
    body = json.dumps({"watchlist_id": "w1", "name": "tech"}).encode()
    assert target_id("POST", "/watchlists", {}, 201, body, None) == "w1"
    # a failed create created nothing
    assert target_id("POST", "/watchlists", {}, 422, body, None) is None


def test_target_is_the_path_object_when_the_answer_names_it_again() -> None:
    body = json.dumps({"job_id": "j1", "status": "cancelled"}).encode()
    assert target_id("POST", "/jobs/{job_id}/cancel", {"job_id": "j1"}, 200, body, None) == "j1"
    assert target_id("DELETE", "/jobs/{job_id}", {"job_id": "j1"}, 404, b"", None) == "j1"


def test_target_of_a_post_that_makes_a_new_object_from_another() -> None:
    template = "/optimizations/{job_id}/combinations/{n}/backtest"
    body = json.dumps({"job_id": "new", "kind": "backtest"}).encode()
    assert target_id("POST", template, {"job_id": "opt", "n": "3"}, 202, body, None) == "new"


def test_created_id_prefers_location_then_id_then_first_id_field() -> None:
    assert created_id(b"{}", "/schedules/s9") == "s9"
    assert created_id(b'{"name": "x", "id": 7, "key_id": "k"}', None) == "7"
    assert created_id(b'{"name": "x", "key_id": "k"}', None) == "k"
    assert created_id(b"not json", None) is None
    assert created_id(b"[1, 2]", None) is None


def test_a_gzipped_answer_is_read_as_json_and_a_cut_one_as_nothing() -> None:
    packed = gzip.compress(b'{"strategy_id": "s1"}')
    assert _plain(packed, "gzip") == b'{"strategy_id": "s1"}'
    assert _plain(packed[:10], "gzip") == b""
