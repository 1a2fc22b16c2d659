"""Strategies over the API: versions, optimistic locking, validation paths, tenants, search, import/export."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind.api.pagination import encode_token
from tradewind.data.strategies import StrategyRecord, StrategyVersionRecord
from tradewind.errors import NotFound
from tradewind.services import strategies
from tradewind.strategy import TEMPLATES, template
from tradewind.strategy.models import Indicator


def _doc(name: str = "SMA cross") -> dict[str, Any]:
    return template("sma_cross").model_dump(mode="json") | {"name": name}


def _create(api: TestClient, h: dict[str, str], name: str = "SMA cross", **extra: Any) -> dict[str, Any]:
    r = api.post("/strategies", json={"document": _doc(name), **extra}, headers=h)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def _put(api: TestClient, h: dict[str, str], sid: str, expected: int, doc: dict[str, Any]) -> Any:
    return api.put(f"/strategies/{sid}", json={"expected_version": expected, "document": doc}, headers=h)


def _stored_versions(tenant: str, sid: str) -> list[int]:
    pk, prefix = StrategyVersionRecord.key(tenant, sid)
    return [
        int(v.version) for v in StrategyVersionRecord.query(pk, StrategyVersionRecord.sk.startswith(prefix))
    ]


def test_create_from_a_template_then_get(api: TestClient, h: dict[str, str]) -> None:
    r = api.post(
        "/strategies",
        json={"template": "sma_cross", "name": "SMA demo", "tags": ["Trend", " trend ", "MA"], "note": "v1"},
        headers=h,
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["name"], body["version"], body["latest_version"]) == ("SMA demo", 1, 1)
    assert (body["tags"], body["note"]) == (["trend", "ma"], "v1")
    assert body["document"] == _doc("SMA demo")
    assert body["description"] == template("sma_cross").description
    assert api.get(f"/strategies/{body['strategy_id']}", headers=h).json() == body


def test_every_save_is_a_new_immutable_version(api: TestClient, h: dict[str, str]) -> None:
    first = _create(api, h)
    sid, url = first["strategy_id"], f"/strategies/{first['strategy_id']}"
    v2 = copy.deepcopy(first["document"])
    v2["parameters"]["fast"]["default"] = 12
    r2 = api.put(url, json={"expected_version": 1, "document": v2, "note": "faster"}, headers=h)
    assert (r2.status_code, r2.json()["version"], r2.json()["note"]) == (200, 2, "faster")
    v3 = v2 | {"name": "Renamed"}
    r3 = _put(api, h, sid, 2, v3).json()
    assert (r3["version"], r3["latest_version"], r3["name"]) == (3, 3, "Renamed")
    assert r3["created_at"] == first["created_at"]
    assert r3["tags"] == first["tags"]

    versions = api.get(f"{url}/versions", headers=h).json()
    assert [(v["version"], v["name"], v["note"]) for v in versions["items"]] == [
        (3, "Renamed", None),
        (2, "SMA cross", "faster"),
        (1, "SMA cross", None),
    ]
    old = api.get(url, params={"version": 1}, headers=h).json()
    assert (old["version"], old["latest_version"], old["document"]) == (1, 3, first["document"])
    assert api.get(f"{url}/versions/2", headers=h).json()["document"] == v2
    assert api.get(url, headers=h).json()["document"] == v3

    missing = api.get(f"{url}/versions/4", headers=h)
    assert (missing.status_code, missing.json()["errors"][0]["loc"]) == (404, ["path", "version"])
    missing = api.get(url, params={"version": 9}, headers=h)
    assert (missing.status_code, missing.json()["errors"][0]["loc"]) == (404, ["query", "version"])


def test_a_stale_update_answers_409_naming_expected_version(api: TestClient, h: dict[str, str]) -> None:
    created = _create(api, h)
    sid = created["strategy_id"]
    assert _put(api, h, sid, 1, _doc("mine")).status_code == 200
    stale = _put(api, h, sid, 1, _doc("theirs"))
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["loc"] == ["body", "expected_version"]
    assert "at version 2" in stale.json()["detail"]
    ahead = _put(api, h, sid, 7, _doc("future"))
    assert (ahead.status_code, ahead.json()["errors"][0]["loc"]) == (409, ["body", "expected_version"])
    latest = api.get(f"/strategies/{sid}", headers=h).json()
    assert (latest["latest_version"], latest["name"]) == (2, "mine")
    assert _stored_versions("acme", sid) == [1, 2]


def test_a_race_lost_inside_the_transaction_is_409_and_writes_nothing(
    api: TestClient, h: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = _create(api, h)["strategy_id"]
    real_head = strategies._head
    raced: list[bool] = []

    def head_then_lose_the_race(tenant_id: str, strategy_id: str) -> StrategyRecord | None:
        record = real_head(tenant_id, strategy_id)
        if not raced:  # another editor saves version 2 between our read and our transaction
            raced.append(True)
            strategies.update_strategy(tenant_id, strategy_id, expected_version=1, document=_doc("winner"))
        return record

    monkeypatch.setattr(strategies, "_head", head_then_lose_the_race)
    lost = _put(api, h, sid, 1, _doc("loser"))
    assert (lost.status_code, lost.json()["errors"][0]["loc"]) == (409, ["body", "expected_version"])
    assert api.get(f"/strategies/{sid}", headers=h).json()["name"] == "winner"
    assert _stored_versions("acme", sid) == [1, 2]


def test_an_invalid_document_is_422_with_every_path_and_nothing_saved(
    api: TestClient, h: dict[str, str]
) -> None:
    doc = _doc()
    doc["parameters"]["fast"]["default"] = 500  # above its max of 200
    doc["indicators"]["a"] = {"kind": "sma", "source": "b", "params": {"window": 5}}
    doc["indicators"]["b"] = {"kind": "ema", "source": "a", "params": {"window": 5}}  # a -> b -> a
    doc["rules"][0]["when"]["left"] = "nope"  # no such indicator
    r = api.post("/strategies", json={"document": doc}, headers=h)
    assert r.status_code == 422
    locs = [e["loc"] for e in r.json()["errors"]]
    assert ["body", "document", "parameters", "fast", "default"] in locs
    assert ["body", "document", "indicators", "a", "source"] in locs
    assert ["body", "document", "rules", 0, "when", "left"] in locs
    # the same document as the next version of a stored strategy: the same paths, no version written
    sid = _create(api, h)["strategy_id"]
    r = _put(api, h, sid, 1, doc)
    assert r.status_code == 422
    assert sorted(map(str, (e["loc"] for e in r.json()["errors"]))) == sorted(map(str, locs))
    assert _stored_versions("acme", sid) == [1]

    structural = _doc() | {"rulez": []}
    r = api.post("/strategies", json={"document": structural}, headers=h)
    assert (r.status_code, r.json()["errors"][0]["loc"]) == (422, ["body", "document", "rulez"])
    assert [s["strategy_id"] for s in api.get("/strategies", headers=h).json()["items"]] == [sid]


def test_create_needs_exactly_one_source_and_a_known_template(api: TestClient, h: dict[str, str]) -> None:
    both = api.post("/strategies", json={"document": _doc(), "template": "sma_cross"}, headers=h)
    neither = api.post("/strategies", json={"name": "x"}, headers=h)
    assert (both.status_code, neither.status_code) == (422, 422)
    assert both.json()["errors"][0]["loc"] == neither.json()["errors"][0]["loc"] == ["body"]
    unknown = api.post("/strategies", json={"template": "nope"}, headers=h)
    assert (unknown.status_code, unknown.json()["errors"][0]["loc"]) == (422, ["body", "template"])
    assert "sma_cross" in unknown.json()["errors"][0]["msg"]


def test_a_document_too_large_to_store_is_422(
    api: TestClient, h: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(strategies, "MAX_DOCUMENT_BYTES", 2_000)
    r = api.post("/strategies", json={"document": _doc() | {"description": "x" * 2_000}}, headers=h)
    assert (r.status_code, r.json()["errors"][0]["loc"]) == (422, ["body", "document"])
    assert api.post("/strategies", json={"document": _doc()}, headers=h).status_code == 201


def test_validate_lists_every_problem_with_json_paths_and_saves_nothing(
    api: TestClient, h: dict[str, str]
) -> None:
    ok = api.post("/strategies/validate", json=_doc(), headers=h)
    assert ok.json() == {"valid": True, "errors": []}

    doc = _doc()
    doc["rules"][1]["when"]["right"] = "slow_ma.upper"
    doc["indicators"]["fast_ma"]["params"]["window"] = 0
    r = api.post("/strategies/validate", json=doc, headers=h)
    assert r.status_code == 200
    body = r.json()
    assert body["valid"] is False
    found = {(e["path"], e["type"]) for e in body["errors"]}
    assert found == {
        ("$.rules[1].when.right", "unknown_output"),
        ("$.indicators.fast_ma.params.window", "greater_than_equal"),
    }
    assert ["rules", 1, "when", "right"] in [e["loc"] for e in body["errors"]]

    missing = api.post("/strategies/validate", json={"name": "empty"}, headers=h).json()
    assert (missing["valid"], missing["errors"][0]["loc"]) == (False, ["rules"])
    short = api.post("/strategies/validate", params={"n_bars": 20}, json=_doc(), headers=h).json()
    assert {e["path"] for e in short["errors"]} == {
        "$.indicators.fast_ma.params.window",
        "$.indicators.slow_ma.params.window",
    }
    assert api.get("/strategies", headers=h).json()["items"] == []


def test_another_tenants_strategy_is_not_found(api: TestClient, h: dict[str, str], other_key: str) -> None:
    sid = _create(api, h)["strategy_id"]
    other = {"X-Api-Key": other_key}
    url = f"/strategies/{sid}"
    for method, path, body in [
        ("GET", url, None),
        ("PUT", url, {"expected_version": 1, "document": _doc("hijack")}),
        ("DELETE", url, None),
        ("GET", f"{url}/versions", None),
        ("GET", f"{url}/versions/1", None),
        ("GET", f"{url}/export", None),
    ]:
        r = api.request(method, path, json=body, headers=other)
        assert (r.status_code, r.json()["errors"][0]["loc"]) == (404, ["path", "strategy_id"]), path
    assert api.get("/strategies", headers=other).json()["items"] == []
    assert api.get(url, headers=h).json()["latest_version"] == 1
    with pytest.raises(NotFound):
        strategies.resolve("globex", sid, None)


def test_listing_pages_newest_first_and_searches_names_and_tags(
    api: TestClient, h: dict[str, str], other_key: str
) -> None:
    names = ["SMA cross", "EMA Cross", "RSI swing", "Crossover v2", "Donchian"]
    ids = [_create(api, h, n, tags=["trend"] if "ross" in n else [])["strategy_id"] for n in names]
    seen: list[str] = []
    token = None
    for _ in range(5):
        params: dict[str, str | int] = {"limit": 2, **({"next_token": token} if token else {})}
        page = api.get("/strategies", params=params, headers=h).json()
        assert len(page["items"]) <= 2
        seen += [s["strategy_id"] for s in page["items"]]
        token = page["next_token"]
        if not token:
            break
    assert seen == ids[::-1]

    def search(**params: str | int) -> list[str]:
        found: list[str] = []
        token = None
        while True:
            query = {**params, **({"next_token": token} if token else {})}
            page = api.get("/strategies", params=query, headers=h).json()
            found += [s["name"] for s in page["items"]]
            token = page["next_token"]
            if not token:
                return found

    assert search(q="CROSS") == ["Crossover v2", "EMA Cross", "SMA cross"]
    assert search(q="CROSS", limit=1) == ["Crossover v2", "EMA Cross", "SMA cross"]
    assert search(q="cross", match="prefix") == ["Crossover v2"]
    assert search(q="zzz") == []
    assert search(tag="TREND") == ["Crossover v2", "EMA Cross", "SMA cross"]
    assert search(tag="trend", q="sma") == ["SMA cross"]

    first = api.get("/strategies", params={"limit": 2}, headers=h).json()["next_token"]
    stolen = api.get("/strategies", params={"next_token": first}, headers={"X-Api-Key": other_key})
    assert (stolen.status_code, stolen.json()["errors"][0]["loc"]) == (422, ["query", "next_token"])
    sid = ids[0]
    for n in range(2, 4):
        assert _put(api, h, sid, n - 1, _doc(f"v{n}")).status_code == 200
    versions_token = api.get(f"/strategies/{sid}/versions", params={"limit": 1}, headers=h).json()[
        "next_token"
    ]
    mixed = api.get("/strategies", params={"next_token": versions_token}, headers=h)
    assert (mixed.status_code, mixed.json()["errors"][0]["loc"]) == (422, ["query", "next_token"])
    pages = []
    token = None
    while True:
        query: dict[str, str | int] = {"limit": 2, **({"next_token": token} if token else {})}
        page = api.get(f"/strategies/{sid}/versions", params=query, headers=h).json()
        pages.append([v["version"] for v in page["items"]])
        token = page["next_token"]
        if not token:
            break
    assert [v for p in pages for v in p] == [3, 2, 1]


@pytest.mark.parametrize(
    "forged",
    [
        {"sk": {"N": "1"}},
        {},
        {"sk": {"S": "NOTIF#1"}},
        {"sk": {"S": "STRATEGY#1"}, "gsi1sk": {"S": "STRATEGY#1"}},
        {"sk": {"S": "STRATEGY#1", "N": "1"}},
    ],
)
def test_a_forged_token_is_422_naming_next_token_on_both_lists(
    api: TestClient, h: dict[str, str], forged: dict[str, Any]
) -> None:
    sid = _create(api, h)["strategy_id"]
    token = encode_token({"pk": {"S": "TENANT#acme"}, **forged})
    for url in ("/strategies", f"/strategies/{sid}/versions"):
        r = api.get(url, params={"next_token": token}, headers=h)
        assert (r.status_code, r.json()["errors"][0]["loc"]) == (422, ["query", "next_token"]), url


def test_import_export_round_trip_is_exact(api: TestClient, h: dict[str, str]) -> None:
    written_by_hand = {
        "name": "Bollinger, hand-written",
        "parameters": {
            "window": {"default": 20, "min": 5, "max": 100, "step": 1},
            "k": {"type": "float", "default": 2.0},
        },
        "indicators": {
            "bb": {"kind": "bollinger", "params": {"window": {"param": "window"}, "k": {"param": "k"}}}
        },
        "rules": [
            {
                "id": "enter",
                "when": {"op": "crosses_above", "left": "close", "right": "bb.upper"},
                "action": "buy",
            }
        ],
    }
    imported = api.post("/strategies/import", json=written_by_hand, headers=h)
    assert imported.status_code == 201, imported.text
    assert (imported.json()["version"], imported.json()["note"]) == (1, "imported")
    first = api.get(f"/strategies/{imported.json()['strategy_id']}/export", headers=h)
    assert first.headers["content-type"] == "application/json"
    assert first.headers["content-disposition"] == 'attachment; filename="bollinger-hand-written-v1.json"'
    exported = json.loads(first.text)
    params = exported["parameters"]
    assert (repr(params["k"]["default"]), repr(params["window"]["default"])) == ("2.0", "20")
    assert exported["costs"] == {
        "commission": 0.0,
        "commission_fixed": 0.0,
        "slippage_bps": 0.0,
    }  # defaults pinned
    assert exported == imported.json()["document"]

    again = api.post(
        "/strategies/import", content=first.content, headers={**h, "Content-Type": "application/json"}
    )
    second = api.get(f"/strategies/{again.json()['strategy_id']}/export", headers=h)
    assert second.content == first.content

    sid = again.json()["strategy_id"]
    assert _put(api, h, sid, 1, exported | {"name": "changed"}).status_code == 200
    assert api.get(f"/strategies/{sid}/export", params={"version": 1}, headers=h).content == first.content
    assert json.loads(api.get(f"/strategies/{sid}/export", headers=h).text)["name"] == "changed"

    bad = written_by_hand | {
        "rules": [{"id": "x", "when": {"op": ">", "left": "nope", "right": 1}, "action": "buy"}]
    }
    r = api.post("/strategies/import", json=bad, headers=h)
    assert (r.status_code, r.json()["errors"][0]["loc"]) == (422, ["body", "rules", 0, "when", "left"])


def test_templates_are_listed_and_fetched(api: TestClient, h: dict[str, str]) -> None:
    listed = api.get("/strategies/templates", headers=h).json()["items"]
    assert [t["template"] for t in listed] == list(TEMPLATES)
    sma = next(t for t in listed if t["template"] == "sma_cross")
    assert (sma["name"], sma["parameters"]) == ("SMA cross", ["fast", "slow"])
    one = api.get("/strategies/templates/macd_trend", headers=h).json()
    assert one["document"] == template("macd_trend").model_dump(mode="json")
    missing = api.get("/strategies/templates/nope", headers=h)
    assert (missing.status_code, missing.json()["errors"][0]["loc"]) == (404, ["path", "name"])
    assert api.get("/strategies/templates").status_code == 401


def test_indicator_kinds_list_their_parameters_and_outputs(api: TestClient, h: dict[str, str]) -> None:
    items = {k["kind"]: k for k in api.get("/strategies/indicators", headers=h).json()["items"]}
    schema_kinds = Indicator.model_json_schema()["properties"]["kind"]["enum"]
    assert sorted(items) == sorted(schema_kinds)  # every kind the document accepts, no other
    assert items["macd"]["outputs"] == ["line", "signal", "hist"]
    assert [p["name"] for p in items["macd"]["params"]] == ["fast", "slow", "signal"]
    k = next(p for p in items["bollinger"]["params"] if p["name"] == "k")
    assert (k["default"], k["integer"], k["minimum"]) == (2.0, False, 0)
    assert (items["atr"]["inputs"], items["lag"]["params"][0]["name"]) == ("hlc", "periods")
    assert api.get("/strategies/indicators").status_code == 401


def test_delete_removes_the_head_and_every_version(api: TestClient, h: dict[str, str]) -> None:
    keep = _create(api, h, "keep")["strategy_id"]
    sid = _create(api, h)["strategy_id"]
    for n in (1, 2):
        assert _put(api, h, sid, n, _doc(f"v{n + 1}")).status_code == 200
    assert api.delete(f"/strategies/{sid}", headers=h).status_code == 204
    assert api.get(f"/strategies/{sid}", headers=h).status_code == 404
    assert api.get(f"/strategies/{sid}/versions", headers=h).status_code == 404
    assert _stored_versions("acme", sid) == []
    assert api.delete(f"/strategies/{sid}", headers=h).status_code == 404
    assert _stored_versions("acme", keep) == [1]
    assert [s["strategy_id"] for s in api.get("/strategies", headers=h).json()["items"]] == [keep]


def test_delete_beyond_one_transaction_and_an_interrupted_delete_are_finished(
    api: TestClient, h: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(strategies, "TRANSACTION_ITEMS", 3)  # head + 2 newest versions per transaction
    sid = _create(api, h)["strategy_id"]
    for n in range(1, 5):
        assert _put(api, h, sid, n, _doc(f"v{n + 1}")).status_code == 200
    real_delete_all = strategies._delete_all

    def crash(records: Any) -> None:
        raise RuntimeError("the Lambda timed out")

    monkeypatch.setattr(strategies, "_delete_all", crash)
    assert api.delete(f"/strategies/{sid}", headers=h).status_code == 500
    assert api.get(f"/strategies/{sid}", headers=h).status_code == 404  # the head went first
    assert _stored_versions("acme", sid) == [1, 2, 3]

    monkeypatch.setattr(strategies, "_delete_all", real_delete_all)
    assert api.delete(f"/strategies/{sid}", headers=h).status_code == 404
    assert _stored_versions("acme", sid) == []


def test_resolve_names_the_missing_field(api: TestClient, h: dict[str, str]) -> None:
    sid = _create(api, h)["strategy_id"]
    assert _put(api, h, sid, 1, _doc("second")).status_code == 200
    latest = strategies.resolve("acme", sid, None)
    assert (latest.strategy_id, latest.version, latest.name) == (sid, 2, "second")
    assert latest.strategy == template("sma_cross").model_copy(update={"name": "second"})
    pinned = strategies.resolve("acme", sid, 1)
    assert (pinned.version, pinned.name, pinned.strategy.name) == (1, "SMA cross", "SMA cross")
    with pytest.raises(NotFound) as unknown:
        strategies.resolve("acme", "nope", None)
    assert unknown.value.problems[0].loc == ["body", "strategy_id"]
    with pytest.raises(NotFound) as no_version:
        strategies.resolve("acme", sid, 3)
    assert no_version.value.problems[0].loc == ["body", "strategy_version"]
