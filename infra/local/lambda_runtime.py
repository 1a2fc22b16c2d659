"""Run the project's Lambda handlers in-process when moto invokes a function.

moto would start a Docker container per invocation (there is no Docker here). Replacing
``LambdaFunction._invoke_lambda`` sends every invocation — ``lambda.invoke``, Step Functions tasks,
the SQS poller, the ticker — to the handler module in ``functions/<folder>/``, imported once by file
path under a unique module name (every folder has a ``handler.py``). moto is pinned exactly in
pyproject because this is a private method.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from infra.local.provision import FunctionSpec

log = logging.getLogger("tradewind.local.lambda")


@dataclass
class LocalContext:
    """The attributes of the Lambda context object that handlers and Powertools read."""

    function_name: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    timeout_seconds: int
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    identity: Any = None
    client_context: Any = None
    _started: float = field(default_factory=time.monotonic)

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return f"local/{self.aws_request_id}"

    def get_remaining_time_in_millis(self) -> int:
        elapsed = time.monotonic() - self._started
        return max(0, int((self.timeout_seconds - elapsed) * 1000))


class LambdaRuntime:
    """Registry of functions by name and the in-process executor of their handlers."""

    def __init__(self) -> None:
        self._functions: dict[str, FunctionSpec] = {}
        self._modules: dict[Path, ModuleType] = {}
        self._lock = threading.RLock()

    def register(self, specs: Iterable[FunctionSpec]) -> None:
        """Make these functions invocable (later registrations of a name replace earlier ones)."""
        with self._lock:
            for spec in specs:
                self._functions[spec.name] = spec

    def spec(self, function_name: str) -> FunctionSpec:
        """The registered function called ``function_name`` (a name or an ARN)."""
        return self._functions[function_name.rsplit(":function:", 1)[-1].split(":", 1)[0]]

    def entry(self, spec: FunctionSpec) -> Callable[[Any, Any], Any]:
        """The handler callable, importing its module on first use."""
        if spec.handler_file is None:
            raise LookupError(f"function {spec.name} has no local handler (code is not in functions/)")
        with self._lock:
            module = self._modules.get(spec.handler_file)
            if module is None:
                module = _import_file(spec.handler_file, spec.folder or spec.logical_id)
                self._modules[spec.handler_file] = module
        handler: Callable[[Any, Any], Any] = getattr(module, spec.entry)
        return handler

    def initialize_all(self) -> int:
        """Import every registered handler module now (Lambda's INIT phase, done once at start-up).

        ``make run`` is one long-lived process, so paying every function's module import up front
        keeps the first job's first progress message as quick as the later ones'. Returns how many.
        """
        with self._lock:
            specs = [s for s in self._functions.values() if s.handler_file is not None]
        for spec in specs:
            self.entry(spec)
        return len(specs)

    def invoke(self, function_name: str, event: Any) -> tuple[Any, bool]:
        """Call the handler; return ``(result, errored)`` where an error is Lambda's error payload."""
        try:
            spec = self.spec(function_name)
            handler = self.entry(spec)
        except (KeyError, LookupError, ImportError, AttributeError, SyntaxError) as error:
            log.error("cannot run %s: %s", function_name, error)
            return {"errorMessage": str(error), "errorType": "Runtime.HandlerNotFound"}, True
        context = LocalContext(spec.name, spec.arn, spec.memory, spec.timeout)
        try:
            return handler(event, context), False
        except Exception as error:
            log.warning("%s failed: %s: %s", spec.name, type(error).__name__, error)
            return {
                "errorMessage": str(error),
                "errorType": type(error).__name__,
                "stackTrace": traceback.format_tb(error.__traceback__),
            }, True

    def invoke_json(self, function_name: str, event: Any) -> tuple[str, bool, str]:
        """moto's ``_invoke_lambda`` contract: ``(payload_json, errored, logs)``."""
        if isinstance(event, str | bytes):
            event = json.loads(event or "{}")
        result, errored = self.invoke(function_name, event)
        try:
            payload = json.dumps(result)
        except (TypeError, ValueError) as error:
            payload, errored = (
                json.dumps({"errorMessage": str(error), "errorType": "Runtime.MarshalError"}),
                True,
            )
        return payload, errored, ""


def _import_file(path: Path, folder: str) -> ModuleType:
    name = f"tradewind_local_fn_{folder}_{path.stem}".replace("-", "_")
    module_spec = importlib.util.spec_from_file_location(name, path)
    if module_spec is None or module_spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


RUNTIME = LambdaRuntime()


def install() -> LambdaRuntime:
    """Route moto's Lambda invocations to :data:`RUNTIME` (idempotent)."""
    from moto.awslambda.models import LambdaFunction

    def _invoke_lambda(self: Any, event: Any = None) -> tuple[str, bool, str]:
        return RUNTIME.invoke_json(self.function_name, event)

    LambdaFunction._invoke_lambda = _invoke_lambda  # type: ignore[method-assign]
    return RUNTIME
