"""Realtime benchmarks: ``publish`` fan-out cost, and message latency to real WebSocket clients.

Fan-out: ``tradewind.realtime.publish`` in this process, DynamoDB being moto (``mock_aws``) and the
management API a loopback HTTP server that answers 200 (API Gateway's role); median time of one
publish to 1, 10 and 50 subscribers, and deliveries per second.

Latency: ``make run``'s stack started as a subprocess (fresh data directory, no sample seed); a real
WebSocket client sends ``ping`` on a topic, which goes ``$default`` handler → ``publish`` → index
query → ``POST @connections`` → gateway → client: the same path a job's progress message takes.
p50/p99 of :data:`PINGS` round trips, one listener and ten listeners.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FANOUTS = (1, 10, 50)
PUBLISHES = 100
PINGS = 200
STACK_START_TIMEOUT_S = 120.0


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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _stack() -> Iterator[tuple[str, str]]:
    import httpx

    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="tw-bench-") as data_dir:
        env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'layers' / 'tradewind'}"}
        process = subprocess.Popen(
            [sys.executable, "-m", "infra.local", "--port", str(port), "--data-dir", data_dir, "--no-seed"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + STACK_START_TIMEOUT_S
            key_file = Path(data_dir) / "api-key"
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"the local stack exited with {process.returncode}")
                try:
                    if httpx.get(f"{base}/health", timeout=1).status_code == 200 and key_file.exists():
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("the local stack did not start in time")
                time.sleep(0.5)
            yield f"ws://127.0.0.1:{port}/ws", key_file.read_text().strip()
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def _round_trips(url: str, key: str, listeners: int) -> list[float]:
    from websockets.asyncio.client import connect

    subscribe = json.dumps({"action": "subscribe", "topics": ["health"]})
    sockets = [await connect(f"{url}?token={key}") for _ in range(listeners)]
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


def latency() -> None:
    with _stack() as (url, key):
        print(f"ping → publish → client round trip against make run's stack, {PINGS} pings:")
        for listeners in (1, 10):
            samples = sorted(asyncio.run(_round_trips(url, key, listeners)))
            p50, p99 = samples[len(samples) // 2], samples[int(len(samples) * 0.99) - 1]
            print(f"  {listeners:>2} listener(s): p50 {p50:6.1f} ms, p99 {p99:6.1f} ms")


def main() -> None:
    fanout()
    latency()


if __name__ == "__main__":
    main()
