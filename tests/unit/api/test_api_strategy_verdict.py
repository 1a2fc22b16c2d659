"""One verdict: ``POST /strategies/validate`` calls valid exactly what a save accepts."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind.services.strategies import MAX_CONDITION_DEPTH, MAX_DOCUMENT_BYTES
from tradewind.strategy import template


def _doc(**changes: Any) -> dict[str, Any]:
    return template("sma_cross").model_dump(mode="json") | changes


def _nested(depth: int) -> dict[str, Any]:
    condition: dict[str, Any] = {"op": ">", "left": "close", "right": 1}
    for _ in range(depth - 1):
        condition = {"op": "not", "of": condition}
    return _doc(rules=[{"id": "r", "when": condition, "action": "buy"}])


TOO_BIG = _doc(description="x" * (MAX_DOCUMENT_BYTES + 6 * 1024))  # about 70 KiB
TOO_DEEP = _nested(MAX_CONDITION_DEPTH + 1)


@pytest.mark.parametrize(
    ("doc", "where", "kind"),
    [(TOO_BIG, [], "too_long"), (TOO_DEEP, ["rules", 0, "when"], "too_deep")],
    ids=["size", "nesting"],
)
def test_validate_and_every_save_agree(
    api: TestClient, key: str, doc: dict[str, Any], where: list[Any], kind: str
) -> None:
    h = {"X-Api-Key": key}
    verdict = api.post("/strategies/validate", json=doc, headers=h)
    assert verdict.status_code == 200
    assert verdict.json()["valid"] is False
    assert [(e["loc"], e["type"]) for e in verdict.json()["errors"]] == [(where, kind)]

    saves = [
        (api.post("/strategies", json={"document": doc}, headers=h), ["body", "document"]),
        (api.post("/strategies/import", json=doc, headers=h), ["body"]),
    ]
    created = api.post("/strategies", json={"template": "sma_cross"}, headers=h).json()
    update = {"expected_version": 1, "document": doc}
    saves.append(
        (api.put(f"/strategies/{created['strategy_id']}", json=update, headers=h), ["body", "document"])
    )
    for r, root in saves:
        assert r.status_code == 422, r.text
        assert [(e["loc"], e["type"]) for e in r.json()["errors"]] == [([*root, *where], kind)]


def test_a_document_at_the_limits_is_valid_and_saves(api: TestClient, key: str) -> None:
    h = {"X-Api-Key": key}
    doc = _nested(MAX_CONDITION_DEPTH)
    assert api.post("/strategies/validate", json=doc, headers=h).json() == {"valid": True, "errors": []}
    r = api.post("/strategies/import", json=doc, headers=h)
    assert r.status_code == 201, r.text
    assert api.get(f"/strategies/{r.json()['strategy_id']}", headers=h).status_code == 200


@pytest.mark.parametrize("route", ["/backtests", "/optimizations/estimate", "/optimizations"])
@pytest.mark.parametrize(
    ("doc", "where", "kind"),
    [(TOO_BIG, [], "too_long"), (TOO_DEEP, ["rules", 0, "when"], "too_deep")],
    ids=["size", "nesting"],
)
def test_an_inline_job_strategy_gets_the_same_verdict(
    api: TestClient, key: str, route: str, doc: dict[str, Any], where: list[Any], kind: str
) -> None:
    """A job stores its inline document in its spec: one a save refuses would fail in the workflow."""
    body = {"strategy": doc, "dataset_id": "sample", "symbols": ["AAA"]}
    r = api.post(route, json=body, headers={"X-Api-Key": key})
    assert r.status_code == 422, r.text
    assert [(e["loc"], e["type"]) for e in r.json()["errors"]] == [(["body", "strategy", *where], kind)]
