"""The client side of a Tradewind deployment: HTTP calls, and a job followed live over the WebSocket.

Used by ``tradewind remote …`` and ``make demo``. httpx, websockets and rich are the ``cli`` extra
(they are not in the Lambda layer); they load only when a remote command runs.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tradewind.errors import FieldProblem, TradewindError
from tradewind.jobs.views import CANCELLED, COMPLETED, FAILED, STOPPED, topic

DEFAULT_API_URL = "http://127.0.0.1:8000"
LOCAL_DATA_DIR = Path(".tradewind")
"""``make run``'s data directory, where it keeps the local tenant's API key (``api-key``)."""
FINAL_TYPES = frozenset({COMPLETED, FAILED, CANCELLED, STOPPED})


@dataclass(frozen=True)
class Endpoint:
    """Where the API and its WebSocket are, and the credential to use (an API key or an ID token).

    ``ws_url`` ``None``: the one the API names with each ticket (``POST /realtime/tickets``).
    """

    api_url: str
    api_key: str
    ws_url: str | None = None

    @classmethod
    def from_env(
        cls, api_url: str | None = None, api_key: str | None = None, ws_url: str | None = None
    ) -> Endpoint:
        """Flags first, then ``TW_API_URL``/``TW_API_KEY``/``TW_WS_URL``, then the session of
        ``tradewind login`` for that API (its ID token, refreshed), then ``make run``'s defaults (the
        WebSocket URL: the one the API gives with a ticket)."""
        from tradewind.cli import credentials

        url = (api_url or os.environ.get("TW_API_URL") or DEFAULT_API_URL).rstrip("/")
        key = api_key or os.environ.get("TW_API_KEY") or credentials.id_token(url) or local_key()
        if not key:
            raise TradewindError(
                "No credential.",
                [
                    FieldProblem(
                        ["--api-key"],
                        "pass --api-key, set TW_API_KEY, run `tradewind login`, or run `make run` here",
                        "missing",
                    )
                ],
            )
        return cls(url, key, ws_url or os.environ.get("TW_WS_URL") or None)


def local_key(data_dir: Path = LOCAL_DATA_DIR) -> str | None:
    """The API key a local stack saved in ``data_dir`` (None when there is none)."""
    path = data_dir / "api-key"
    return path.read_text().strip() if path.is_file() else None


@dataclass
class Client:
    """A thin JSON client: every call returns the decoded body or raises the answer's problems.

    Use it as a context manager (or call :meth:`close`) to release its connections.
    """

    endpoint: Endpoint
    timeout: float = 30.0
    _http: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        import httpx

        self._http = httpx.Client(
            base_url=self.endpoint.api_url,
            headers={"Authorization": f"Bearer {self.endpoint.api_key}"},
            timeout=self.timeout,
        )

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._http.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise _api_error(response.status_code, response.text)
        return response.json() if response.content else None

    def download(self, path: str, **kwargs: Any) -> bytes:
        """A file answer's bytes; a 303 to a presigned URL is fetched without the API key."""
        import httpx

        response = self._http.get(path, **kwargs)
        if response.status_code == 303:
            response = httpx.get(response.headers["location"], timeout=self.timeout)
        if response.status_code >= 400:
            raise _api_error(response.status_code, response.text)
        return bytes(response.content)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _api_error(status: int, text: str) -> TradewindError:
    """An error answer as the problems it names (problem+json), or its first 200 characters."""
    try:
        body = json.loads(text)
    except ValueError:
        return TradewindError(f"HTTP {status}: {text[:200]}", [])
    problems = [
        FieldProblem(list(e.get("loc", [])), str(e.get("msg", "")), str(e.get("type", "")))
        for e in body.get("errors", [])
    ]
    return TradewindError(f"HTTP {status}: {body.get('detail') or body.get('title')}", problems)


@dataclass
class JobWatch:
    """What following a job saw: every message in arrival order, with the wall-clock time it arrived."""

    messages: list[tuple[float, dict[str, Any]]] = field(default_factory=list)

    @property
    def final(self) -> dict[str, Any] | None:
        last = self.messages[-1][1] if self.messages else None
        return last if last is not None and last.get("type") in FINAL_TYPES else None

    def first_of(self, kind: str) -> float | None:
        return next((at for at, message in self.messages if message.get("type") == kind), None)


def ticket_url(endpoint: Endpoint, timeout: float = 10.0) -> str:
    """The WebSocket URL with a fresh single-use ticket (``POST /realtime/tickets``, the key in a
    header): the key itself never goes into a URL, where logs and proxies would keep it."""
    import httpx

    response = httpx.post(
        f"{endpoint.api_url}/realtime/tickets",
        headers={"Authorization": f"Bearer {endpoint.api_key}"},
        timeout=timeout,
    )
    if response.status_code >= 400:
        raise _api_error(response.status_code, response.text)
    answer = response.json()
    if not endpoint.ws_url and answer.get("url"):
        return str(answer["url"])  # the API's own WebSocket URL, ticket included
    base = endpoint.ws_url or endpoint.api_url.replace("http", "ws", 1) + "/ws"
    return f"{base}{'&' if '?' in base else '?'}ticket={answer['ticket']}"


@contextmanager
def subscription(endpoint: Endpoint, topic: str, timeout: float = 10.0) -> Iterator[Any]:
    """A WebSocket connection (opened with a new ticket) with a subscription to ``topic`` sent."""
    from websockets.sync.client import connect

    with connect(ticket_url(endpoint, timeout), open_timeout=timeout) as socket:
        socket.send(json.dumps({"action": "subscribe", "topics": [topic]}))
        yield socket


def follow(
    socket: Any, job_id: str, on_message: Callable[[dict[str, Any]], None], timeout: float = 3600.0
) -> JobWatch:
    """Read ``job:<id>`` messages until the job's final message (or ``timeout`` seconds of silence)."""
    watch = JobWatch()
    job_topic = topic(job_id)
    while watch.final is None:
        message = json.loads(socket.recv(timeout=timeout))
        if message.get("topic") != job_topic:
            continue
        watch.messages.append((time.time(), message))
        on_message(message)
    return watch


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[dict[str, Any]], None]]:
    """A rich progress bar fed by ``job.progress`` messages: runs done of total, runs/s, ETA."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"))
    with Progress(*columns, TimeElapsedColumn()) as bar:
        task = bar.add_task(label, total=None, rate="")

        def update(message: dict[str, Any]) -> None:
            payload = message.get("payload", {})
            if message.get("type") == "job.progress":
                rate = payload.get("combos_per_second")
                eta = payload.get("eta_seconds")
                text = f"{rate:,.0f} runs/s" if rate else ""
                text += f"  ETA {eta:.0f} s" if eta is not None else ""
                total = payload.get("combos_total") or None
                bar.update(task, completed=payload.get("combos_done", 0), total=total, rate=text)
            elif message.get("type") == "job.completed":
                total = bar.tasks[0].total or 1
                bar.update(task, completed=total, total=total)

        yield update
