"""Bounded spaces and finite numbers: a space is counted before it is built, every entry either
expands within the limit or is refused at ``["space", name]``, and the document refuses non-finite,
huge or unboundedly stepped numbers at their own field."""

from __future__ import annotations

import json
import math
import tracemalloc
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from tradewind.errors import InvalidInput
from tradewind.jobs.spec import OptimizationRequest
from tradewind.strategy.models import Strategy
from tradewind.strategy.space import count, expand, steps_between
from tradewind.strategy.templates import template
from tradewind.strategy.validation import parse_strategy
from tradewind.strategy.weights import weight_problems

LIMIT = 10_000


def _free() -> Strategy:
    """Two swept parameters (int ``fast``, float ``k``) and no constraints, so count = grid."""
    doc = template("sma_cross").model_dump(mode="json")
    doc["constraints"] = []
    doc["parameters"]["k"] = {"type": "float", "default": 1.0, "min": -1e15, "max": 1e15}
    return Strategy.model_validate(doc)


def _problems(space: dict[str, Any], max_combinations: int = LIMIT) -> dict[tuple[Any, ...], str]:
    with pytest.raises(InvalidInput) as caught:
        expand(_free(), space, max_combinations=max_combinations)
    return {tuple(p.loc): p.msg for p in caught.value.problems}


@pytest.mark.parametrize(
    ("space", "counted"),
    [
        ({"fast": {"min": 2, "max": 10**15, "step": 1}}, "999,999,999,999,999"),
        ({"k": {"min": 0, "max": 1, "step": 1e-12}}, "1,000,000,000,001"),
        ({"k": {"min": -1e15, "max": 1e15, "step": 5e-324}}, "about 10^338"),  # the quotient overflows
        ({"k": {"min": 0, "max": 1, "step": 1e-4}}, "10,001"),
    ],
)
def test_a_huge_range_is_refused_with_its_count(space: dict[str, Any], counted: str) -> None:
    (name,) = space
    found = _problems(space)
    assert list(found) == [("space", name)]
    assert found["space", name] == f"{counted} values exceed the limit of {LIMIT:,} combinations"


def test_a_range_is_counted_not_built() -> None:
    """Before the count, a 2,000,000-value range was built as a list to find it too long."""
    tracemalloc.start()
    try:
        _problems({"fast": {"min": 2, "max": 2_000_001, "step": 1}}, max_combinations=10)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


def test_the_product_is_refused_at_the_space_with_the_counts() -> None:
    found = _problems({"fast": {"min": 2, "max": 101, "step": 1}, "slow": list(range(2, 200))}, LIMIT)
    assert found == {("space",): "100 x 198 = 19,800 combinations exceed the limit of 10,000"}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"min": 2, "max": 10, "step": 0}, "step must be > 0 (got 0)"),
        ({"min": 2, "max": 10, "step": -1}, "step must be > 0 (got -1)"),
        ({"min": 2, "max": 10, "step": math.nan}, "step must be a finite number between -1e15 and 1e15"),
        ({"min": 2, "max": math.inf, "step": 1}, "max must be a finite number between -1e15 and 1e15"),
        ({"min": 2, "max": 10**400, "step": 1}, "max must be a finite number between -1e15 and 1e15"),
        ({"min": 2, "max": 1e15, "step": 1e300}, "step must be a finite number between -1e15 and 1e15"),
        ({"min": 2, "max": 10, "stp": 1}, "unknown key(s) stp: a range has min, max and step"),
        ({"min": 2, "max": 3, "step": 0.3}, "min, max and step must be whole numbers for an int parameter"),
        ({"min": 10, "max": 2, "step": 1}, "no values to try"),
        ([2, 2.5], "must be whole numbers for an int parameter"),
        (math.nan, "must be a finite number between -1e15 and 1e15"),
        ("ten", "must be a number, a list of numbers or {min, max, step}"),
    ],
)
def test_a_bad_entry_is_refused_at_its_parameter(entry: Any, message: str) -> None:
    found = _problems({"fast": entry})
    assert len(found) == 1
    ((loc, msg),) = found.items()
    assert loc[:2] == ("space", "fast")
    assert msg == message


def test_a_listed_value_is_located_by_its_index() -> None:
    assert _problems({"fast": [5, math.inf]}) == {
        ("space", "fast", 1): "must be a finite number between -1e15 and 1e15"
    }


def test_steps_between_counts_like_the_float_grid() -> None:
    assert steps_between(0.1, 0.3, 0.1) == 3  # 0.2 / 0.1 is 1.9999999999999998
    assert steps_between(5, 50, 5) == 10
    assert steps_between(2, 1, 1) == 0
    assert steps_between(0, 1e15, 5e-324) > 10**338


_number = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, 2, 10, 0.5, 1e-12, 1e15, 1e16, 10**400]),
)
_entry = st.one_of(
    _number,
    st.lists(_number, max_size=5),
    st.dictionaries(st.sampled_from(["min", "max", "step", "stp"]), _number, max_size=4),
    st.dictionaries(
        st.sampled_from(["min", "max", "step"]),
        st.one_of(st.integers(-50, 300), st.floats(-50, 300), st.sampled_from([1e-9, 1e-3])),
        max_size=3,
    ),
)


