"""Work-arounds for moto bugs that the local cloud hits (moto is pinned exactly in pyproject).

- getmoto/moto#10077 (fixed upstream by #10093): a second ``StartExecution`` of a state machine that
  already ran fails with ``cannot pickle '_thread.RLock'``, because ``start_execution`` deep-copies
  the state machine including the live worker of every earlier execution. The copy is only a
  snapshot of the definition, so sharing the worker objects instead of copying them is safe.
  Drop this when the pin moves to a release that contains the fix.
- moto 5.2.1's ASL grammar accepts only ``"ExecutionType": "STANDARD"`` in a Distributed Map's
  ``ItemProcessor.ProcessorConfig``, while AWS also takes ``"EXPRESS"`` (what the job workflow uses:
  its children are short and numerous). The parser is wrapped to read ``EXPRESS`` children as
  ``STANDARD`` ones; the stored definition is unchanged. Locally the two behave the same (each
  child runs once, in-process); AWS's 5-minute limit on EXPRESS children is not emulated.
"""

from __future__ import annotations

import json
from typing import Any


def install() -> None:
    """Apply every fix (idempotent)."""
    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

    def _share(self: Any, memo: dict[int, Any]) -> Any:
        return self

    ExecutionWorker.__deepcopy__ = _share  # type: ignore[attr-defined]
    _read_express_children_as_standard()


def express_as_standard(definition: str) -> str:
    """The definition with every ``ProcessorConfig`` ``ExecutionType`` ``EXPRESS`` read as ``STANDARD``."""
    try:
        document = json.loads(definition)
    except ValueError:
        return definition  # moto reports the syntax error itself

    def visit(node: Any) -> bool:
        changed = False
        if isinstance(node, dict):
            config = node.get("ProcessorConfig")
            if isinstance(config, dict) and config.get("ExecutionType") == "EXPRESS":
                config["ExecutionType"] = "STANDARD"
                changed = True
            for value in node.values():
                changed |= visit(value)
        elif isinstance(node, list):
            for value in node:
                changed |= visit(value)
        return changed

    return json.dumps(document) if visit(document) else definition


def _read_express_children_as_standard() -> None:
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    if getattr(AmazonStateLanguageParser.parse, "_tradewind_express", False):
        return
    original = AmazonStateLanguageParser.parse

    def parse(definition: str) -> Any:
        return original(express_as_standard(definition))

    parse._tradewind_express = True  # type: ignore[attr-defined]
    AmazonStateLanguageParser.parse = staticmethod(parse)  # type: ignore[method-assign]
