"""The audit trail over the API under moto: one record per mutating call whatever its outcome, the
action and target derived from the route, every mutating operation of the OpenAPI document covered
(generated from the document, so a new route is covered at once), filters, pages, CSV, isolation,
append-only writes and a failed write made loud but not failing the call."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind.audit import trail
from tradewind.audit.naming import action_name, is_audited
from tradewind.data.audit import AuditRecord


def _records(org: str = "acme") -> list[AuditRecord]:
    pk, prefix = AuditRecord.key(org)
    return list(AuditRecord.query(pk, AuditRecord.sk.startswith(prefix)))


def test_a_created_watchlist_is_recorded_with_actor_action_target_and_request(
    api: TestClient, h: dict[str, str]
) -> None:
    r = api.post(
        "/watchlists",
        json={"name": "tech", "symbols": ["AAPL"]},
        headers={**h, "User-Agent": "pytest-agent", "X-Request-Id": "req-123"},
    )
    assert r.status_code == 201, r.text
    [row] = _records()
    assert row.action == "watchlists.create"
    assert row.target_id == r.json()["watchlist_id"]
    assert (row.status, row.outcome, row.method, row.path) == (201, "success", "POST", "/watchlists")
    assert row.actor.startswith("key:")
    assert (row.org_id, row.request_id, row.user_agent) == ("acme", "req-123", "pytest-agent")
    assert row.source_ip
    assert row.expires_at is not None
    assert timedelta(0) <= row.created_at + timedelta(days=365) - row.expires_at < timedelta(seconds=1)
    assert row.gsi1pk == f"AUDITDAY#{row.created_at.date().isoformat()}"


def test_failures_are_recorded_too(api: TestClient, h: dict[str, str]) -> None:
    assert api.put("/watchlists/nope", json={"name": "x"}, headers=h).status_code == 404
    assert api.post("/watchlists", json={"name": ""}, headers=h).status_code == 422
    rows = sorted(_records(), key=lambda r: r.audit_id)
    assert [(r.action, r.status, r.outcome, r.target_id) for r in rows] == [
        ("watchlists.update", 404, "failure", "nope"),
        ("watchlists.create", 422, "failure", None),
    ]


def test_reads_unknown_callers_and_read_only_posts_are_not_recorded(
    api: TestClient, h: dict[str, str]
) -> None:
    api.get("/watchlists", headers=h)
    api.post("/watchlists", json={"name": "x"})  # no credential: 401, no organisation to file it under
    api.post("/watchlists", json={"name": "x"}, headers={"X-Api-Key": "tw_bad_key"})
    api.post("/realtime/tickets", headers=h)
    assert _records() == []


def test_an_unhandled_error_is_recorded_as_500(
    api: TestClient, h: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tradewind.services import watchlists

    def boom(*_: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(watchlists, "delete_watchlist", boom)
    assert api.delete("/watchlists/w1", headers=h).status_code == 500
    [row] = _records()
    assert (row.action, row.status, row.outcome, row.target_id) == ("watchlists.delete", 500, "failure", "w1")


def _sample_path(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "x1", template)


def test_every_mutating_operation_of_the_openapi_document_makes_exactly_one_record(
    api: TestClient, h: dict[str, str]
) -> None:
    document = api.get("/openapi.json").json()
    operations = [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if is_audited(method, path) and item[method].get("security")
    ]
    assert len(operations) > 30  # the whole API, not an empty document
    for method, template in operations:
        before = {r.audit_id for r in _records()}
        r = api.request(method, _sample_path(template), json={}, headers=h)
        new = [row for row in _records() if row.audit_id not in before]
        assert len(new) == 1, (method, template, r.status_code)
        [row] = new
        assert row.action == action_name(method, template), template
        assert row.route == template
        assert row.status == r.status_code
        assert row.outcome == ("success" if r.status_code < 400 else "failure")
        if "{" in template and r.status_code >= 400:
            assert row.target_id == "x1", template


def _seed(org: str, n: int, at: datetime, **values: Any) -> list[str]:
    ids = []
    for i in range(n):
        when = at + timedelta(minutes=i)
        entry = trail.Entry(
            audit_id=trail.new_id(when),
            created_at=when,
            org_id=org,
            actor=values.get("actor", "key:k1"),
            action=values.get("action", "strategies.update"),
            target_id=values.get("target", f"s{i}"),
            outcome="success",
            status=200,
            method="PUT",
            path=f"/strategies/s{i}",
            route="/strategies/{strategy_id}",
            request_id=f"r{i}",
            source_ip="10.0.0.1",
            user_agent="ua",
        )
        trail.record(entry)
        ids.append(entry.audit_id)
    return ids


def test_the_list_pages_newest_first_and_filters(api: TestClient, h: dict[str, str]) -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    _seed("acme", 5, start)
    _seed("acme", 3, start + timedelta(hours=1), actor="user:alice", action="jobs.cancel", target="j1")
    _seed("globex", 2, start)
    seen: list[dict[str, Any]] = []
    token = None
    while True:
        params: dict[str, Any] = {"limit": 3, **({"next_token": token} if token else {})}
        page = api.get("/audit", params=params, headers=h).json()
        seen += page["items"]
        token = page["next_token"]
        if not token:
            break
    assert len(seen) == 8  # globex's are never listed
    times = [item["created_at"] for item in seen]
    assert times == sorted(times, reverse=True)

    def listed(**params: Any) -> list[dict[str, Any]]:
        r = api.get("/audit", params={"limit": 200, **params}, headers=h)
        assert r.status_code == 200, r.text
        return list(r.json()["items"])

    assert {i["actor"] for i in listed(actor="user:alice")} == {"user:alice"}
    assert len(listed(action="jobs.cancel")) == 3
    assert len(listed(target="s1")) == 1
    assert len(listed(actor="user:alice", action="strategies.update")) == 0
    window = listed(
        since=(start + timedelta(minutes=1)).isoformat(), until=(start + timedelta(minutes=3)).isoformat()
    )
    assert [i["target_id"] for i in window] == ["s3", "s2", "s1"]


def test_a_filtered_list_pages_to_the_end_with_every_match(api: TestClient, h: dict[str, str]) -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    _seed("acme", 30, start)
    _seed("acme", 7, start + timedelta(hours=1), actor="user:bob")
    found, token = [], None
    while True:
        params: dict[str, Any] = {"limit": 2, "actor": "user:bob", **({"next_token": token} if token else {})}
        page = api.get("/audit", params=params, headers=h).json()
        found += page["items"]
        token = page["next_token"]
        if not token:
            break
    assert len(found) == 7
    assert len({i["audit_id"] for i in found}) == 7


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"actor": "alice"}, "actor"),
        ({"action": "Strategies Update"}, "action"),
        ({"since": "yesterday"}, "since"),
        ({"since": "2026-03-01T00:00:00"}, "since"),  # no offset: ambiguous
        ({"since": "2026-03-02T00:00:00Z", "until": "2026-03-01T00:00:00Z"}, "until"),
        ({"limit": 0}, "limit"),
        ({"next_token": "garbage"}, "next_token"),
    ],
)
def test_bad_filters_answer_422_naming_the_field(
    api: TestClient, h: dict[str, str], params: dict[str, Any], field: str
) -> None:
    r = api.get("/audit", params=params, headers=h)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["loc"] == ["query", field]


def test_a_token_of_another_list_is_refused(api: TestClient, h: dict[str, str]) -> None:
    from tradewind.api.pagination import encode_token

    forged = encode_token({"pk": {"S": "TENANT#acme"}, "sk": {"S": "WATCHLIST#w"}})
    r = api.get("/audit", params={"next_token": forged}, headers=h)
    assert r.status_code == 422


def test_csv_export_streams_the_filtered_trail(api: TestClient, h: dict[str, str]) -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    _seed("acme", 4, start)
    _seed("acme", 2, start, action="jobs.cancel")
    r = api.get("/audit/export", params={"action": "jobs.cancel"}, headers=h)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["action"] for row in rows] == ["jobs.cancel", "jobs.cancel"]
    assert api.get("/audit/export", params={"actor": "bad"}, headers=h).status_code == 422


def test_records_are_append_only(aws: None) -> None:
    from pynamodb.exceptions import PutError

    [audit_id] = _seed("acme", 1, datetime(2026, 3, 1, tzinfo=UTC))
    [row] = _records()
    entry = trail._view(row)
    with pytest.raises(PutError):
        trail.record(entry)
    assert len(_records()) == 1
    assert _records()[0].audit_id == audit_id


def test_a_failed_audit_write_is_logged_and_counted_but_the_call_stands(
    api: TestClient, h: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import logging

    from tradewind.api.observability import logger

    class Keep(logging.Handler):
        def __init__(self) -> None:
            super().__init__()
            self.records: list[logging.LogRecord] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.records.append(record)

    def refuse(_: Any) -> None:
        raise RuntimeError("table unavailable")

    kept = Keep()
    logger.addHandler(kept)
    monkeypatch.setattr(trail, "record", refuse)
    try:
        r = api.post("/watchlists", json={"name": "kept"}, headers=h)
    finally:
        logger.removeHandler(kept)
    assert r.status_code == 201
    assert api.get(f"/watchlists/{r.json()['watchlist_id']}", headers=h).status_code == 200
    [failed] = [rec for rec in kept.records if rec.getMessage() == "audit write failed"]
    assert failed.levelno == logging.ERROR
    logged = failed.__dict__["audit"]
    assert (logged["action"], logged["target_id"]) == ("watchlists.create", r.json()["watchlist_id"])
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    assert [m["AuditWriteFailed"] for m in emitted if "AuditWriteFailed" in m] == [[1.0]]


def test_the_daily_export_writes_one_json_lines_object_per_organisation(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tradewind.audit import export
    from tradewind.aws import client, reset_clients

    monkeypatch.setenv("TW_ARTIFACTS_BUCKET", "tw-test-audit-artifacts")
    reset_clients()
    s3 = client("s3")
    s3.create_bucket(Bucket="tw-test-audit-artifacts")
    day = datetime(2026, 3, 1, tzinfo=UTC)
    acme = _seed("acme", 3, day + timedelta(hours=23, minutes=50))  # the last minutes of the day
    _seed("acme", 1, day + timedelta(days=1))  # the next day: not exported
    globex = _seed("globex", 2, day)
    assert export.yesterday(day + timedelta(days=1, minutes=30)) == day.date()
    counts = export.export_day(day.date())
    assert counts == {"acme": 3, "globex": 2}
    for org, ids in (("acme", acme), ("globex", globex)):
        body = s3.get_object(Bucket="tw-test-audit-artifacts", Key=f"audit/{org}/2026-03-01.jsonl")["Body"]
        lines = [json.loads(line) for line in body.read().decode().splitlines()]
        assert [line["audit_id"] for line in lines] == ids  # oldest first
        assert {line["org_id"] for line in lines} == {org}
    # a rerun writes the same objects
    assert export.export_day(day.date()) == counts
    listed = s3.list_objects_v2(Bucket="tw-test-audit-artifacts", Prefix="audit/")["Contents"]
    assert sorted(o["Key"] for o in listed) == [
        "audit/acme/2026-03-01.jsonl",
        "audit/globex/2026-03-01.jsonl",
    ]


def test_a_call_refused_by_the_role_check_is_recorded_with_its_caller(api: TestClient) -> None:
    from tradewind.accounts.principal import Role
    from tradewind.services import apikeys

    viewer = apikeys.create_api_key("acme", "reader", role=Role.VIEWER)
    r = api.put("/settings", json={}, headers={"X-Api-Key": viewer.secret, "If-Match": '"0"'})
    assert r.status_code == 403
    [row] = _records()
    assert (row.action, row.status, row.outcome) == ("settings.update", 403, "failure")
    assert row.actor == f"key:{viewer.key_id}"
