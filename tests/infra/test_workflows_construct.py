"""Workflows in the synthesized ``dev`` template (docs/workflows.md): the named Standard state machine
(Begin -> Step waiting on a task token, retried except on its own answers -> Advance -> More? ->
Succeed, Fail on every Catch), the execution-ended rule covering it, who may answer its tokens, start
and stop it, and cdk-nag clean."""

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


def _definition(synthesized: Synthesized) -> dict[str, Any]:
    machine = synthesized.resources[logical_id(synthesized, synthesized.stack.workflows.state_machine)]
    parts = machine["Properties"]["DefinitionString"]["Fn::Join"][1]
    text = "".join(p if isinstance(p, str) else "ARN" for p in parts)
    return dict(json.loads(text))


def test_a_named_standard_machine_loops_over_the_steps(synthesized: Synthesized) -> None:
    machine = synthesized.resources[logical_id(synthesized, synthesized.stack.workflows.state_machine)]
    props = machine["Properties"]
    assert props["StateMachineName"] == "tradewind-dev-workflows"
    assert props["StateMachineType"] == "STANDARD"
    assert props["TracingConfiguration"] == {"Enabled": True}
    states = _definition(synthesized)["States"]
    assert _definition(synthesized)["StartAt"] == "Begin"
    assert states["Begin"]["Next"] == "More"  # a resumed run may have no step left
    step = states["Step"]
    assert step["Resource"].endswith(":states:::lambda:invoke.waitForTaskToken")
    assert step["Parameters"]["Payload"]["token.$"] == "$$.Task.Token"
    assert step["ResultPath"] == "$.step"
    assert step["Next"] == "Advance"
    answers = next(r for r in step["Retry"] if "StepFailed" in r["ErrorEquals"])
    assert answers["MaxAttempts"] == 0  # a step's own outcome is never retried
    assert {"StepFailed", "StepCancelled", "StepStopped", "StepInvalid", "RunEnded"} <= set(
        answers["ErrorEquals"]
    )
    faults = step["Retry"][-1]
    assert faults["ErrorEquals"] == ["States.ALL"]
    assert faults["MaxAttempts"] == 2
    assert states["Advance"]["Parameters"]["index.$"] == "States.MathAdd($.index, 1)"
    assert states["Advance"]["Next"] == "More"
    (choice,) = states["More"]["Choices"]
    assert choice == {"Variable": "$.index", "NumericLessThanPath": "$.count", "Next": "Step"}
    assert states["More"]["Default"] == "Succeed"
    for name in ("Begin", "Step", "Succeed"):
        assert states[name]["Catch"] == [
            {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Fail"}
        ]
    assert states["Fail"]["Next"] == "RunFailed"
    assert states["RunFailed"]["Type"] == "Fail"


def test_the_execution_ended_rule_covers_the_workflow_machine(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    rule = synthesized.resources[logical_id(synthesized, stack.execution_events.rule)]
    machines = rule["Properties"]["EventPattern"]["detail"]["stateMachineArn"]
    assert {"Ref": logical_id(synthesized, stack.workflows.state_machine)} in machines
    assert {"Ref": logical_id(synthesized, stack.jobs.state_machine)} in machines


def _answers_tokens(synthesized: Synthesized, function: Any) -> bool:
    statements = policy_statements(synthesized, function.role)
    return any(
        _actions(s) == {"states:SendTaskSuccess", "states:SendTaskFailure"}
        and "stateMachine:tradewind-dev-workflows" in json.dumps(s["Resource"])
        for s in statements
    )


def test_every_function_that_ends_a_job_answers_the_run_waiting_on_it(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    for function in (
        stack.api.function,
        stack.jobs.reduce,
        stack.jobs.mark_failed,
        stack.pipeline.worker,
        stack.commands.runner,
        stack.execution_events.function,
        stack.workflows.step,
    ):
        assert _answers_tokens(synthesized, function), function.node.id
    assert not _answers_tokens(synthesized, stack.jobs.worker)


def test_the_api_and_the_fire_start_runs_and_the_step_submits_jobs(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    machine = {"Ref": logical_id(synthesized, stack.workflows.state_machine)}
    for function in (stack.api.function, stack.user_schedules.fire):
        env = function_props(synthesized, function)["Environment"]["Variables"]
        assert "stateMachine:tradewind-dev-workflows" in json.dumps(env["TW_WORKFLOW_STATE_MACHINE_ARN"])
        starts = [
            s for s in policy_statements(synthesized, function.role) if "states:StartExecution" in _actions(s)
        ]
        assert any(
            machine in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]) for s in starts
        )
    step_env = function_props(synthesized, stack.workflows.step)["Environment"]["Variables"]
    assert {"TW_JOB_STATE_MACHINE_ARN", "TW_PIPELINE_QUEUE_URL", "TW_COMMAND_QUEUE_URL"} <= set(step_env)
    assert "TW_WORKFLOW_STATE_MACHINE_ARN" not in step_env  # its own machine: that would be a cycle
    statements = policy_statements(synthesized, stack.workflows.step.role)
    started = [s["Resource"] for s in statements if "states:StartExecution" in _actions(s)]
    assert started == [{"Ref": logical_id(synthesized, stack.jobs.state_machine)}]


def test_cdk_nag_is_clean(synthesized: Synthesized) -> None:
    assert synthesized.synth_error is None
