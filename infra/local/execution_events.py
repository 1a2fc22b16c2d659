"""EventBridge's Step Functions "Execution Status Change" events, emulated for the local cloud.

moto stores EventBridge rules but never fires them. The template's rules whose pattern matches
``aws.states`` execution status changes (``infra/constructs/execution_events.py``: FAILED, TIMED_OUT
and ABORTED executions of the job state machine) are recorded at provisioning
(``provision.RuleSpec``); :meth:`ExecutionEvents.poll_once` lists the executions of the rule's state
machines in those statuses and invokes each rule's Lambda targets once per execution with the event
EventBridge would deliver (the same handler as in AWS). ``make run`` polls every second on a thread;
tests call :meth:`poll_once` when they want the events delivered.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import boto3

from infra.local.intrinsics import ACCOUNT_ID
from infra.local.provision import RuleSpec

log = logging.getLogger("tradewind.local.events")
SOURCE = "aws.states"
DETAIL_TYPE = "Step Functions Execution Status Change"

Invoke = Callable[[str, Any], tuple[Any, bool]]


def _matches(pattern: dict[str, Any]) -> bool:
    return SOURCE in pattern.get("source", []) and DETAIL_TYPE in pattern.get("detail-type", [])


def _ms(value: Any) -> int | None:
    return int(value.timestamp() * 1000) if isinstance(value, datetime) else None


class ExecutionEvents:
    """Delivers each ended execution that a rule matches to the rule's targets, once."""

    def __init__(self, rules: list[RuleSpec], invoke: Invoke, region: str = "us-east-1") -> None:
        self.rules = [rule for rule in rules if _matches(rule.pattern)]
        self.invoke = invoke
        self.region = region
        self.seen: set[str] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def mark_seen(self) -> None:
        """Treat every execution that ended so far as delivered (nothing already ended is sent)."""
        for _rule, _event in self._pending():
            self.seen.add(_event["detail"]["executionArn"])

    def poll_once(self) -> list[dict[str, Any]]:
        """Deliver every matching execution not delivered yet; return the events sent."""
        sent = []
        for rule, event in self._pending():
            arn = event["detail"]["executionArn"]
            self.seen.add(arn)
            for function in rule.function_names:
                result, errored = self.invoke(function, event)
                if errored:
                    log.warning("%s failed on %s: %s", function, arn, result)
            sent.append(event)
        return sent

    def _pending(self) -> list[tuple[RuleSpec, dict[str, Any]]]:
        sfn = boto3.session.Session(region_name=self.region).client("stepfunctions")
        found = []
        for rule in self.rules:
            detail = rule.pattern.get("detail", {})
            for machine in detail.get("stateMachineArn", []):
                for status in detail.get("status", []):
                    pages = sfn.get_paginator("list_executions").paginate(
                        stateMachineArn=machine, statusFilter=status
                    )
                    for page in pages:
                        for execution in page["executions"]:
                            if execution["executionArn"] not in self.seen:
                                found.append((rule, self._event(sfn, execution["executionArn"])))
        return found

    def _event(self, sfn: Any, arn: str) -> dict[str, Any]:
        described = sfn.describe_execution(executionArn=arn)
        return {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": DETAIL_TYPE,
            "source": SOURCE,
            "account": ACCOUNT_ID,
            "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "region": self.region,
            "resources": [arn],
            "detail": {
                "executionArn": arn,
                "stateMachineArn": described["stateMachineArn"],
                "name": described["name"],
                "status": described["status"],
                "startDate": _ms(described.get("startDate")),
                "stopDate": _ms(described.get("stopDate")),
                "input": described.get("input"),
                "output": described.get("output"),
                "error": described.get("error"),
                "cause": described.get("cause"),
            },
        }

    def start(self, interval: float = 1.0) -> None:
        def loop() -> None:
            while not self._stop.wait(interval):
                try:
                    self.poll_once()
                except Exception:
                    log.exception("delivering execution events failed")

        self._thread = threading.Thread(target=loop, name="execution-events", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
