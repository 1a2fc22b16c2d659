"""The committed frontend/openapi.json is the app's document: the frontend's types come from it."""

from __future__ import annotations

import json
from pathlib import Path

from tradewind.api import export_openapi

ROOT = Path(__file__).resolve().parents[3]
COMMITTED = ROOT / "frontend" / "openapi.json"


def test_committed_openapi_matches_the_app() -> None:
    assert COMMITTED.is_file(), "frontend/openapi.json is missing: run `make api-types`"
    expected = export_openapi.render(export_openapi.document())
    assert COMMITTED.read_text(encoding="utf-8") == expected, (
        "frontend/openapi.json differs from the API's OpenAPI document: run `make api-types` "
        "(and commit frontend/openapi.json and frontend/src/api/schema.d.ts)"
    )


def test_export_writes_sorted_indented_json(tmp_path: Path) -> None:
    target = tmp_path / "out" / "openapi.json"
    assert export_openapi.main([str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert "/health" in doc["paths"]
    assert text == json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_export_needs_one_path() -> None:
    assert export_openapi.main([]) == 2
