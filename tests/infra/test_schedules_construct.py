"""User schedules and command runs in the synthesized ``dev`` template (docs/schedules.md,
docs/commands.md): one schedule group per stage, a scheduler role that may only invoke the fire
Lambda, the API's scheduler permissions scoped to the group, the commands queue with its DLQ and
runner, and cdk-nag clean."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.infra.conftest import Synthesized
from tests.infra.test_stack import function_props, logical_id, policy_statements

pytestmark = pytest.mark.infra


def _actions(statement: dict[str, Any]) -> set[str]:
    found = statement["Action"]
    return {found} if isinstance(found, str) else set(found)


def test_one_schedule_group_per_stage(synthesized: Synthesized) -> None:
    groups = synthesized.of_type("AWS::Scheduler::ScheduleGroup")
    assert [g["Properties"]["Name"] for g in groups.values()] == ["tradewind-dev"]


def test_the_scheduler_role_may_only_invoke_the_fire_lambda(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    role = stack.user_schedules.role
    trust = synthesized.resources[logical_id(synthesized, role)]["Properties"]["AssumeRolePolicyDocument"]
    (principal,) = trust["Statement"]
    assert principal["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert "aws:SourceAccount" in principal["Condition"]["StringEquals"]
    statements = policy_statements(synthesized, role)
    assert [_actions(s) for s in statements] == [{"lambda:InvokeFunction"}]
    fire = logical_id(synthesized, stack.user_schedules.fire)
    assert statements[0]["Resource"] == {"Fn::GetAtt": [fire, "Arn"]}


def test_the_api_manages_schedules_only_in_the_stage_group(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    statements = policy_statements(synthesized, stack.api.function.role)  # type: ignore[arg-type]
    scheduler = [s for s in statements if any(a.startswith("scheduler:") for a in _actions(s))]
    assert len(scheduler) == 1
    assert _actions(scheduler[0]) == {
        "scheduler:CreateSchedule",
        "scheduler:UpdateSchedule",
        "scheduler:DeleteSchedule",
        "scheduler:GetSchedule",
    }
    assert "schedule/tradewind-dev/*" in json.dumps(scheduler[0]["Resource"])
    (passing,) = [s for s in statements if _actions(s) == {"iam:PassRole"}]
    assert passing["Resource"] == {"Fn::GetAtt": [logical_id(synthesized, stack.user_schedules.role), "Arn"]}
    assert passing["Condition"] == {"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}


def test_the_api_knows_the_group_the_fire_lambda_and_the_role(synthesized: Synthesized) -> None:
    env = function_props(synthesized, synthesized.stack.api.function)["Environment"]["Variables"]
    assert env["TW_SCHEDULE_GROUP"] == "tradewind-dev"
    assert {"TW_SCHEDULE_FIRE_ARN", "TW_SCHEDULE_ROLE_ARN", "TW_COMMAND_QUEUE_URL"} <= set(env)
    fire = function_props(synthesized, synthesized.stack.user_schedules.fire)["Environment"]["Variables"]
    assert {
        "TW_JOB_STATE_MACHINE_ARN",
        "TW_PIPELINE_QUEUE_URL",
        "TW_COMMAND_QUEUE_URL",
        "TW_MAX_CONCURRENT_JOBS",
    } <= set(fire)
    assert not any(name.startswith("TW_SCHEDULE_") for name in fire)  # the fire never manages schedules


def test_commands_run_from_a_queue_with_a_dead_letter_queue(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    queue = synthesized.resources[logical_id(synthesized, stack.commands.queue)]["Properties"]
    assert queue["RedrivePolicy"]["maxReceiveCount"] == 2
    mappings = [
        m["Properties"]
        for m in synthesized.of_type("AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["FunctionName"] == {"Ref": logical_id(synthesized, stack.commands.runner)}
    ]
    assert len(mappings) == 1
    assert mappings[0]["BatchSize"] == 1
    runner = policy_statements(synthesized, stack.commands.runner.role)  # type: ignore[arg-type]
    redrive = [s for s in runner if "sqs:ReceiveMessage" in _actions(s)]
    dead = {
        logical_id(synthesized, stack.orchestration.dead_letters),
        logical_id(synthesized, stack.pipeline.dead_letters),
    }
    resources = [
        r for s in redrive for r in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])
    ]
    own = logical_id(synthesized, stack.commands.queue)  # its event source
    assert {r["Fn::GetAtt"][0] for r in resources} == {*dead, own}  # and only the two dead-letter queues


def test_cdk_nag_is_clean(synthesized: Synthesized) -> None:
    assert synthesized.synth_error is None
