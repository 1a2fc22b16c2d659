"""The declarative strategy language: models, validation, parameter spaces, templates, JSON I/O."""

from __future__ import annotations

import json
from typing import Any

from tradewind.strategy.models import Strategy
from tradewind.strategy.space import default_params, expand
from tradewind.strategy.templates import TEMPLATES, template
from tradewind.strategy.validation import check_strategy, parse_strategy


def to_json(strategy: Strategy, indent: int | None = 2) -> str:
    """The document as JSON; ``from_json(to_json(s)) == s`` and re-exporting gives the same text."""
    return strategy.model_dump_json(indent=indent)


def from_json(text: str | bytes, n_bars: int | None = None) -> Strategy:
    """Parse and validate a JSON document (``InvalidInput`` lists every problem)."""
    return parse_strategy(text, n_bars)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the document, as published in docs/strategy.schema.json."""
    schema = Strategy.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://tradewind.dev/schemas/strategy.schema.json"
    return schema


def json_schema_text() -> str:
    """The schema serialized the way the committed file is (stable key order, trailing newline)."""
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"


__all__ = [
    "TEMPLATES",
    "Strategy",
    "check_strategy",
    "default_params",
    "expand",
    "from_json",
    "json_schema",
    "json_schema_text",
    "parse_strategy",
    "template",
    "to_json",
]
