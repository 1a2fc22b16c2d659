"""The audit trail's infrastructure in the synthesized ``dev`` template (docs/audit.md): the daily
export on a schedule with exactly its grants, the retention on the API, the audit-write alarm."""

from __future__ import annotations

from typing import Any

import pytest

from infra.constructs.audit import EXPORT_SCHEDULE
from tests.infra.conftest import Synthesized
from tests.infra.test_stack import function_props, logical_id, policy_statements

pytestmark = pytest.mark.infra


def test_the_export_runs_daily_through_scheduler(synthesized: Synthesized) -> None:
    export_id = logical_id(synthesized, synthesized.stack.audit.function)
    (props,) = [
        s["Properties"]
        for s in synthesized.of_type("AWS::Scheduler::Schedule").values()
        if s["Properties"]["Target"]["Arn"] == {"Fn::GetAtt": [export_id, "Arn"]}
    ]
    assert props["ScheduleExpression"] == EXPORT_SCHEDULE == "cron(30 0 * * ? *)"
    assert props["State"] == "ENABLED"
    function = function_props(synthesized, synthesized.stack.audit.function)
    assert function["Handler"] == "handler.handler"
    env = function["Environment"]["Variables"]
    assert {"TW_TABLE_NAME", "TW_ARTIFACTS_BUCKET"} <= set(env)


def _actions(statement: dict[str, Any]) -> list[str]:
    found = statement["Action"]
    return [found] if isinstance(found, str) else list(found)


def test_the_export_may_only_query_the_day_index_and_put_audit_objects(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    role = stack.audit.function.role
    assert role is not None
    statements = [
        s
        for s in policy_statements(synthesized, role)
        if not any(str(a).startswith(("xray:", "logs:")) for a in _actions(s))
    ]
    table_id = logical_id(synthesized, stack.data.table)
    bucket_id = logical_id(synthesized, stack.data.artifacts_bucket)
    assert statements == [
        {
            "Action": "dynamodb:Query",
            "Effect": "Allow",
            "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": [table_id, "Arn"]}, "/index/gsi1"]]},
        },
        {
            "Action": "s3:PutObject",
            "Effect": "Allow",
            "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": [bucket_id, "Arn"]}, "/audit/*"]]},
        },
    ]


def test_the_api_knows_the_retention(synthesized: Synthesized) -> None:
    env = function_props(synthesized, synthesized.stack.api.function)["Environment"]["Variables"]
    assert env["TW_AUDIT_RETENTION_DAYS"] == str(synthesized.stack.settings.audit_retention_days) == "365"


def test_a_failed_audit_write_raises_an_alarm(synthesized: Synthesized) -> None:
    [alarm] = [
        a["Properties"]
        for a in synthesized.of_type("AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("MetricName") == "AuditWriteFailed"
    ]
    assert alarm["Namespace"] == "Tradewind"
    assert alarm["Dimensions"] == [{"Name": "service", "Value": "api"}]
    assert alarm["Statistic"] == "Sum"
    assert alarm["Threshold"] == 1
    topic_id = logical_id(synthesized, synthesized.stack.monitoring.topic)
    assert alarm["AlarmActions"] == [{"Ref": topic_id}]
