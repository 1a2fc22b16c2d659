"""Write docs/strategy.schema.json from the models: ``python -m tradewind.strategy.schema [PATH]``."""

from __future__ import annotations

import sys
from pathlib import Path

from tradewind.strategy import json_schema_text


def main(argv: list[str]) -> None:
    """Regenerate the published schema (a unit test fails when the committed file drifts)."""
    target = Path(argv[0]) if argv else Path("docs/strategy.schema.json")
    target.write_text(json_schema_text())
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
