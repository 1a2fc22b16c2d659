"""The numbers every request may carry: finite and of a sane magnitude, refused at their own field.

Python's ``json`` reads ``NaN``, ``Infinity`` and ``1e400`` (as ``inf``), and a JSON integer may have
400 digits: without these bounds such values reach ``range()``, ``float()`` or a division and answer
500 (or run forever). Every number of the strategy document and of a job request is a ``Number``
(``int`` or ``float``), a ``Finite`` float or an int with explicit bounds; the base models also set
``allow_inf_nan=False`` so a new ``float`` field is finite by default.
"""

from __future__ import annotations

import numbers
from typing import Annotated, Any, TypeGuard

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

MAGNITUDE = 10**15
"""The largest absolute value a number may have: integers up to here are exact in a float."""

MODEL_CONFIG = ConfigDict(extra="forbid", allow_inf_nan=False)
"""Strict base: unknown keys are errors (a typo never silently disables a rule); floats are finite."""

NOT_FINITE = "must be a finite number between -1e15 and 1e15"  # = ±MAGNITUDE


def is_number(value: object) -> TypeGuard[float]:
    """A real number, numpy scalars included (``bool`` is not a number here)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def in_range(value: float) -> bool:
    """Finite and within ``±MAGNITUDE``: false for NaN (every comparison with it is false) and for
    integers too large for a float, without converting them."""
    return -MAGNITUDE <= value <= MAGNITUDE


def finite(value: Any) -> Any:
    """Refuse a number out of range; anything else is left to the type's own validation."""
    if is_number(value) and not in_range(value):
        raise PydanticCustomError("finite_number", NOT_FINITE)
    return value


def problem(value: object) -> str | None:
    """Why ``value`` is not an acceptable number (for inputs that bypass pydantic), else ``None``."""
    if not is_number(value):
        return "must be a number"
    return None if in_range(value) else NOT_FINITE


def finite_parts(value: Any) -> Any:
    """``finite`` for each number of a list or a mapping (a sweep entry), naming the bad one."""
    parts = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in parts:
        if is_number(item) and not in_range(item):
            where = key if isinstance(key, str) else f"item {key}"
            raise PydanticCustomError("finite_number", f"{where} {NOT_FINITE}")
    return finite(value)


FINITE_PARTS = BeforeValidator(finite_parts)
FINITE_FIRST = BeforeValidator(finite)
"""Put on a union holding ``Number`` (``Annotated[Number | ParamRef, FINITE_FIRST]``): a bad number is
then reported once, at its field, rather than once under each member of the union."""

Number = Annotated[
    int | float,
    FINITE_FIRST,
    AfterValidator(finite),
    WithJsonSchema({"type": "number", "minimum": -MAGNITUDE, "maximum": MAGNITUDE}),
]
"""An int or a float, finite and within ``±MAGNITUDE`` (checked after the union too, for numbers
given as strings); JSON Schema's ``number`` includes integers."""

Finite = Annotated[float, Field(ge=-MAGNITUDE, le=MAGNITUDE, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0, le=MAGNITUDE)]
