"""The strategy language: templates, round trip, schema, validation paths, parameter spaces."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tradewind.errors import InvalidInput
from tradewind.strategy import (
    TEMPLATES,
    expand,
    from_json,
    json_schema_text,
    parse_strategy,
    template,
    to_json,
)
from tradewind.strategy.models import Constraint

SCHEMA_FILE = Path(__file__).resolve().parents[3] / "docs" / "strategy.schema.json"


def problems(document: Any, n_bars: int | None = None) -> dict[tuple[str | int, ...], str]:
    with pytest.raises(InvalidInput) as caught:
        parse_strategy(document, n_bars)
    return {tuple(p.loc): p.msg for p in caught.value.problems}


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_templates_are_valid_and_round_trip_exactly(name: str) -> None:
    strategy = template(name)
    parse_strategy(strategy, n_bars=2148)
    text = to_json(strategy)
    assert from_json(text) == strategy
    assert to_json(from_json(text)) == text


def test_committed_schema_is_the_generated_one() -> None:
    assert SCHEMA_FILE.read_text() == json_schema_text(), (
        "regenerate with: python -m tradewind.strategy.schema"
    )


def test_every_problem_is_reported_at_once_with_its_path() -> None:
    doc = json.loads(to_json(template("sma_cross")))
    doc["parameters"]["fast"]["default"] = 500
    doc["indicators"]["fast_ma"]["params"]["window"] = {"param": "nope"}
    doc["indicators"]["slow_ma"]["params"]["length"] = 3
    doc["rules"][0]["when"]["left"] = "missing"
    doc["rules"][1]["id"] = "enter"
    doc["risk"] = {"stop_loss": {"pct": 5, "atr": 2}}
    found = problems(doc, n_bars=100)
    assert set(found) >= {
        ("parameters", "fast", "default"),
        ("indicators", "fast_ma", "params", "window", "param"),
        ("indicators", "slow_ma", "params", "length"),
        ("indicators", "slow_ma", "params", "window"),  # 200 > 100 bars
        ("rules", 0, "when", "left"),
        ("rules", 1, "id"),
        ("risk", "stop_loss"),
    }
    assert "longer than the data" in found[("indicators", "slow_ma", "params", "window")]


def test_structural_errors_come_with_paths() -> None:
    found = problems({"name": "x", "rules": [{"id": "a", "when": {"op": "??"}, "action": "buy"}], "oops": 1})
    assert ("oops",) in found
    assert any(loc[:3] == ("rules", 0, "when") for loc in found)


def test_cycle_between_indicators() -> None:
    doc = {
        "name": "cycle",
        "indicators": {"a": {"kind": "sma", "source": "b"}, "b": {"kind": "ema", "source": "a"}},
        "rules": [{"id": "r", "when": {"op": ">", "left": "a", "right": 1}, "action": "buy"}],
    }
    found = problems(doc)
    assert any("cycle" in msg for msg in found.values())


def test_unknown_output_and_constant_condition() -> None:
    doc = {
        "name": "x",
        "indicators": {"m": {"kind": "macd"}},
        "rules": [
            {"id": "a", "when": {"op": ">", "left": "m.nope", "right": 0}, "action": "buy"},
            {"id": "b", "when": {"op": ">", "left": 1, "right": 0}, "action": "sell"},
        ],
    }
    found = problems(doc)
    assert "no output 'nope'" in found[("rules", 0, "when", "left")]
    assert ("rules", 1, "when") in found


def test_sweep_grid_with_constraint() -> None:
    grid = expand(template("sma_cross"))
    assert len(grid["fast"]) == 19701
    assert (grid["fast"] < grid["slow"]).all()


def test_space_override_and_extra_constraints() -> None:
    space = {"fast": [5, 10], "slow": {"min": 10, "max": 30, "step": 10}}
    grid = expand(template("sma_cross"), space, [Constraint(left="slow", op="!=", right=20)])
    pairs = sorted(zip(grid["fast"].tolist(), grid["slow"].tolist(), strict=True))
    assert pairs == [(5, 10), (5, 30), (10, 30)]
    grid = expand(template("sma_cross"), {"fast": [5], "slow": [10, 20]}, [lambda c: c["slow"] > 15])
    assert grid["slow"].tolist() == [20]


def test_space_values_outside_range_are_rejected() -> None:
    with pytest.raises(InvalidInput) as caught:
        expand(template("sma_cross"), {"fast": [1, 5], "ghost": [1]})
    locs = {tuple(p.loc) for p in caught.value.problems}
    assert locs == {("space", "fast"), ("space", "ghost")}


def test_float_grid_steps() -> None:
    grid = expand(template("bollinger_breakout"), {"window": [20]})
    np.testing.assert_allclose(sorted(set(grid["k"].tolist())), [1.0, 1.5, 2.0, 2.5, 3.0])
