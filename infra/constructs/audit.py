"""The audit trail's daily export (docs/audit.md): a Lambda that writes the previous UTC day's records
of every organisation to the artifacts bucket; the stack schedules it and grants it exactly a
``Query`` on the main table's ``gsi1`` and ``PutObject`` under ``audit/``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.constructs.function import python_function
from infra.stages import StageSettings

EXPORT_SCHEDULE = "cron(30 0 * * ? *)"
"""Daily at 00:30 UTC: the previous day is complete (a record's id is its write time)."""


class AuditExport(Construct):
    """The export function (one invocation a day; a day of a busy stage fits in its memory by org)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        functions_dir: Path,
        layers: Sequence[lambda_.ILayerVersion],
        settings: StageSettings,
    ) -> None:
        super().__init__(scope, construct_id)
        self.function = python_function(
            self,
            "AuditExport",
            code_dir=functions_dir / "audit_export",
            handler="handler.handler",
            service="audit_export",
            layers=layers,
            settings=settings,
            memory_mb=512,
            timeout=Duration.minutes(10),
            description="Scheduled: export yesterday's audit trail to S3 as JSON lines",
        )

    @property
    def functions(self) -> list[lambda_.Function]:
        return [self.function]
