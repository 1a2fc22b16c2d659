"""Realtime benchmarks: ``publish`` fan-out cost, and message latency to real WebSocket clients.

Fan-out: ``tradewind.realtime.publish`` in this process, DynamoDB being moto (``mock_aws``) and the
management API a loopback HTTP server that answers 200 (API Gateway's role); median time of one
publish to 1, 10 and 50 subscribers, and deliveries per second.

Latency: ``make run``'s stack started as a subprocess (``infra.local.launcher.LocalStack``, fresh data
directory, seeded); WebSocket clients connect with tickets (``POST /realtime/tickets``).

- Round trip: a client sends ``ping`` on a topic, which goes ``$default`` handler → ``publish`` →
  index query → ``POST @connections`` → gateway → client: the path a job's progress message takes.
  p50/p99 of :data:`PINGS` round trips, one listener and ten listeners.
- Log line → browser (issue #11): a job's workers write log lines; a client subscribed to
  ``job:<id>`` receives each as ``job.log``. p50/p99 over at least :data:`MIN_LOG_LINES` lines of
  arrival time minus the line's own time (:func:`log_lines`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from infra.local.launcher import LocalStack

FANOUTS = (1, 10, 50)
PUBLISHES = 100
PINGS = 200
LOG_SHARDS = 240
"""Shards (one combination each) of the optimization whose workers' log lines are timed."""
MIN_LOG_LINES = 200


class _Accept(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@contextmanager
def _management_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Accept)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def fanout() -> None:
    from moto import mock_aws
    from tradewind.aws import reset_clients
    from tradewind.realtime import connections, publish
    from tradewind.realtime.connections import ConnectionRecord

    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        os.environ.pop(name, None)
    with _management_api() as endpoint, mock_aws():
        os.environ["TW_WS_MANAGEMENT_ENDPOINT"] = endpoint
        reset_clients()
        ConnectionRecord.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
        now = dt.datetime.now(dt.UTC)
        print(f"publish fan-out (moto DynamoDB, loopback management API), {PUBLISHES} publishes each:")
        made = 0
        for count in FANOUTS:
            while made < count:
                record = connections.save_connection(f"c{made}", "bench", now, now + dt.timedelta(hours=2))
                connections.add_topics(record, ["job:bench"])
                made += 1
            publish("bench", "job:bench", "job.progress", {"done": 0})
            samples = []
            for i in range(PUBLISHES):
                started = time.perf_counter()
                delivered = publish("bench", "job:bench", "job.progress", {"done": i, "total": PUBLISHES})
                samples.append((time.perf_counter() - started) * 1000)
                assert delivered == count, (delivered, count)
            median = statistics.median(samples)
            print(
                f"  {count:>3} subscribers: median {median:6.2f} ms/publish, "
                f"{count * 1000 / median:8.0f} deliveries/s"
            )
    os.environ.pop("TW_WS_MANAGEMENT_ENDPOINT", None)
    reset_clients()


async def _round_trips(local: LocalStack, listeners: int) -> list[float]:
    from websockets.asyncio.client import connect

    subscribe = json.dumps({"action": "subscribe", "topics": ["health"]})
    sockets = [await connect(local.ticket_url()) for _ in range(listeners)]  # one ticket each
    try:
        for ws in sockets:
            await ws.send(subscribe)
            await ws.recv()
        sender, samples = sockets[0], []
        for i in range(PINGS):
            started = time.perf_counter()
            await sender.send(json.dumps({"action": "ping", "topics": ["health"], "data": {"i": i}}))
            for ws in sockets:  # every listener must get it; the last arrival ends the sample
                while json.loads(await asyncio.wait_for(ws.recv(), 10))["payload"]["data"]["i"] != i:
                    pass
            samples.append((time.perf_counter() - started) * 1000)
        return samples
    finally:
        for ws in sockets:
            await ws.close()


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2], ordered[max(int(len(ordered) * 0.99) - 1, 0)]


def log_lines(local: LocalStack) -> list[float]:
    """Milliseconds from a job log line's write (its ``time``) to its ``job.log`` arrival at a
    WebSocket client subscribed to ``job:<id>``: the browser's path (worker ``jobs.logs.log`` ->
    DynamoDB -> ``publish`` -> ``@connections`` -> gateway -> socket). The lines are the workers'
    own ("shard N done"): an optimization of :data:`LOG_SHARDS` one-combination shards (the stack
    runs with ``TW_SHARD_COMBINATIONS=1``). One machine, one clock; the line's time has ms precision."""
    from tradewind.cli.remote import Client, Endpoint, follow, subscription
    from tradewind.marketdata.universe import SAMPLE_DATASET_ID
    from tradewind.strategy.templates import TEMPLATES

    from infra.demo import wait_for_sample

    endpoint = Endpoint(local.url, local.api_key, local.ws_url)
    client = Client(endpoint, timeout=120)
    wait_for_sample(client, endpoint)
    symbol = client.call("GET", "/symbols", params={"q": "", "limit": 1})["items"][0]["symbol"]
    body = {
        "strategy": TEMPLATES["sma_cross"]().model_dump(mode="json"),
        "dataset_id": SAMPLE_DATASET_ID,
        "symbols": [symbol],
        "samples": LOG_SHARDS,
        "seed": 7,
        "force": True,
    }
    job = client.call("POST", "/optimizations", json=body)
    with subscription(endpoint, f"job:{job['job_id']}") as socket:
        watch = follow(socket, job["job_id"], lambda _message: None, timeout=300)
    return [
        (arrived - dt.datetime.fromisoformat(m["payload"]["time"].replace("Z", "+00:00")).timestamp()) * 1000
        for arrived, m in watch.messages
        if m.get("type") == "job.log"
    ]


def latency() -> None:
    """Against ``make run``'s stack (a child process on a fresh data directory, seeded)."""
    saved = os.environ.get("TW_SHARD_COMBINATIONS")
    os.environ["TW_SHARD_COMBINATIONS"] = "1"  # read by the stack's job plan: one log line per combination
    with tempfile.TemporaryDirectory(prefix="tw-bench-realtime-") as tmp:
        local = LocalStack(data_dir=Path(tmp) / "data")
        try:
            local.start()
            print(f"ping → publish → client round trip against make run's stack, {PINGS} pings:")
            for listeners in (1, 10):
                p50, p99 = _percentiles(asyncio.run(_round_trips(local, listeners)))
                print(f"  {listeners:>2} listener(s): p50 {p50:6.1f} ms, p99 {p99:6.1f} ms")
            samples = log_lines(local)
            if len(samples) < MIN_LOG_LINES:
                raise RuntimeError(f"only {len(samples)} job.log lines arrived; {MIN_LOG_LINES} needed")
            p50, p99 = _percentiles(samples)
            print(f"job log line written → job.log at a WebSocket client on job:<id>, {len(samples)} lines:")
            print(f"  p50 {p50:6.1f} ms, p99 {p99:6.1f} ms, max {max(samples):6.1f} ms")
        finally:
            local.stop()
            if saved is None:
                os.environ.pop("TW_SHARD_COMBINATIONS", None)
            else:
                os.environ["TW_SHARD_COMBINATIONS"] = saved


def main() -> None:
    fanout()
    latency()


if __name__ == "__main__":
    main()
