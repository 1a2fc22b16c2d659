"""Write the API's OpenAPI document to a file: ``python -m tradewind.api.export_openapi <path>``.

The frontend's typed client is generated from this file (``make api-types`` writes
``frontend/openapi.json``, then openapi-typescript turns it into ``frontend/src/api/schema.d.ts``).
Keys are sorted and the JSON indented so the committed file diffs line by line; a unit test fails
when it drifts from the app (tests/unit/api/test_openapi_export.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def document() -> dict[str, Any]:
    """The app's OpenAPI document, every route included (no I/O, no AWS)."""
    from tradewind.api.app import create_app

    return create_app().openapi()


def render(doc: dict[str, Any]) -> str:
    """Sorted, indented JSON with a final newline: the committed form."""
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m tradewind.api.export_openapi <path>", file=sys.stderr)
        return 2
    target = Path(args[0])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(document()), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
