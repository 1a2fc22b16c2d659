"""The API Lambda's cold import must not pull in pandas (it costs ~200 ms per cold start).

Route modules of every feature are imported by ``functions/api/handler.py``; this guards them all.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("api_handler", "functions/api/handler.py")
spec.loader.exec_module(importlib.util.module_from_spec(spec))
print(",".join(sorted(m for m in ("pandas", "numpy", "fastparquet") if m in sys.modules)))
"""


def test_handler_import_does_not_load_pandas() -> None:
    env = {"PYTHONPATH": f"{ROOT}:{ROOT / 'layers' / 'tradewind'}", "PATH": "/usr/bin:/bin"}
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    heavy = probe.stdout.strip().split(",")
    assert "pandas" not in heavy, f"functions/api/handler.py imports {heavy}"
