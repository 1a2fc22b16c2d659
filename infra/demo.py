"""``make demo``: the product's main job end to end, from a terminal.

Against the stack of ``make run`` (or one it starts on the same data directory and stops after):
waits for the synthetic sample universe, stores the SMA-cross template as a strategy, optimizes it on
ten sample symbols with a progress bar fed by the job's WebSocket topic, and prints the leaderboard.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from tradewind.api.pagination import MAX_LIMIT
from tradewind.cli.cloud import report_unfinished, show_leaderboard, submit_and_follow
from tradewind.cli.remote import Client, Endpoint, local_key, subscription
from tradewind.marketdata.universe import SAMPLE_DATASET_ID

SYMBOLS = 10
DEMO_STRATEGY = "SMA cross (demo)"
SPACE = {"fast": {"min": 5, "max": 50, "step": 5}, "slow": {"min": 20, "max": 200, "step": 10}}


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def stack(api_url: str, data_dir: Path) -> Iterator[Endpoint]:
    """The running stack at ``api_url``, or a local one started for the demo."""
    if _answers(api_url):
        yield Endpoint.from_env(api_url, local_key(data_dir))
        return
    from infra.local.launcher import LocalStack

    port = int(api_url.rsplit(":", 1)[1])
    print(f"No stack at {api_url}: starting one (make run's data directory {data_dir}) ...", flush=True)
    local = LocalStack(data_dir=data_dir, port=port)
    local.start()
    try:
        yield Endpoint(local.url, local.api_key, local.ws_url)
    finally:
        local.stop()


def wait_for_sample(client: Client, endpoint: Endpoint) -> None:
    """The sample universe is seeded on a stack's first start: follow ``dataset:sample`` until ready."""
    with subscription(endpoint, f"dataset:{SAMPLE_DATASET_ID}") as socket:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            message = json.loads(socket.recv(timeout=60))
            status = message.get("payload", {}).get("status")
            if message.get("type") != "dataset.status":
                continue
            print(f"sample universe: {status}", flush=True)
            if status == "ready":
                return
            if status == "failed":
                raise SystemExit(f"the sample universe failed to import: {message['payload'].get('error')}")
    raise SystemExit("the sample universe was not ready after 10 minutes")


def demo_strategy(client: Client) -> dict[str, Any]:
    """The stored "SMA cross (demo)" strategy, created from the template on the first demo.

    The search filters each page after reading it, so a match may sit on any page: every page is
    read before concluding there is none (else each demo past the first page would add a copy).
    """
    params: dict[str, Any] = {"q": DEMO_STRATEGY, "match": "prefix", "tag": "demo", "limit": MAX_LIMIT}
    while True:
        found = client.call("GET", "/strategies", params=params)
        if found["items"]:
            return dict(found["items"][0])
        if not found["next_token"]:
            break
        params["next_token"] = found["next_token"]
    created: dict[str, Any] = client.call(
        "POST", "/strategies", json={"template": "sma_cross", "name": DEMO_STRATEGY, "tags": ["demo"]}
    )
    return created


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make demo", description=__doc__)
    parser.add_argument("--api-url", default="http://127.0.0.1:8000")
    parser.add_argument("--data-dir", type=Path, default=Path(".tradewind"))
    args = parser.parse_args(argv)
    with stack(args.api_url, args.data_dir.resolve()) as endpoint, Client(endpoint) as client:
        wait_for_sample(client, endpoint)
        strategy = demo_strategy(client)
        version = strategy.get("version") or strategy["latest_version"]
        print(f"strategy {strategy['strategy_id']} v{version}: {strategy['name']}")
        found = client.call("GET", "/symbols", params={"q": "", "limit": 100})["items"]
        symbols = [
            s["symbol"] for s in found if any(d["dataset_id"] == SAMPLE_DATASET_ID for d in s["datasets"])
        ]
        body = {
            "strategy_id": strategy["strategy_id"],
            "dataset_id": SAMPLE_DATASET_ID,
            "symbols": symbols[:SYMBOLS],
            "space": SPACE,
            "objective": {"metric": "sharpe", "direction": "maximize"},
            "min_trades": 3,
            "top_n": 10,
            "name": "make demo",
            "force": True,  # run the workflow even when an identical earlier run's result is stored
        }
        print(f"optimizing on {', '.join(body['symbols'])} (synthetic sample data)")
        started = time.perf_counter()
        job = submit_and_follow(client, endpoint, "/optimizations", body, quiet=False)
        elapsed = time.perf_counter() - started
        if job["status"] != "succeeded":
            return report_unfinished(job)
        show_leaderboard(client, job, 10)
        runs = job["progress"]["combos_total"]
        print(f"{runs:,} runs (combinations x symbols) in {elapsed:.1f} s, submit to leaderboard")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
