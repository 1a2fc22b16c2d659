"""The strength score (docs/pipeline.md, Strength) against values computed by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from tradewind.engine.bars import Bars
from tradewind.pipeline.signals import scan
from tradewind.strategy.validation import parse_strategy

CLOSE = [10.0, 10.0, 12.0, 8.0, 9.0]


def near(expected: Any) -> Any:
    """Strength is stored rounded to 6 decimals."""
    return pytest.approx(expected, abs=1e-6)


def bars(close: list[float] = CLOSE) -> Bars:
    frame = pd.DataFrame(
        {"open": close, "high": close, "low": close, "close": close, "volume": 1.0},
        index=pd.bdate_range("2024-01-01", periods=len(close)),
    )
    return Bars.from_frame(frame)


def strategy(when: dict[str, Any], **extra: Any) -> Any:
    doc = {
        "name": "t",
        "parameters": {"level": {"type": "float", "default": 11.0, "min": 0, "max": 100}},
        "indicators": {"prev": {"kind": "lag", "params": {"periods": 1}}},
        "rules": [{"id": "r", "when": when, "action": "buy"}],
        "direction": "long_short",
        **extra,
    }
    return parse_strategy(doc)


def fired(when: dict[str, Any]) -> dict[int, float]:
    table = scan(bars(), strategy(when))
    return dict(zip(table.bar.tolist(), table.strength.tolist(), strict=True))


def test_a_comparison_scores_the_relative_gap() -> None:
    # close > level (11): bar 2, 12 vs 11 -> 1/12
    assert fired({"op": ">", "left": "close", "right": {"param": "level"}}) == near({2: 1 / 12})


def test_a_cross_scores_the_gap_on_the_crossing_bar() -> None:
    # close crosses above its previous close: bar 2 (12 vs 10: 2/12) and bar 4 (9 vs 8: 1/9)
    assert fired({"op": "crosses_above", "left": "close", "right": "prev"}) == near({2: 2 / 12, 4: 1 / 9})


def test_between_scores_the_gap_to_the_nearer_bound() -> None:
    # 9 <= close <= 12: bars 0, 1 (10: min(1, 2) / 12), 2 (12: 0), 4 (9: 0)
    got = fired({"op": "between", "left": "close", "lower": 9, "upper": 12})
    assert got == near({0: 1 / 12, 1: 1 / 12, 2: 0.0, 4: 0.0})


def test_all_takes_the_weakest_and_any_the_strongest_part_that_holds() -> None:
    above = {"op": ">", "left": "close", "right": 7}  # bar 2: 5/12
    up = {"op": ">", "left": "close", "right": "prev"}  # bar 2: 2/12
    assert fired({"op": "all", "of": [above, up]})[2] == near(2 / 12)
    below = {"op": "<", "left": "close", "right": 9}  # bar 3 only
    assert fired({"op": "any", "of": [below, up]})[2] == near(2 / 12)  # 'below' does not hold
    assert fired({"op": "any", "of": [above, up]})[2] == near(5 / 12)


def test_not_scores_how_far_its_part_is_from_flipping() -> None:
    # not(close > 11): bars 0, 1 (10: 1/11), 3 (8: 3/11), 4 (9: 2/11)
    got = fired({"op": "not", "of": {"op": ">", "left": "close", "right": 11}})
    assert got == near({0: 1 / 11, 1: 1 / 11, 3: 3 / 11, 4: 2 / 11})


def test_the_gap_is_capped_at_one_and_zero_on_zero() -> None:
    table = scan(bars([1.0, -1.0, 0.0, 0.0]), strategy({"op": "<=", "left": "close", "right": 0}))
    assert dict(zip(table.bar.tolist(), table.strength.tolist(), strict=True)) == {1: 1.0, 2: 0.0, 3: 0.0}


def test_values_hold_what_the_rule_read() -> None:
    table = scan(bars(), strategy({"op": "crosses_above", "left": "close", "right": "prev"}))
    assert table.values == [{"close": 12.0, "prev": 10.0}, {"close": 9.0, "prev": 8.0}]
    assert table.side == ["long", "long"]
    assert np.array_equal(table.close, [12.0, 9.0])
