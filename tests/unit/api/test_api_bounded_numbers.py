"""Bounded work and finite numbers over the API under moto: a huge, zero-step or non-finite space,
a NaN parameter and a non-finite strategy number are each a prompt 422 naming the field (and the
count), never a 500 or a request that runs until memory runs out; nothing is started."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from tests.unit.api.jobs_support import SPACE, SYMBOLS, executions, sma_cross

FINITE = "must be a finite number between -1e15 and 1e15"
BIG = "1" + "0" * 400  # a JSON integer that no float holds


@pytest.fixture
def h(key: str) -> dict[str, str]:
    return {"X-Api-Key": key, "Content-Type": "application/json"}


def _post(api: TestClient, path: str, h: dict[str, str], body: dict[str, Any], **literals: str) -> Any:
    """POST ``body`` as JSON text, each ``"__NAME__"`` string replaced by the raw literal (``NaN``,
    ``Infinity``, ``1e400``...) that a JSON encoder would never write."""
    text = json.dumps(body)
    for name, literal in literals.items():
        text = text.replace(f'"__{name}__"', literal)
    return api.post(path, content=text, headers=h)


def _errors(r: Any) -> list[tuple[list[Any], str]]:
    assert r.status_code == 422, r.text
    return [(list(e["loc"]), e["msg"]) for e in r.json()["errors"]]


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("fast", "literal", "loc", "msg"),
    [
        ({"min": 2, "max": 10**15, "step": 1}, "", ["body", "space", "fast"], "999,999,999,999,999 values"),
        ({"min": 2, "max": "__X__", "step": 1}, "1e18", ["body", "space", "fast"], FINITE),
        ({"min": 2, "max": 200, "step": 1e-12}, "", ["body", "space", "fast"], "whole numbers"),
        ({"min": 2, "max": "__X__", "step": 1e300}, "1e308", ["body", "space", "fast"], FINITE),
        ({"min": 2, "max": 20, "step": 0}, "", ["body", "space", "fast"], "step must be > 0"),
        ({"min": 2, "max": 20, "step": -5}, "", ["body", "space", "fast"], "step must be > 0"),
        ({"min": 2, "max": 20, "step": "__X__"}, "NaN", ["body", "space", "fast"], FINITE),
        ({"min": 2, "max": "__X__", "step": 1}, "Infinity", ["body", "space", "fast"], FINITE),
        ({"min": 2, "max": "__X__", "step": 1}, BIG, ["body", "space", "fast"], FINITE),
        ([5, "__X__"], "NaN", ["body", "space", "fast"], f"item 1 {FINITE}"),
        ("__X__", "-Infinity", ["body", "space", "fast"], FINITE),
        ({"min": 2, "max": 20, "stepp": 2}, "", ["body", "space", "fast"], "unknown key(s) stepp"),
    ],
)
def test_a_bad_space_is_a_prompt_422_at_its_parameter(
    api: TestClient,
    h: dict[str, str],
    machine: str,
    data: tuple[str, dict[str, pd.DataFrame]],
    fast: Any,
    literal: str,
    loc: list[Any],
    msg: str,
) -> None:
    body = {
        "strategy": sma_cross(),
        "dataset_id": data[0],
        "symbols": SYMBOLS,
        "space": {**SPACE, "fast": fast},
    }
    for path in ("/optimizations/estimate", "/optimizations"):
        errors = _errors(_post(api, path, h, body, X=literal))
        assert [e for e in errors if e[0] == loc and msg in e[1]], errors
    assert executions(machine) == []


@pytest.mark.timeout(60)
def test_a_float_parameter_with_a_tiny_step_is_refused_with_its_count(
    api: TestClient, h: dict[str, str], machine: str, data: tuple[str, dict[str, pd.DataFrame]]
) -> None:
    strategy = sma_cross()
    strategy["parameters"]["k"] = {"type": "float", "default": 1.0, "min": 0, "max": 10}
    space = {"k": {"min": 0, "max": 1, "step": 1e-12}}
    body = {"strategy": strategy, "dataset_id": data[0], "symbols": SYMBOLS, "space": space}
    errors = _errors(_post(api, "/optimizations/estimate", h, body))
    assert (
        ["body", "space", "k"],
        "1,000,000,000,001 values exceed the limit of 2,000,000 combinations",
    ) in errors


def test_a_stored_strategys_own_range_is_bounded(api: TestClient, h: dict[str, str]) -> None:
    document = sma_cross()
    document["parameters"]["fast"].update(min=2, max=10**12, step=1)
    errors = _errors(api.post("/strategies", json={"document": document}, headers=h))
    loc = ["body", "document", "parameters", "fast", "step"]
    assert (loc, "min..max by step is 999,999,999,999 values, above the limit of 5,000,000") in errors


@pytest.mark.parametrize(
    ("where", "literal"),
    [
        (("parameters", "fast", "default"), "NaN"),
        (("parameters", "slow", "max"), "Infinity"),
        (("costs", "commission_fixed"), "1e400"),
        (("parameters", "fast", "min"), BIG),
    ],
)
def test_a_non_finite_strategy_number_is_422_at_its_field(
    api: TestClient, h: dict[str, str], where: tuple[str, ...], literal: str
) -> None:
    document = sma_cross()
    target = document
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = "__X__"
    for path in ("/strategies", "/strategies/validate"):
        body = {"document": document} if path == "/strategies" else document
        r = _post(api, path, h, body, X=literal)
        if path.endswith("validate"):
            assert r.status_code == 200, r.text
            assert [e["loc"] for e in r.json()["errors"]] == [list(where)]
        else:
            assert [loc for loc, _ in _errors(r)] == [["body", "document", *where]]


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"params": {"fast": "__X__"}}, ["body", "params", "fast"]),
        ({"cash": "__X__"}, ["body", "cash"]),
        ({"weights": {SYMBOLS[0]: "__X__", SYMBOLS[1]: 1}}, ["body", "weights", SYMBOLS[0]]),
    ],
)
@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400", BIG])
def test_a_non_finite_backtest_number_is_422_at_its_field(
    api: TestClient,
    h: dict[str, str],
    machine: str,
    data: tuple[str, dict[str, pd.DataFrame]],
    change: dict[str, Any],
    loc: list[Any],
    literal: str,
) -> None:
    body = {"strategy": sma_cross(), "dataset_id": data[0], "symbols": SYMBOLS[:2], **change}
    assert [e[0] for e in _errors(_post(api, "/backtests", h, body, X=literal))] == [loc]
    assert executions(machine) == []


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"seed": -1}, ["body", "seed"]),
        ({"samples": int(BIG)}, ["body", "samples"]),
        ({"min_trades": int(BIG)}, ["body", "min_trades"]),
        ({"walk_forward": {"train_bars": int(BIG), "test_bars": 20}}, ["body", "walk_forward", "train_bars"]),
        (
            {"constraints": [{"left": "fast", "op": "<", "right": int(BIG)}]},
            ["body", "constraints", 0, "right"],
        ),
    ],
)
def test_out_of_range_optimization_settings_are_422(
    api: TestClient,
    h: dict[str, str],
    machine: str,
    data: tuple[str, dict[str, pd.DataFrame]],
    change: dict[str, Any],
    loc: list[Any],
) -> None:
    body = {"strategy": sma_cross(), "dataset_id": data[0], "symbols": SYMBOLS, "space": SPACE, **change}
    assert [e[0] for e in _errors(_post(api, "/optimizations/estimate", h, body))] == [loc]
