"""Everything a user names refuses control characters with a 422 at the field (tradewind.text)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind.strategy import template

# NUL, CR/LF, ESC (a terminal escape sequence), DEL, a C1 control (NEL), a line separator, a bidi
# override and a bidi isolate.
REFUSED = [
    "a\x00b",
    "a\r\nforged log line",
    "\x1b[31mred",
    "a\x7f",
    "a\x85b",
    "a\u2028b",
    "a\u202eb",
    "a\u2066b",
]
ONE_LINE_ONLY = ["a\nb", "a\tb"]
"""Refused in names, allowed in descriptions."""


def _doc(**changes: Any) -> dict[str, Any]:
    return template("sma_cross").model_dump(mode="json") | changes


def _doc_with_param_description(text: str) -> dict[str, Any]:
    doc = _doc()
    doc["parameters"]["fast"]["description"] = text
    return doc


JOB = {"strategy_id": "s1", "dataset_id": "d1", "symbols": ["AAPL"]}
DAYS = {"start": "2024-01-01", "end": "2024-02-01"}

# (method, path, body with the text in it, where the error must point)
NAMES = [
    ("POST", "/watchlists", lambda t: {"name": t}, ["body", "name"]),
    ("PUT", "/watchlists/w1", lambda t: {"name": t}, ["body", "name"]),
    ("POST", "/api-keys", lambda t: {"name": t}, ["body", "name"]),
    ("POST", "/datasets", lambda t: {"name": t, "format": "csv"}, ["body", "name"]),
    (
        "POST",
        "/datasets/import/yfinance",
        lambda t: {"symbols": ["AAPL"], **DAYS, "name": t},
        ["body", "name"],
    ),
    ("POST", "/strategies", lambda t: {"template": "sma_cross", "name": t}, ["body", "name"]),
    ("POST", "/strategies", lambda t: {"template": "sma_cross", "tags": [t]}, ["body", "tags", 0]),
    ("POST", "/strategies", lambda t: {"document": _doc(name=t)}, ["body", "document", "name"]),
    (
        "PUT",
        "/strategies/s1",
        lambda t: {"expected_version": 1, "document": _doc(name=t)},
        ["body", "document", "name"],
    ),
    ("POST", "/strategies/import", lambda t: _doc(name=t), ["body", "name"]),
    ("POST", "/backtests", lambda t: {**JOB, "name": t}, ["body", "name"]),
    ("POST", "/optimizations", lambda t: {**JOB, "name": t}, ["body", "name"]),
    ("POST", "/optimizations/estimate", lambda t: {**JOB, "name": t}, ["body", "name"]),
]
DESCRIPTIONS = [
    ("POST", "/strategies", lambda t: {"template": "sma_cross", "note": t}, ["body", "note"]),
    ("POST", "/strategies", lambda t: {"document": _doc(description=t)}, ["body", "document", "description"]),
    (
        "POST",
        "/strategies",
        lambda t: {"document": _doc_with_param_description(t)},
        ["body", "document", "parameters", "fast", "description"],
    ),
    ("POST", "/strategies/import", lambda t: _doc(description=t), ["body", "description"]),
]


def _ids(cases: list[Any]) -> list[str]:
    return [f"{m} {p} {'.'.join(map(str, loc[1:]))}" for m, p, _, loc in cases]


@pytest.mark.parametrize("text", REFUSED + ONE_LINE_ONLY)
@pytest.mark.parametrize(("method", "path", "body", "loc"), NAMES, ids=_ids(NAMES))
def test_names_refuse_control_characters(
    api: TestClient, key: str, method: str, path: str, body: Any, loc: list[Any], text: str
) -> None:
    r = api.request(method, path, json=body(text), headers={"X-Api-Key": key})
    assert r.status_code == 422, r.text
    (error,) = [e for e in r.json()["errors"] if e["loc"] == loc]
    assert error["type"] == "string_pattern_mismatch"


@pytest.mark.parametrize("text", REFUSED)
@pytest.mark.parametrize(("method", "path", "body", "loc"), DESCRIPTIONS, ids=_ids(DESCRIPTIONS))
def test_descriptions_refuse_control_characters(
    api: TestClient, key: str, method: str, path: str, body: Any, loc: list[Any], text: str
) -> None:
    r = api.request(method, path, json=body(text), headers={"X-Api-Key": key})
    assert r.status_code == 422, r.text
    assert loc in [e["loc"] for e in r.json()["errors"]]


def test_names_keep_unicode_and_descriptions_keep_lines(api: TestClient, key: str) -> None:
    h = {"X-Api-Key": key}
    r = api.post("/watchlists", json={"name": "Café ☕ 日本 (ok)"}, headers=h)
    assert (r.status_code, r.json()["name"]) == (201, "Café ☕ 日本 (ok)")
    r = api.post("/strategies", json={"document": _doc(description="line 1\nline 2\tindented")}, headers=h)
    assert r.status_code == 201, r.text


def test_validate_reports_control_characters_like_a_save(api: TestClient, key: str) -> None:
    r = api.post("/strategies/validate", json=_doc(name="x\x1b[2J"), headers={"X-Api-Key": key})
    assert r.status_code == 200
    assert [e["loc"] for e in r.json()["errors"]] == [["name"]]


def test_api_key_service_refuses_control_characters(aws: None) -> None:
    from tradewind.errors import InvalidInput
    from tradewind.services import apikeys

    with pytest.raises(InvalidInput):
        apikeys.create_api_key("acme", "ci\r\nkey")
