"""The signal pipeline: a full run over 500 symbols x 10 years of daily bars on ``make run``'s stack.

- worker cost (in-process, the batch code the worker runs, bars already read): ms per symbol and per
  batch of ``BATCH`` symbols (median over the universe's batches);
- a ``full`` run of the SMA cross over the 500-symbol dataset: submit -> ``job.completed`` over the
  WebSocket (target <= 30 s), symbols per second, signals found;
- a dense run (fast 2, slow 5: about 100,000 signals or more) and its first page of signals filtered
  by one symbol: the first request (reads the table) and the warm median (target <= 100 ms).

The 500-symbol dataset is uploaded (Parquet, presigned PUT) and imported through the API first; its
import is not part of the figures. The stack runs in a child process on a fresh data directory.
"""

from __future__ import annotations

import contextlib
import io
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from tradewind.cli.remote import Client, Endpoint, follow, subscription

SYMBOLS = 500
START, END = "2016-01-01", "2025-12-31"
BATCH = 25  # the stack's TW_PIPELINE_BATCH_SYMBOLS (infra/constructs/pipeline.py)
DENSE = {"fast": 2, "slow": 5}
PAGE_REPEATS = 20
TARGETS = {"run_s": 30.0, "page_ms": 100.0}


def _universe() -> Any:
    from tradewind.marketdata.sample import generate
    from tradewind.marketdata.universe import sample_symbols

    return generate(sample_symbols(SYMBOLS), start=START, end=END)


def worker_cost(bars: Any) -> tuple[float, float, int]:
    """Median ms per batch and per symbol of ``pipeline.batch.run`` (signals + breadth components)."""
    from tradewind.pipeline import batch
    from tradewind.pipeline.spec import PipelineSpec
    from tradewind.strategy.templates import TEMPLATES

    frames = {s.symbol: bars.frame(i) for i, s in enumerate(bars.symbols)}
    symbols = list(frames)
    spec = PipelineSpec(
        strategy=TEMPLATES["sma_cross"](),
        dataset_id="bench",
        universe="bench",
        mode="full",
        timeframe="1d",
        symbols=symbols,
        batch_size=BATCH,
    )
    timings = []
    for start in range(0, len(symbols), BATCH):
        chunk = [(s, s) for s in symbols[start : start + BATCH]]
        began = time.perf_counter()
        batch.run(spec, chunk, frames.__getitem__)
        timings.append((time.perf_counter() - began) * 1000)
    per_batch = statistics.median(timings)
    return per_batch, per_batch / BATCH, len(next(iter(frames.values())))


def upload(client: Client, endpoint: Endpoint, bars: Any) -> str:
    """The universe as a Parquet upload, imported by the stack; returns the ready dataset's id."""
    buffer = io.BytesIO()
    bars.long_frame().to_parquet(buffer, engine="fastparquet", index=False)
    created = client.call("POST", "/datasets", json={"name": "bench 500", "format": "parquet"})
    dataset_id = created["dataset"]["dataset_id"]
    put = created["upload"]
    httpx.put(put["url"], content=buffer.getvalue(), headers=put["headers"], timeout=300).raise_for_status()
    with subscription(endpoint, f"dataset:{dataset_id}") as socket:
        client.call("POST", f"/datasets/{dataset_id}/complete")
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if client.call("GET", f"/datasets/{dataset_id}")["status"] in ("ready", "failed"):
                break
            with contextlib.suppress(TimeoutError):  # a status message, or poll again
                socket.recv(timeout=5)
    dataset = client.call("GET", f"/datasets/{dataset_id}")
    if dataset["status"] != "ready":
        raise RuntimeError(f"the bench dataset did not import: {dataset}")
    return str(dataset_id)


