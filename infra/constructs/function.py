"""The one way Tradewind defines a Lambda: python3.12, the two layers, X-Ray, Powertools, own logs."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.nag import acknowledge
from infra.stages import StageSettings

RUNTIME = lambda_.Runtime.PYTHON_3_12
METRICS_NAMESPACE = "Tradewind"
# Lambda gives a function one full vCPU at this memory size: the pandas/numpy workers use it.
FULL_VCPU_MEMORY_MB = 1769
# Never ship caches or tests inside a function's code asset.
_EXCLUDE = ["__pycache__", "*.pyc", "tests"]


@cache
def source_commit() -> str:
    """The commit being deployed, shown by ``/health/info``: ``TW_COMMIT`` if set (CI), else git's HEAD."""
    if commit := os.environ.get("TW_COMMIT"):
        return commit
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return found.stdout.strip() or "unknown"


def python_function(
    scope: Construct,
    construct_id: str,
    *,
    code_dir: Path,
    handler: str,
    service: str,
    layers: Sequence[lambda_.ILayerVersion],
    settings: StageSettings,
    memory_mb: int = 256,
    timeout: Duration = Duration.seconds(10),
    reserved_concurrency: int | None = None,
    description: str,
) -> lambda_.Function:
    """A Lambda whose code asset is ``code_dir``; the stack adds the ``TW_*`` variables and grants.

    Its role starts empty (no AWS managed policy) and may only write to its own log group.
    """
    log_group = logs.LogGroup(
        scope,
        f"{construct_id}Logs",
        retention=settings.log_retention,
        removal_policy=settings.removal_policy,
    )
    role = iam.Role(
        scope,
        f"{construct_id}Role",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=f"Tradewind {settings.name}: {description}",
    )
    log_group.grant_write(role)
    function = lambda_.Function(
        scope,
        construct_id,
        runtime=RUNTIME,
        architecture=lambda_.Architecture.X86_64,
        code=lambda_.Code.from_asset(str(code_dir), exclude=_EXCLUDE),
        handler=handler,
        layers=list(layers),
        memory_size=memory_mb,
        timeout=timeout,
        reserved_concurrent_executions=reserved_concurrency,
        tracing=lambda_.Tracing.ACTIVE,
        log_group=log_group,
        role=role,
        description=description,
        environment={
            "TW_STAGE": settings.name,
            "TW_COMMIT": source_commit(),
            "POWERTOOLS_SERVICE_NAME": service,
            "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
            "LOG_LEVEL": settings.log_level,
        },
    )
    acknowledge(
        role,
        "AwsSolutions-IAM5[Resource::*]",
        "Active tracing needs xray:PutTraceSegments/PutTelemetryRecords, which support no resource scope.",
    )
    acknowledge(
        function,
        "AwsSolutions-L1",
        "Pinned to python3.12: the layers are built and bytecode-compiled for exactly this runtime.",
    )
    return function
