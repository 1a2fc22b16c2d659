"""Start and stop ``python -m infra.local`` as a child process (e2e tests and the load benchmark).

``LocalStack.start()`` waits until ``/health/ready`` answers; ``stop()`` sends SIGINT like Ctrl-C,
so the stack saves its state; ``restart()`` does both on the same data directory and port. The
child's output goes to ``<data dir>/../stack.log``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 300.0  # a stale template means a CDK synth first (10-25 s on a busy machine)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LocalStack:
    """A running local stack: its URLs, API key and lifecycle."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    seed: bool = True
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    @property
    def api_key(self) -> str:
        return (self.data_dir / "api-key").read_text().strip()

    @property
    def moto_url(self) -> str:
        """The embedded AWS endpoint (loopback), for what only an administrator does (Cognito users)."""
        return (self.data_dir / "moto-url").read_text().strip()

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}

    def ticket_url(self) -> str:
        """The WebSocket URL with a fresh single-use ticket, as a client gets it: ``POST /realtime/tickets``
        with the key in a header (the key itself never goes into a URL)."""
        response = httpx.post(f"{self.url}/realtime/tickets", headers=self.headers, timeout=10)
        response.raise_for_status()
        return f"{self.ws_url}?ticket={response.json()['ticket']}"

    @property
    def log_path(self) -> Path:
        return self.data_dir.parent / "stack.log"

    def start(self) -> None:
        """Start the process and wait until ``/health/ready`` answers 200."""
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "layers" / "tradewind")])}
        command = [
            sys.executable,
            "-m",
            "infra.local",
            "--port",
            str(self.port),
            "--data-dir",
            str(self.data_dir),
        ]
        if not self.seed:
            command.append("--no-seed")
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the stack exited with {self.process.returncode}:\n{self._log_tail()}")
            try:
                if httpx.get(f"{self.url}/health/ready", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.25)
        self.stop()
        raise TimeoutError(f"the stack did not become ready in {START_TIMEOUT} s:\n{self._log_tail()}")

    def stop(self) -> None:
        """Ctrl-C, as a developer would; escalate only if it does not exit."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def restart(self) -> None:
        """Stop with SIGINT and start again on the same data directory and port."""
        self.stop()
        self.start()

    def _log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:] if self.log_path.exists() else ""
