"""The OpenAPI document lists exactly the statuses each operation answers, and the patterns it enforces."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind.api.app import create_app
from tradewind.text import NAME_PATTERN

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return create_app().openapi()


def _statuses(doc: dict[str, Any], method: str, path: str) -> set[str]:
    return set(doc["paths"][path][method]["responses"])


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, p, op) for p, ops in doc["paths"].items() for m, op in ops.items()]


def test_operations_with_a_body_document_400_and_413_and_others_do_not(doc: dict[str, Any]) -> None:
    for method, path, op in _operations(doc):
        has_body = "requestBody" in op
        for code in ("400", "413"):
            assert (code in op["responses"]) == has_body, (method, path, code)
            if has_body:
                assert op["responses"][code]["content"]["application/problem+json"]["schema"] == PROBLEM_REF


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("get", "/datasets", {"200", "401", "403", "422", "500"}),
        ("post", "/datasets", {"201", "400", "401", "403", "413", "422", "500"}),
        ("post", "/datasets/sample", {"202", "401", "403", "500"}),
        ("post", "/datasets/import/yfinance", {"202", "400", "401", "403", "413", "422", "500", "503"}),
        ("get", "/datasets/{dataset_id}", {"200", "401", "403", "404", "422", "500"}),
        ("post", "/datasets/{dataset_id}/complete", {"202", "401", "403", "404", "409", "422", "500"}),
        ("delete", "/datasets/{dataset_id}", {"204", "401", "403", "404", "422", "500"}),
        ("get", "/watchlists", {"200", "401", "403", "422", "500"}),
        (
            "put",
            "/watchlists/{watchlist_id}",
            {"200", "400", "401", "403", "404", "409", "413", "422", "500"},
        ),
        ("get", "/strategies/templates", {"200", "401", "403", "500"}),
        ("post", "/strategies/validate", {"200", "400", "401", "403", "413", "422", "500"}),
        ("get", "/strategies/{strategy_id}/export", {"200", "401", "403", "404", "422", "500"}),
        ("get", "/symbols/{symbol}/candles", {"200", "401", "403", "404", "409", "422", "500"}),
        ("delete", "/api-keys/{key_id}", {"204", "401", "403", "404", "422", "500"}),
        ("get", "/jobs/{job_id}", {"200", "401", "403", "404", "422", "500"}),
        ("post", "/jobs/{job_id}/cancel", {"200", "401", "403", "404", "409", "422", "500"}),
        ("delete", "/jobs/{job_id}", {"204", "401", "403", "404", "409", "422", "500"}),
        ("get", "/jobs", {"200", "401", "403", "422", "500"}),
        ("get", "/jobs/stats", {"200", "401", "403", "500"}),
        ("get", "/jobs/{job_id}/logs", {"200", "401", "403", "404", "422", "500"}),
        ("get", "/backtests/{job_id}/results", {"200", "401", "403", "404", "409", "422", "500"}),
        ("get", "/health", {"200", "500"}),
    ],
)
def test_each_operation_documents_exactly_what_it_answers(
    doc: dict[str, Any], method: str, path: str, expected: set[str]
) -> None:
    assert _statuses(doc, method, path) == expected


def test_every_problem_status_has_the_problem_schema(doc: dict[str, Any]) -> None:
    for method, path, op in _operations(doc):
        for code, response in op["responses"].items():
            if int(code) >= 400:
                assert response["content"]["application/problem+json"]["schema"] == PROBLEM_REF, (
                    method,
                    path,
                )


def _parameter(doc: dict[str, Any], method: str, path: str, name: str) -> dict[str, Any]:
    (param,) = [p for p in doc["paths"][path][method]["parameters"] if p["name"] == name]
    schema: dict[str, Any] = param["schema"]
    return schema


def test_symbol_parameters_state_the_pattern_the_handlers_enforce(doc: dict[str, Any]) -> None:
    candles = _parameter(doc, "get", "/symbols/{symbol}/candles", "symbol")["pattern"]
    assert candles == "^[A-Za-z0-9^][A-Za-z0-9.\\-=_^]{0,19}$"
    assert "pattern" in _parameter(doc, "get", "/symbols", "q")
    create = doc["components"]["schemas"]["DatasetCreate"]["properties"]
    assert create["name"]["pattern"] == NAME_PATTERN
    assert "pattern" in create["symbol"]["anyOf"][0]


@pytest.mark.parametrize(
    ("path", "status"),
    [("/symbols/bad%23sym/candles", 422), ("/symbols?q=%23", 422), ("/datasets/0123abc", 404)],
)
def test_the_documented_answers_are_the_real_ones(api: TestClient, key: str, path: str, status: int) -> None:
    r = api.get(path, headers={"X-Api-Key": key})
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