@settings(max_examples=400, deadline=None)
@given(space=st.dictionaries(st.sampled_from(["fast", "slow", "k"]), _entry, max_size=3))
def test_any_entry_expands_within_the_limit_or_is_refused(space: dict[str, Any]) -> None:
    strategy = _free()
    try:
        counted = count(strategy, space, LIMIT)
    except InvalidInput as exc:
        problems = exc.problems
    else:
        columns = expand(strategy, space, max_combinations=LIMIT)
        assert counted <= LIMIT
        assert {len(column) for column in columns.values()} == {counted}
        return
    assert problems
    assert all(p.loc[0] == "space" for p in problems)
    with pytest.raises(InvalidInput):
        expand(strategy, space, max_combinations=LIMIT)


_literal = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(json.dumps),  # NaN, Infinity, -Infinity too
    st.sampled_from(["1e400", "-1e400", "1" + "0" * 400, '"7"', '"NaN"', "true", "null", "0", "1e-12"]),
)
_entry_text = st.one_of(
    _literal,
    st.lists(_literal, max_size=4).map(lambda items: f"[{','.join(items)}]"),
    st.dictionaries(st.sampled_from(["min", "max", "step", "stp"]), _literal, max_size=4).map(
        lambda d: "{" + ",".join(f'"{k}": {v}' for k, v in d.items()) + "}"
    ),
)


@settings(max_examples=300, deadline=None)
@given(entry=_entry_text)
def test_any_json_entry_is_a_field_error_a_space_error_or_a_bounded_grid(entry: str) -> None:
    """What the API does with a body: the model refuses it at ``space.fast``, or the space refuses it
    at ``["space", ...]``, or it expands within the limit; nothing else is raised (Python's json and
    pydantic's parser alike)."""
    strategy = json.dumps(template("sma_cross").model_dump(mode="json"))
    text = f'{{"strategy": {strategy}, "dataset_id": "d", "symbols": ["AAA"], "space": {{"fast": {entry}}}}}'
    for parse in (
        OptimizationRequest.model_validate_json,
        lambda t: OptimizationRequest.model_validate(json.loads(t)),
    ):
        try:
            request = parse(text)
        except ValidationError as exc:
            errors = exc.errors()
        else:
            errors = []
            assert request.strategy is not None
            try:
                columns = expand(request.strategy, request.space, max_combinations=LIMIT)
            except InvalidInput as exc:
                problems = exc.problems
            else:
                assert len(next(iter(columns.values()))) <= LIMIT
                continue
            assert all(p.loc == ["space"] or p.loc[:2] == ["space", "fast"] for p in problems), problems
        assert all(e["loc"][:2] == ("space", "fast") for e in errors), errors


def _doc(**parameter: Any) -> dict[str, Any]:
    doc = template("sma_cross").model_dump(mode="json")
    doc["parameters"]["fast"].update(parameter)
    return doc


def _doc_problems(text: str) -> dict[tuple[Any, ...], str]:
    with pytest.raises(InvalidInput) as caught:
        parse_strategy(text)
    return {tuple(p.loc): p.msg for p in caught.value.problems}


def test_the_documents_own_range_is_bounded() -> None:
    found = _doc_problems(json.dumps(_doc(min=2, max=10**15, step=1)))
    assert found == {
        (
            "parameters",
            "fast",
            "step",
        ): "min..max by step is 999,999,999,999,999 values, above the limit of 5,000,000"
    }


@pytest.mark.parametrize(
    ("path", "literal"),
    [
        (("parameters", "fast", "default"), "NaN"),
        (("parameters", "fast", "step"), "Infinity"),
        (("parameters", "fast", "max"), "1e400"),
        (("parameters", "fast", "min"), "1" + "0" * 400),
        (("parameters", "fast", "choices", 1), "NaN"),
        (("rules", 0, "when", "right"), "-Infinity"),
        (("costs", "commission_fixed"), "Infinity"),
        (("costs", "slippage_bps"), "NaN"),
        (("risk", "atr_window"), "NaN"),
        (("constraints", 0, "right"), "1e400"),
        (("rules", 0, "priority"), "1" + "0" * 400),
    ],
)
def test_a_non_finite_or_huge_number_is_refused_at_its_field(path: tuple[Any, ...], literal: str) -> None:
    doc = template("sma_cross").model_dump(mode="json")
    doc["parameters"]["fast"]["choices"] = [5, 10]
    doc["rules"][0]["when"] = {"op": ">", "left": "close", "right": 1}
    doc["constraints"] = [{"left": "fast", "op": "<", "right": 100}]
    target = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = "__HERE__"
    text = json.dumps(doc).replace('"__HERE__"', literal)
    loc = ("rules", 0, "when", ">", "right") if path[:3] == ("rules", 0, "when") else path  # op's tag
    for document in (text, json.loads(text)):  # JSON text (pydantic's parser) and Python's json
        found = _doc_problems(document)
        assert loc in found, found


@pytest.mark.parametrize("weight", [math.nan, math.inf, -math.inf, 1e300])
def test_a_non_finite_weight_is_refused_at_its_symbol(weight: float) -> None:
    """The API's models refuse these; the Python API's portfolio backtest reaches ``weight_problems``."""
    problems = weight_problems(["AAA", "BBB"], {"AAA": weight, "BBB": 1.0})
    assert [(p.loc, p.type) for p in problems if p.loc != ["weights"]] == [
        (["weights", "AAA"], "finite_number")
    ]
