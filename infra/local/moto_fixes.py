"""Work-arounds for moto bugs that the local cloud hits (moto is pinned exactly in pyproject).

- getmoto/moto#10077 (fixed upstream by #10093): a second ``StartExecution`` of a state machine that
  already ran fails with ``cannot pickle '_thread.RLock'``, because ``start_execution`` deep-copies
  the state machine including the live worker of every earlier execution. The copy is only a
  snapshot of the definition, so sharing the worker objects instead of copying them is safe.
  Drop this when the pin moves to a release that contains the fix.
"""

from __future__ import annotations

from typing import Any


def install() -> None:
    """Apply every fix (idempotent)."""
    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

    def _share(self: Any, memo: dict[int, Any]) -> Any:
        return self

    ExecutionWorker.__deepcopy__ = _share  # type: ignore[attr-defined]
