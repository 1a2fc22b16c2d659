"""The Lambda's app includes route groups on first use; it must answer exactly as the full app does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tradewind.api.app import create_app
from tradewind.api.routes import ROUTE_GROUPS

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import sys
from fastapi.testclient import TestClient
from tradewind.api.app import create_app
client = TestClient(create_app(lazy_routes=True))
assert client.get("/health").status_code == 200
loaded = sys.modules
print("after-health", "tradewind.api.routes.optimizations" in loaded, "tradewind.jobs.spec" in loaded)
assert client.get("/optimizations").status_code == 401
print("after-optimizations", "tradewind.api.routes.optimizations" in sys.modules)
"""


def test_a_request_loads_only_its_group() -> None:
    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={"PYTHONPATH": f"{ROOT}:{ROOT / 'layers' / 'tradewind'}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    lines = probe.stdout.splitlines()
    assert "after-health False False" in lines
    assert "after-optimizations True" in lines


@pytest.mark.parametrize("segment", sorted(ROUTE_GROUPS))
def test_every_group_answers_as_in_the_full_app(segment: str) -> None:
    lazy, full = TestClient(create_app(lazy_routes=True)), TestClient(create_app())
    for method, path in (("GET", f"/{segment}"), ("GET", f"/{segment}/x"), ("DELETE", f"/{segment}")):
        assert lazy.request(method, path).status_code == full.request(method, path).status_code, path


def test_the_openapi_document_lists_every_route() -> None:
    lazy, full = TestClient(create_app(lazy_routes=True)), TestClient(create_app())
    assert lazy.get("/openapi.json").json() == full.get("/openapi.json").json()
    assert lazy.get("/nowhere").status_code == full.get("/nowhere").status_code == 404
