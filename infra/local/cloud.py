"""Bring the local cloud up inside whatever moto is active (the embedded server or ``mock_aws``).

Shared by ``python -m infra.local`` and the integration-test fixture, so tests exercise exactly the
provisioning, handler lookup and event-source polling that ``make run`` uses.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from infra.local import lambda_runtime, moto_fixes
from infra.local.event_sources import EventSourcePoller, take_over
from infra.local.execution_events import ExecutionEvents
from infra.local.provision import Provisioned, provision
from infra.local.template import SynthesizedStack

# Locally there is no X-Ray daemon and no CloudWatch to receive metrics: keep handlers quiet.
LOCAL_HANDLER_DEFAULTS = {
    # One process hosts every function, so one service name (the template's differ per function).
    "POWERTOOLS_SERVICE_NAME": "tradewind-local",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_DISABLED": "true",
    # Alert channels may post to http://127.0.0.1 (a receiver a test starts); honoured on stage local only.
    "TW_ALERTS_ALLOW_LOOPBACK": "1",
    # The template's site URL is a CloudFront domain that does not exist here (make run sets its own).
    "TW_SITE_URL": "",
}


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def find(mapping: Mapping[str, str], friendly: str) -> str:
    """The value whose logical id is ``friendly``, else the one whose logical id or value contains it
    (case, ``-`` and ``_`` ignored); ambiguity is an error that lists the candidates."""
    wanted = _normal(friendly)
    exact = [value for key, value in mapping.items() if _normal(key) == wanted]
    if len(exact) == 1:
        return exact[0]
    hits = {value for key, value in mapping.items() if wanted in _normal(key) or wanted in _normal(value)}
    if len(hits) != 1:
        raise KeyError(f"{friendly!r} matches {sorted(hits) or 'nothing'} among {sorted(mapping)}")
    return hits.pop()


@dataclass
class LocalCloud:
    """The provisioned resources plus the machinery that runs handlers against them."""

    stack: SynthesizedStack
    provisioned: Provisioned
    runtime: lambda_runtime.LambdaRuntime
    poller: EventSourcePoller
    execution_events: ExecutionEvents
    """The template's rules on ended executions (moto never fires them): ``poll_once()`` delivers."""

    @property
    def env(self) -> dict[str, str]:
        """The handlers' environment as the template sets it (``TW_*`` names of the resources)."""
        return dict(self.provisioned.environment)

    def table(self, friendly: str) -> str:
        return find(self.provisioned.tables, friendly)

    def bucket(self, friendly: str) -> str:
        return find(self.provisioned.buckets, friendly)

    def queue_url(self, friendly: str) -> str:
        return find(self.provisioned.queues, friendly)

    def state_machine_arn(self, friendly: str) -> str:
        return find(self.provisioned.state_machines, friendly)

    def function_name(self, friendly: str) -> str:
        return find({lid: spec.name for lid, spec in self.provisioned.functions.items()}, friendly)

    def websocket_function(self, route_key: str) -> str:
        """The function behind a WebSocket route (``$connect``...), from the template's routes."""
        return self.provisioned.websocket_routes[route_key]

    def drain_queues(self, timeout: float = 60.0) -> None:
        """Run the SQS event-source mappings until every mapped queue is empty."""
        self.poller.drain(timeout)

    def wait_for_execution(self, execution_arn: str, timeout: float = 120.0) -> dict[str, Any]:
        """Poll a Step Functions execution until it leaves RUNNING; return its description."""
        sfn = boto3.session.Session(region_name=self.poller.region).client("stepfunctions")
        deadline = time.monotonic() + timeout
        while True:
            described: dict[str, Any] = sfn.describe_execution(executionArn=execution_arn)
            if described["status"] != "RUNNING":
                return described
            if time.monotonic() > deadline:
                raise TimeoutError(f"{execution_arn} still RUNNING after {timeout} s")
            time.sleep(0.1)


def bring_up(
    stack: SynthesizedStack, functions_root: Path, region: str = "us-east-1", retry_delay: int = 1
) -> LocalCloud:
    """Patch moto's Lambda (and known moto bugs), provision ``stack`` and register its handlers."""
    moto_fixes.install()
    runtime = lambda_runtime.install()
    provisioned = provision(stack, functions_root, region)
    runtime.register(provisioned.functions.values())
    take_over(provisioned.event_sources, region)
    poller = EventSourcePoller(provisioned.event_sources, region=region, retry_delay=retry_delay)
    events = ExecutionEvents(provisioned.rules, runtime.invoke, region)
    return LocalCloud(
        stack=stack, provisioned=provisioned, runtime=runtime, poller=poller, execution_events=events
    )
