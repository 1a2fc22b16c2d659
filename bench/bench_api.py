"""API Lambda benchmarks: cold import of the handler module and in-process handler latency.

Cold import: a fresh ``python`` per run imports ``functions/api/handler.py`` and times the import
itself with ``time.perf_counter`` (interpreter start-up excluded), median of :data:`COLD_RUNS`, with
Lambda's environment variables set so that X-Ray and Powertools take their Lambda code paths (outside
Lambda X-Ray builds a sampling poller with two botocore clients at import, which Lambda never runs).
Process CPU time is printed too, and ``import fastapi`` alone as the floor: on this shared machine the
ratio to it is steadier than wall time. The same processes then answer their first request, so deferring
work to first use cannot hide its cost: ``GET /health`` (no AWS) and an authenticated ``GET /watchlists``
(pynamodb and botocore load, DynamoDB on a local moto server). This environment sets
``PYTHONDONTWRITEBYTECODE``, which stops the import system *writing* bytecode but not reading it, so the
project's sources are compiled first (``compileall`` into the git-ignored ``__pycache__``) as the Lambda
layer build does; site-packages already carry bytecode. Target: 350 ms. ``bench_layers`` measures the
same import from the built layers under the runtime's Python 3.12.

Latency: ``handler.handler`` called with API Gateway REST proxy events in this process, AWS being moto
(``mock_aws``), :data:`CALLS` calls per route after a warm-up; p50 and p99. ``GET /symbols?q=`` runs
against a seeded symbol table.
"""

from __future__ import annotations

import compileall
import json
import logging
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.apigw import LambdaContext, rest_event

ROOT = Path(__file__).resolve().parents[1]
COLD_RUNS = 5
CALLS = 1_000
COLD_TARGET_MS = 350.0

LAMBDA_ENV = {
    "LAMBDA_TASK_ROOT": str(ROOT / "functions" / "api"),
    "AWS_LAMBDA_FUNCTION_NAME": "tradewind-api",
    "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12",
    "AWS_REGION": "us-east-1",
    # A sampled request, as a cold start's first one usually is (the segment goes to an absent daemon).
    "_X_AMZN_TRACE_ID": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
}
"""What Lambda sets that changes the import: X-Ray's Lambda context and sampler, Powertools' tracing."""

_COLD_PROBE = """
import importlib.util, json, sys, time
start, cpu = time.perf_counter(), time.process_time()
spec = importlib.util.spec_from_file_location("api_handler", "functions/api/handler.py")
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
import_ms, import_cpu_ms = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
heavy = [m for m in ("pandas", "numpy", "pynamodb", "boto3", "botocore.client") if m in sys.modules]
from bench.apigw import LambdaContext, rest_event
event = rest_event("GET", sys.argv[1], headers=json.loads(sys.argv[2]))
start = time.perf_counter()
status = module.handler(event, LambdaContext())["statusCode"]
first_ms = (time.perf_counter() - start) * 1000
print(json.dumps({"import_ms": import_ms, "import_cpu_ms": import_cpu_ms, "first_ms": first_ms,
                  "status": status, "loaded": heavy}))
"""

_PART_PROBE = """
import sys, time
start = time.perf_counter()
__import__(sys.argv[1])
print((time.perf_counter() - start) * 1000)
"""


def _env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": f"{ROOT}:{ROOT / 'layers' / 'tradewind'}",
        "POWERTOOLS_METRICS_DISABLED": "true",
        **LAMBDA_ENV,
        **extra,
    }


def _compile_sources() -> None:
    for folder in (ROOT / "layers" / "tradewind" / "tradewind", ROOT / "functions" / "api"):
        compileall.compile_dir(str(folder), quiet=1)


def _run(code: str, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env or _env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def _cold_runs(path: str, headers: dict[str, str], env: dict[str, str]) -> list[dict[str, Any]]:
    runs = [json.loads(_run(_COLD_PROBE, path, json.dumps(headers), env=env)) for _ in range(COLD_RUNS)]
    bad = [r["status"] for r in runs if r["status"] != 200]
    if bad:
        raise RuntimeError(f"GET {path} answered {bad[0]} in a fresh process")
    return runs


def _median(runs: list[dict[str, Any]], *fields: str) -> float:
    return statistics.median(sum(r[f] for f in fields) for r in runs)


@contextmanager
def _environ(**variables: str) -> Iterator[None]:
    """Set environment variables (and rebuild the cached clients and settings) for the block."""
    from tradewind.aws import reset_clients

    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    reset_clients()
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        reset_clients()


def _authenticated_first_request() -> list[dict[str, Any]]:
    """Fresh processes whose first request needs an API key lookup and a DynamoDB query (local moto)."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        aws = {
            "AWS_ENDPOINT_URL": f"http://{host}:{port}",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
        with _environ(**aws):
            from tradewind.data.models import ApiKeyRecord
            from tradewind.services import apikeys

            ApiKeyRecord.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
            secret = apikeys.create_api_key("bench", "bench").secret
        return _cold_runs("/watchlists", {"X-Api-Key": secret}, _env(**aws))
    finally:
        server.stop()


def cold_import() -> None:
    """Median cold import of the handler module, then its first request, with fastapi's import as floor."""
    _compile_sources()
    fastapi_ms = statistics.median(float(_run(_PART_PROBE, "fastapi")) for _ in range(COLD_RUNS))
    runs = _cold_runs("/health", {}, _env())
    median = _median(runs, "import_ms")
    verdict = "OK" if median <= COLD_TARGET_MS else "OVER TARGET"
    times = ", ".join(f"{t:.0f}" for t in sorted(r["import_ms"] for r in runs))
    print(f"cold import functions/api/handler.py (Lambda's environment, {COLD_RUNS} fresh processes):")
    print(f"  median {median:.0f} ms (CPU {_median(runs, 'import_cpu_ms'):.0f} ms), runs {times} ms")
    print(f"  target <= {COLD_TARGET_MS:.0f} ms: {verdict}")
    print(
        f"  `import fastapi` alone: {fastapi_ms:.0f} ms, so the handler costs {median / fastapi_ms:.2f}x it"
    )
    print(f"  heavy modules loaded at import: {', '.join(runs[0]['loaded']) or 'none'}")
    first = _median(runs, "first_ms")
    print(
        f"  import + first GET /health: {_median(runs, 'import_ms', 'first_ms'):.0f} ms (call {first:.0f} ms)"
    )
    auth = _authenticated_first_request()
    first = _median(auth, "first_ms")
    total = _median(auth, "import_ms", "first_ms")
    print(f"  import + first authenticated GET /watchlists (moto): {total:.0f} ms (call {first:.0f} ms)")
    for part in ("aws_xray_sdk.core", "pynamodb.models", "boto3", "pandas"):
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


def _seed_symbols(tenant: str, count: int) -> None:
    """Symbol rows as the market-data import writes them."""
    from tradewind.data.marketdata import SymbolRecord

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
        _seed_symbols("bench", 500)
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
