"""API Lambda benchmarks: cold import of the handler module and in-process handler latency.

Cold import: a fresh ``python`` per run imports ``functions/api/handler.py`` and times the import
itself with ``time.perf_counter`` (interpreter start-up excluded), median of :data:`COLD_RUNS`. This
environment sets ``PYTHONDONTWRITEBYTECODE``, which stops the import system *writing* bytecode but not
reading it, so the project's sources are compiled first (``compileall`` into the git-ignored
``__pycache__``) as the Lambda layer build does; site-packages already carry bytecode. Target: 350 ms.

Latency: ``handler.handler`` called with API Gateway REST proxy events in this process, AWS being moto
(``mock_aws``), :data:`CALLS` calls per route after a warm-up; p50 and p99. ``GET /symbols?q=`` runs
against a seeded symbol table when the market-data routes are installed.
"""

from __future__ import annotations

import compileall
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.apigw import LambdaContext, rest_event

ROOT = Path(__file__).resolve().parents[1]
COLD_RUNS = 5
CALLS = 1_000
COLD_TARGET_MS = 350.0

_COLD_PROBE = """
import importlib.util, json, sys, time
start = time.perf_counter()
spec = importlib.util.spec_from_file_location("api_handler", "functions/api/handler.py")
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
imported = time.perf_counter()
heavy = [m for m in ("pandas", "numpy", "pynamodb", "boto3", "botocore", "aws_xray_sdk") if m in sys.modules]
print(json.dumps({"import_ms": (imported - start) * 1000, "loaded": heavy}))
"""

_PART_PROBE = """
import sys, time
start = time.perf_counter()
__import__(sys.argv[1])
print((time.perf_counter() - start) * 1000)
"""


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": f"{ROOT}:{ROOT / 'layers' / 'tradewind'}",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }


def _compile_sources() -> None:
    for folder in (ROOT / "layers" / "tradewind" / "tradewind", ROOT / "functions" / "api"):
        compileall.compile_dir(str(folder), quiet=1)


def _run(code: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=_env(), capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def cold_import() -> None:
    """Median cold import of the handler module, with the biggest third-party parts for context."""
    _compile_sources()
    runs = [json.loads(_run(_COLD_PROBE)) for _ in range(COLD_RUNS)]
    times = sorted(r["import_ms"] for r in runs)
    median = statistics.median(times)
    verdict = "OK" if median <= COLD_TARGET_MS else "OVER TARGET"
    print(f"cold import functions/api/handler.py: median {median:.0f} ms of {COLD_RUNS} fresh processes")
    print(f"  runs: {', '.join(f'{t:.0f}' for t in times)} ms; target <= {COLD_TARGET_MS:.0f} ms: {verdict}")
    print(f"  heavy modules loaded at import: {', '.join(runs[0]['loaded']) or 'none'}")
    for part in ("fastapi", "aws_xray_sdk.core", "pynamodb.models", "pandas"):
        alone = statistics.median(float(_run(_PART_PROBE, part)) for _ in range(3))
        print(f"  for reference, `import {part}` alone: {alone:.0f} ms")


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = ordered[len(ordered) // 2]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {p50 * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms"


def _measure(call: Callable[[], dict[str, Any]]) -> list[float]:
    for _ in range(20):
        call()
    samples = []
    for _ in range(CALLS):
        start = time.perf_counter()
        response = call()
        samples.append(time.perf_counter() - start)
        if response["statusCode"] != 200:
            raise RuntimeError(f"unexpected {response['statusCode']}: {response['body'][:300]}")
    return samples


def _seed_symbols(tenant: str, count: int) -> bool:
    """Symbol rows as the market-data import writes them; ``False`` if that feature is absent."""
    try:
        from tradewind.data.marketdata import SymbolRecord
    except ImportError:
        return False
    now = datetime.now(UTC)
    with SymbolRecord.batch_write() as batch:
        for i in range(count):
            symbol = f"{chr(65 + i % 26)}{chr(65 + i // 26 % 26)}X{i}"
            pk, sk = SymbolRecord.key(tenant, symbol, "bench")
            batch.save(
                SymbolRecord(
                    pk,
                    sk,
                    tenant_id=tenant,
                    symbol=symbol,
                    dataset_id="bench",
                    dataset_name="bench (synthetic)",
                    synthetic=True,
                    rows=2500,
                    start_at=now,
                    end_at=now,
                    object_key=f"datasets/{tenant}/bench/symbol={symbol}/bars.parquet",
                )
            )
    return True


def handler_latency() -> None:
    """p50/p99 of the Lambda handler for /health/ready and /symbols?q= under moto."""
    from moto import mock_aws

    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
            "POWERTOOLS_METRICS_DISABLED": "true",
            "POWERTOOLS_TRACE_DISABLED": "true",
        }
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)
    from tradewind.aws import client, reset_clients
    from tradewind.services import apikeys
    from tradewind.settings import get_settings

    reset_clients()
    with mock_aws():
        from tradewind.data.models import ApiKeyRecord

        ApiKeyRecord.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
        client("s3").create_bucket(Bucket=get_settings().data_bucket)
        secret = apikeys.create_api_key("bench", "bench").secret
        from functions.api import handler

        context = LambdaContext()
        ready = rest_event("GET", "/health/ready")
        samples = _measure(lambda: handler.handler(ready, context))
        print(f"GET /health/ready (DynamoDB + S3 probes), {CALLS} calls: {_percentiles(samples)}")
        if "/symbols" not in handler.app.openapi()["paths"] or not _seed_symbols("bench", 500):
            print("GET /symbols?q=: not measured (the market-data routes are not installed)")
            return
        search = rest_event("GET", "/symbols", query={"q": "A"}, headers={"X-Api-Key": secret})
        samples = _measure(lambda: handler.handler(search, context))
        print(f"GET /symbols?q=A (500 symbols seeded, authenticated), {CALLS} calls: {_percentiles(samples)}")
    reset_clients()


def main() -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load} (timings scale with other work running)")
    cold_import()
    handler_latency()


if __name__ == "__main__":
    main()