def run(
    client: Client, endpoint: Endpoint, dataset_id: str, params: dict[str, int]
) -> tuple[float, dict[str, Any]]:
    """Submit a full run and follow it to its end; (seconds, the run)."""
    body = {
        "template": "sma_cross",
        "params": params,
        "universe": {"kind": "dataset", "dataset_id": dataset_id},
    }
    began = time.perf_counter()
    started = client.call("POST", "/pipeline/runs", json=body)
    with subscription(endpoint, f"job:{started['job_id']}") as socket:
        follow(socket, started["job_id"], lambda _message: None, timeout=600)
    elapsed = time.perf_counter() - began
    final: dict[str, Any] = client.call("GET", f"/pipeline/runs/{started['job_id']}")
    if final["status"] != "succeeded":
        raise RuntimeError(f"the run ended {final['status']}: {final.get('error')}")
    return elapsed, final


def timed(client: Client, path: str, params: dict[str, Any]) -> tuple[list[float], Any]:
    """``PAGE_REPEATS + 1`` GETs: each one's milliseconds, and the last answer."""
    timings, answer = [], None
    for _ in range(PAGE_REPEATS + 1):
        began = time.perf_counter()
        answer = client.call("GET", path, params=params)
        timings.append((time.perf_counter() - began) * 1000)
    return timings, answer


def first_page_ms(client: Client, job_id: str, symbol: str) -> tuple[float, float, int, float]:
    """The first page (100) of the run's signals of ``symbol``: first request and warm median (ms),
    the symbol's signals, and the warm median of ``GET /pipeline/runs/{id}`` (the same route's fixed
    cost: auth, the run's record, HTTP) for comparison."""
    timings, page = timed(client, f"/pipeline/runs/{job_id}/signals", {"symbol": symbol, "limit": 100})
    baseline, _ = timed(client, f"/pipeline/runs/{job_id}", {})
    return timings[0], statistics.median(timings[1:]), int(page["total"]), statistics.median(baseline[1:])


def _verdict(value: float, target: float, unit: str) -> str:
    return f"target <= {target:g} {unit}: {'ok' if value <= target else 'MISSED'}"


def main() -> None:
    from infra.local.launcher import LocalStack

    bars = _universe()
    per_batch, per_symbol, n_bars = worker_cost(bars)
    with tempfile.TemporaryDirectory(prefix="tw-bench-pipeline-") as tmp:
        local = LocalStack(data_dir=Path(tmp) / "data", seed=False)
        local.start()
        try:
            endpoint = Endpoint(local.url, local.api_key, local.ws_url)
            client = Client(endpoint, timeout=300)
            dataset_id = upload(client, endpoint, bars)
            run_s, full = run(client, endpoint, dataset_id, {})
            _, dense = run(client, endpoint, dataset_id, DENSE)
            symbol = bars.symbols[SYMBOLS // 2].symbol
            first_ms, warm_ms, matched, run_ms = first_page_ms(client, dense["job_id"], symbol)
        finally:
            local.stop()
    width = 48
    print(f"  {SYMBOLS} symbols x {n_bars:,} daily bars ({START} to {END}), batches of {BATCH}, make run")
    print(f"  {'worker cost per batch (median, in-process)':<{width}} {per_batch:8.1f} ms")
    print(f"  {'worker cost per symbol (signals + breadth)':<{width}} {per_symbol:8.2f} ms")
    verdict = _verdict(run_s, TARGETS["run_s"], "s")
    print(f"  {'full run: submit -> job.completed':<{width}} {run_s:8.2f} s    ({verdict})")
    rate = SYMBOLS / run_s
    print(f"  {'full run throughput':<{width}} {rate:8.1f} symbols/s, {full['signals_found']:,} signals")
    print(f"  {'dense run (fast 2, slow 5) signals':<{width}} {dense['signals_found']:8,}")
    print(
        f"  {'first page by symbol: first request':<{width}} {first_ms:8.1f} ms   ({matched} of the symbol)"
    )
    verdict = _verdict(warm_ms, TARGETS["page_ms"], "ms")
    print(f"  {'first page by symbol: warm median':<{width}} {warm_ms:8.1f} ms   ({verdict})")
    print(f"  {'GET /pipeline/runs/{id} (fixed cost), warm median':<{width}} {run_ms:8.1f} ms")
