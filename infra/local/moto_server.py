"""The embedded moto server: moto's WSGI app on a loopback port, in a thread of this process.

Like ``moto.server.ThreadedMotoServer``, plus a WSGI middleware that raises a flag on every
request that may change state, so the persistence loop flushes only after writes. Binding port 0
lets the OS pick a free port.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

import requests

_READ_PREFIXES = ("Describe", "List", "Get", "BatchGet")
_READ_ACTIONS = {"Query", "Scan", "ReceiveMessage"}


class ChangeTracker:
    """WSGI middleware: sets ``changed`` unless the request is a read (by method or action)."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.changed = threading.Event()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD", "OPTIONS"):
            action = environ.get("HTTP_X_AMZ_TARGET", "").rpartition(".")[2]
            if not (action.startswith(_READ_PREFIXES) or action in _READ_ACTIONS):
                self.changed.set()
        return self.app(environ, start_response)


class EmbeddedMoto:
    """moto's server on ``host`` and a free port, serving until the process exits."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import make_server

        for name, level in (("werkzeug", logging.ERROR), ("moto.stepfunctions.parser", logging.CRITICAL)):
            logging.getLogger(name).setLevel(level)
        self.tracker = ChangeTracker(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(host, 0, self.tracker, threaded=True)
        self.host = host
        self.port: int = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        """Serve, and turn on real Step Functions executions (off by default in moto)."""
        self._thread.start()
        response = requests.post(
            f"{self.url}/moto-api/config", json={"stepfunctions": {"execute_state_machine": True}}, timeout=10
        )
        response.raise_for_status()
