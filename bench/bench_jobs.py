"""Jobs against ``make run``'s stack: the same workflow definition, handlers and WebSocket as in AWS.

- submit -> results available for a one-symbol backtest (POST, follow ``job:<id>`` to
  ``job.completed``, GET the results): target <= 1.5 s, median of :data:`BACKTEST_RUNS`;
- a 10,000-combination SMA-cross optimization (a seeded sample of the fast<slow 2..200 grid) over
  10 symbols x 2,148 bars: target <= 60 s end to end, and combinations x symbols per second;
- the first ``job.progress`` at the client after submit (target <= 1 s) and the progress-to-client
  latency p50 (arrival time minus the message's ``ts``; one machine, one clock).

The stack runs in a child process on a fresh data directory, seeded with the synthetic sample
universe; every submission sets ``force`` so the result cache never answers instead of the work.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tradewind.cli.remote import Client, Endpoint, JobWatch, follow, subscription
from tradewind.marketdata.universe import SAMPLE_DATASET_ID
from tradewind.strategy.templates import TEMPLATES

from infra.demo import wait_for_sample
from infra.local.launcher import LocalStack

BARS = 2_148
SYMBOLS = 10
COMBINATIONS = 10_000
BACKTEST_RUNS = 5
TARGETS = {"backtest_s": 1.5, "optimization_s": 60.0, "first_progress_s": 1.0}


def _period(client: Client, symbol: str) -> tuple[str, str]:
    """The first and last date of the symbol's first ``BARS`` bars."""
    candles = client.call("GET", f"/symbols/{symbol}/candles", params={"dataset_id": SAMPLE_DATASET_ID})
    first, last = (datetime.fromtimestamp(candles["t"][i], UTC).date() for i in (0, BARS - 1))
    return first.isoformat(), last.isoformat()


@dataclass(frozen=True)
class Run:
    """One job as the client saw it."""

    submitted_at: float  # wall clock
    elapsed_s: float  # submit -> result in hand
    watch: JobWatch
    job: dict[str, Any]

    @property
    def first_progress_s(self) -> float | None:
        first = self.watch.first_of("job.progress")
        return None if first is None else first - self.submitted_at

    @property
    def progress_latencies_s(self) -> list[float]:
        """Arrival minus the message's ``ts`` for every progress message."""
        return [
            arrived - datetime.fromisoformat(m["ts"].replace("Z", "+00:00")).timestamp()
            for arrived, m in self.watch.messages
            if m.get("type") == "job.progress"
        ]


def _run(client: Client, endpoint: Endpoint, path: str, body: dict[str, Any]) -> Run:
    """Submit, follow to the end, fetch the result."""
    submitted_at = time.time()
    job = client.call("POST", path, json={**body, "force": True})
    with subscription(endpoint, f"job:{job['job_id']}") as socket:
        watch = follow(socket, job["job_id"], lambda _message: None, timeout=300)
    result_path = "results" if path == "/backtests" else "leaderboard"
    client.call("GET", f"{path}/{job['job_id']}/{result_path}")
    elapsed = time.time() - submitted_at
    final = client.call("GET", f"/jobs/{job['job_id']}")
    if final["status"] != "succeeded":
        raise RuntimeError(f"{path} job ended {final['status']}: {final.get('error')}")
    return Run(submitted_at, elapsed, watch, final)


def _line(label: str, value: float, target_key: str) -> str:
    target = TARGETS[target_key]
    verdict = "ok" if value <= target else "MISSED"
    return f"  {label:<44} {value:8.2f} s   (target <= {target:g} s: {verdict})"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="tw-bench-jobs-") as tmp:
        local = LocalStack(data_dir=Path(tmp) / "data")
        local.start()
        try:
            endpoint = Endpoint(local.url, local.api_key, local.ws_url)
            client = Client(endpoint, timeout=120)
            wait_for_sample(client, endpoint)
            found = client.call("GET", "/symbols", params={"q": "", "limit": 100})["items"]
            symbols = [s["symbol"] for s in found][:SYMBOLS]
            start, end = _period(client, symbols[0])
            strategy = TEMPLATES["sma_cross"]().model_dump(mode="json")
            common = {"strategy": strategy, "dataset_id": SAMPLE_DATASET_ID, "start": start, "end": end}

            runs = [
                _run(client, endpoint, "/backtests", {**common, "symbols": symbols[:1]})
                for _ in range(BACKTEST_RUNS)
            ]
            backtest_s = statistics.median(r.elapsed_s for r in runs)
            sweep = _run(
                client,
                endpoint,
                "/optimizations",
                {**common, "symbols": symbols, "samples": COMBINATIONS, "seed": 7, "metrics": "full"},
            )
        finally:
            local.stop()
    combos = int(sweep.job["progress"]["combos_total"])
    latencies = [x for r in [*runs, sweep] for x in r.progress_latencies_s]
    firsts = [f for f in (r.first_progress_s for r in [*runs, sweep]) if f is not None]
    print(f"  {SYMBOLS} symbols x {BARS} bars, {COMBINATIONS:,} combinations, local stack (moto)")
    print(_line("one-symbol backtest: submit -> results (median)", backtest_s, "backtest_s"))
    print(_line("optimization: submit -> leaderboard", sweep.elapsed_s, "optimization_s"))
    rate = combos / sweep.elapsed_s
    print(f"  {'optimization throughput':<44} {rate:8.0f} combination-symbol runs/s ({combos:,} runs)")
    if firsts:
        print(_line("first job.progress at the client (worst)", max(firsts), "first_progress_s"))
    else:
        print("  first job.progress: none received (jobs finished before any progress message)")
    if latencies:
        print(f"  {'progress -> client latency p50':<44} {statistics.median(latencies) * 1000:8.1f} ms")
