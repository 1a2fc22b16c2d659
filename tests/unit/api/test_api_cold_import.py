"""The API Lambda's cold import must not pull in pandas (it costs ~200 ms per cold start), nor pynamodb
and boto3 (~150-200 ms more in Lambda, and ``GET /health`` never needs them), while X-Ray still traces
them once a request loads them.

Route modules of every feature are imported by ``functions/api/handler.py``; this guards them all. Each
probe runs in a fresh interpreter: a module imported by another test would hide a regression.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

IMPORT_HANDLER = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("api_handler", "functions/api/handler.py")
spec.loader.exec_module(importlib.util.module_from_spec(spec))
"""
LOADED = """
heavy = ("pandas", "numpy", "pynamodb", "boto3", "botocore.client")
print(",".join(m for m in heavy if m in sys.modules))
"""
PATCHED = """
from aws_xray_sdk.core.patcher import _PATCHED_MODULES
print(",".join(sorted(_PATCHED_MODULES)))
"""

# What Lambda sets: X-Ray and Powertools take their Lambda code paths (tracing on, no sampling poller).
LAMBDA_ENV = {
    "LAMBDA_TASK_ROOT": str(ROOT / "functions" / "api"),
    "AWS_LAMBDA_FUNCTION_NAME": "tradewind-api",
    "AWS_REGION": "us-east-1",
}


def _run(code: str, env: dict[str, str] | None = None) -> list[str]:
    """The comma-separated names the probe prints last, run in a fresh interpreter."""
    full_env = {
        "PYTHONPATH": f"{ROOT}:{ROOT / 'layers' / 'tradewind'}",
        "PATH": "/usr/bin:/bin",
        **(env or {}),
    }
    probe = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True, check=True
    )
    return [name for name in probe.stdout.splitlines()[-1].split(",") if name]


def test_handler_import_does_not_load_pandas() -> None:
    heavy = _run(IMPORT_HANDLER + LOADED)
    assert "pandas" not in heavy, f"functions/api/handler.py imports {heavy}"


def test_handler_import_in_lambda_leaves_pynamodb_and_boto3_to_first_use() -> None:
    heavy = _run(IMPORT_HANDLER + LOADED, LAMBDA_ENV)
    assert heavy == [], f"functions/api/handler.py imports {heavy} in Lambda"


def test_xray_patches_aws_sdks_when_a_request_first_loads_them() -> None:
    at_import = _run(IMPORT_HANDLER + PATCHED, LAMBDA_ENV)
    first_use = "import boto3\nfrom tradewind.data.models import ApiKeyRecord\n"
    after_first_use = _run(IMPORT_HANDLER + first_use + PATCHED, LAMBDA_ENV)
    assert at_import == []
    assert {"botocore", "pynamodb"} <= set(after_first_use)
