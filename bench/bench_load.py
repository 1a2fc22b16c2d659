"""Load against ``make run``'s stack: concurrency 10 for 10 s with ``wrk``, 0 errors allowed.

Targets: ``GET /health`` >= 1,500 requests/s, authenticated ``GET /symbols?q=A`` >= 500 requests/s.
The stack runs in a child process (with the sample universe seeded, so the symbol search has rows to
find); ``wrk`` generates the load because a Python client would compete for the same two cores.
``wrk`` is installed with apt-get when missing (root on these machines).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from infra.local.launcher import LocalStack

DURATION_S = 10
CONNECTIONS = 10
THREADS = 2
TARGETS = {"/health": 1500.0, "/symbols?q=A": 500.0}


@dataclass(frozen=True)
class LoadResult:
    """What one wrk run measured."""

    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def ensure_wrk() -> str:
    """Path of ``wrk``, installing the Debian package if needed."""
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
    )
    return shutil.which("wrk") or "wrk"


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(output: str) -> LoadResult:
    """Requests/s, p50/p99 latency and errors (socket errors + non-2xx/3xx) from ``wrk --latency``."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    return LoadResult(rps, p50, p99, requests, errors)


def run_wrk(wrk: str, url: str, headers: dict[str, str], seconds: int) -> LoadResult:
    """One wrk run at the fixed concurrency."""
    args = [wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    result = subprocess.run([*args, url], capture_output=True, text=True, check=True)
    return parse_wrk(result.stdout)


def _wait_for_sample(stack: LocalStack, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        items = httpx.get(f"{stack.url}/datasets", headers=stack.headers, timeout=10).json().get("items", [])
        if any(d["dataset_id"] == "sample" and d["status"] == "ready" for d in items):
            return
        time.sleep(1)
    raise TimeoutError("the sample universe was not seeded in time")


def main() -> None:
    """Start a stack, warm each route up, then measure it; print figures next to their targets."""
    wrk = ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="tw-bench-") as tmp:
        stack = LocalStack(data_dir=Path(tmp) / "data")
        started = time.perf_counter()
        stack.start()
        try:
            _wait_for_sample(stack)
            print(f"stack ready and seeded in {time.perf_counter() - started:.1f} s")
            columns = ("req/s", "target", "p50 ms", "p99 ms", "requests", "errors")
            print(f"{'route':<16}" + "".join(f"{c:>10}" for c in columns))
            for route, target in TARGETS.items():
                headers = {} if route == "/health" else stack.headers
                run_wrk(wrk, f"{stack.url}{route}", headers, 2)  # warm-up: imports, caches, connections
                result = run_wrk(wrk, f"{stack.url}{route}", headers, DURATION_S)
                verdict = "ok" if result.requests_per_s >= target and result.errors == 0 else "MISSED"
                print(
                    f"{route:<16}{result.requests_per_s:>10.0f}{target:>10.0f}{result.p50_ms:>10.2f}"
                    f"{result.p99_ms:>10.2f}{result.requests:>10}{result.errors:>10}  {verdict}"
                )
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
