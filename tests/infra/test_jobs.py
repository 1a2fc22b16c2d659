"""Properties of the job workflow in the synthesized ``dev`` template (docs/jobs.md)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.constructs.jobs import REDUCE_PERMANENT_ERRORS, REDUCE_RETRIES, WORKER_RETRIES
from infra.stages import STAGES
from tests.infra.conftest import Synthesized
from tests.infra.test_stack import (
    allowed_actions,
    function_props,
    logical_id,
    policy_statements,
    state_machine_definition,
)

pytestmark = pytest.mark.infra

EXPRESS_CHILD_LIMIT_SECONDS = 300


@pytest.fixture(scope="module")
def definition(synthesized: Synthesized) -> dict[str, Any]:
    return state_machine_definition(synthesized, synthesized.stack.jobs.state_machine)


def arn_of(syn: Synthesized, construct: Any) -> str:
    return f"arn:{logical_id(syn, construct)}"


def test_plan_then_a_distributed_map_of_express_children_then_reduce(
    synthesized: Synthesized, definition: dict[str, Any]
) -> None:
    jobs = synthesized.stack.jobs
    states = definition["States"]
    assert definition["StartAt"] == "Plan"
    assert states["Plan"]["Resource"] == arn_of(synthesized, jobs.plan)
    assert states["Plan"]["Next"] == "Shards"
    shards = states["Shards"]
    assert shards["Type"] == "Map"
    assert shards["ItemProcessor"]["ProcessorConfig"] == {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}
    assert shards["MaxConcurrency"] == STAGES["dev"].job_map_concurrency == 50
    assert shards["ResultPath"] is None  # workers write to S3; the Map's output stays small
    assert shards.get("ToleratedFailurePercentage", 0) == 0
    assert shards.get("ToleratedFailureCount", 0) == 0
    assert shards["Next"] == "Reduce"
    assert states["Reduce"]["Resource"] == arn_of(synthesized, jobs.reduce)
    assert states["Reduce"]["Next"] == "PausedOrDone"


def test_a_paused_job_ends_its_execution_at_paused_instead_of_done(definition: dict[str, Any]) -> None:
    """Reduce does nothing for a paused job and says so; the Choice ends the execution at ``Paused``
    (its resume starts another execution, which reduces): docs/jobs.md, Pause and resume."""
    states = definition["States"]
    choice = states["PausedOrDone"]
    assert choice["Type"] == "Choice"
    (paused,) = choice["Choices"]
    assert paused["Next"] == "Paused"
    assert {"Variable": "$.status", "StringEquals": "paused"} in paused["And"]
    assert choice["Default"] == "Done"
    assert states["Paused"]["Type"] == states["Done"]["Type"] == "Succeed"


def test_the_map_reads_the_manifest_from_the_artifacts_bucket_and_adds_the_job_ids(
    synthesized: Synthesized, definition: dict[str, Any]
) -> None:
    shards = definition["States"]["Shards"]
    reader = shards["ItemReader"]
    assert reader["Resource"].endswith(":states:::s3:getObject")
    assert reader["ReaderConfig"] == {"InputType": "JSON"}
    artifacts = logical_id(synthesized, synthesized.stack.data.artifacts_bucket)
    assert reader["Parameters"] == {"Bucket": f"ref:{artifacts}", "Key.$": "$.manifest_key"}
    assert shards["ItemSelector"] == {
        "tenant_id.$": "$.tenant_id",
        "job_id.$": "$.job_id",
        "shard.$": "$$.Map.Item.Value",
    }


def test_workers_retry_with_backoff_but_not_on_their_own_input_errors(
    synthesized: Synthesized, definition: dict[str, Any]
) -> None:
    work = definition["States"]["Shards"]["ItemProcessor"]["States"]["Work"]
    assert work["Resource"] == arn_of(synthesized, synthesized.stack.jobs.worker)
    assert work["End"] is True
    retries = work["Retry"]
    errors = [retry["ErrorEquals"] for retry in retries]
    assert errors.index(["JobInputError"]) < errors.index(["States.ALL"])
    assert retries[errors.index(["JobInputError"])]["MaxAttempts"] == 0
    everything = retries[errors.index(["States.ALL"])]
    assert everything["MaxAttempts"] == WORKER_RETRIES == 2
    assert everything["IntervalSeconds"] >= 1
    assert everything["BackoffRate"] > 1
    assert any("Lambda.TooManyRequestsException" in e for e in errors)


def test_reduce_retries_once_on_a_transient_failure_but_not_on_what_would_fail_again(
    definition: dict[str, Any],
) -> None:
    retries = definition["States"]["Reduce"]["Retry"]
    errors = [retry["ErrorEquals"] for retry in retries]
    assert errors[-1] == ["States.ALL"]
    assert retries[-1]["MaxAttempts"] == REDUCE_RETRIES == 1
    assert retries[-1]["IntervalSeconds"] >= 1
    permanent = retries[errors.index(REDUCE_PERMANENT_ERRORS)]
    assert permanent["MaxAttempts"] == 0
    assert {"RuntimeError", "MemoryError", "States.Timeout"} <= set(REDUCE_PERMANENT_ERRORS)


def test_an_express_child_fits_every_attempt_of_its_worker(
    synthesized: Synthesized, definition: dict[str, Any]
) -> None:
    timeout = function_props(synthesized, synthesized.stack.jobs.worker)["Timeout"]
    work = definition["States"]["Shards"]["ItemProcessor"]["States"]["Work"]
    everything = next(r for r in work["Retry"] if r["ErrorEquals"] == ["States.ALL"])
    waits = sum(
        everything["IntervalSeconds"] * everything["BackoffRate"] ** n
        for n in range(everything["MaxAttempts"])
    )
    assert timeout * (everything["MaxAttempts"] + 1) + waits < EXPRESS_CHILD_LIMIT_SECONDS


def test_every_step_is_caught_by_mark_failed_which_then_fails_the_execution(
    synthesized: Synthesized, definition: dict[str, Any]
) -> None:
    states = definition["States"]
    for name in ("Plan", "Shards", "Reduce"):
        assert states[name]["Catch"] == [
            {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "MarkFailed"}
        ], name
    assert states["MarkFailed"]["Resource"] == arn_of(synthesized, synthesized.stack.jobs.mark_failed)
    assert states["MarkFailed"]["Next"] == "JobFailed"
    assert states["JobFailed"]["Type"] == "Fail"


def test_the_job_machine_is_standard_traced_and_logged(synthesized: Synthesized) -> None:
    props = function_props(synthesized, synthesized.stack.jobs.state_machine)
    assert props["StateMachineType"] == "STANDARD"
    assert props["TracingConfiguration"] == {"Enabled": True}
    assert props["LoggingConfiguration"]["Level"] == "ALL"


def test_map_concurrency_grows_with_the_stage() -> None:
    assert [STAGES[name].job_map_concurrency for name in ("local", "dev", "prod")] == [4, 50, 200]


def test_only_the_api_knows_the_job_machine_and_its_concurrency(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    api = function_props(synthesized, stack.api.function)["Environment"]["Variables"]
    assert api["TW_JOB_STATE_MACHINE_ARN"] == {"Ref": logical_id(synthesized, stack.jobs.state_machine)}
    assert api["TW_JOB_MAP_CONCURRENCY"] == "50"
    assert api["TW_WORKER_MEMORY_MB"] == str(function_props(synthesized, stack.jobs.worker)["MemorySize"])
    for task in stack.jobs.functions:
        variables = function_props(synthesized, task)["Environment"]["Variables"]
        assert "TW_JOB_STATE_MACHINE_ARN" not in variables, task.node.path
        assert variables["TW_ARTIFACTS_BUCKET"] == {
            "Ref": logical_id(synthesized, stack.data.artifacts_bucket)
        }


def test_the_api_starts_and_stops_job_executions_and_writes_specs(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    statements = policy_statements(synthesized, stack.api.function.role)  # type: ignore[arg-type]
    machine = logical_id(synthesized, stack.jobs.state_machine)
    # It never describes or lists executions (the job record is the status): only start and stop, and
    # describe the machine itself for GET /health/system.
    assert allowed_actions(statements, machine) == {
        "states:StartExecution",
        "states:StopExecution",
        "states:DescribeStateMachine",
    }
    artifacts = allowed_actions(statements, logical_id(synthesized, stack.data.artifacts_bucket))
    assert {"s3:PutObject", "s3:GetObject"} <= artifacts


# The exact item actions of each task's code (tradewind.jobs.*), and what publishing needs.
JOB_TABLE_ACTIONS = {
    "plan": {"dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:BatchGetItem", "dynamodb:Query"},
    "worker": {"dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:PutItem"},
    # + Query: the organisation's alert channels, when the job's end is published (docs/alerts.md)
    "reduce": {"dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:Query"},
    "mark_failed": {"dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:Query"},
}
PUBLISH_ACTIONS = {"dynamodb:Query", "dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}
INTERMEDIATES = {"s3:GetObject", "s3:PutObject", "s3:PutObjectTagging", "s3:ListBucket"}
JOB_ARTIFACT_ACTIONS = {
    "plan": INTERMEDIATES,
    "worker": INTERMEDIATES,
    "reduce": {"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"},
    "mark_failed": set(),
}


def test_each_job_task_gets_exactly_the_actions_its_code_uses(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    jobs = stack.jobs
    table = logical_id(synthesized, stack.data.table)
    connections = logical_id(synthesized, stack.realtime.connections_table)
    artifacts = logical_id(synthesized, stack.data.artifacts_bucket)
    bars = logical_id(synthesized, stack.data.data_bucket)
    tasks = {"plan": jobs.plan, "worker": jobs.worker, "reduce": jobs.reduce, "mark_failed": jobs.mark_failed}
    for name, task in tasks.items():
        statements = policy_statements(synthesized, task.role)  # type: ignore[arg-type]
        assert allowed_actions(statements, table) == JOB_TABLE_ACTIONS[name], name
        assert allowed_actions(statements, connections) == PUBLISH_ACTIONS, name
        assert allowed_actions(statements, artifacts) == JOB_ARTIFACT_ACTIONS[name], name
        expected_bars = set() if name == "mark_failed" else {"s3:GetObject"}
        assert allowed_actions(statements, bars) == expected_bars, name
        # Item actions only: never the table's indexes.
        assert "/index/" not in json.dumps(statements), name
        assert "execute-api:ManageConnections" in json.dumps(statements), name


def test_the_machine_may_invoke_its_tasks_and_read_manifests(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    statements = policy_statements(synthesized, stack.jobs.state_machine.role)
    for task in stack.jobs.functions:
        assert "lambda:InvokeFunction" in allowed_actions(statements, logical_id(synthesized, task))
    manifests = allowed_actions(statements, logical_id(synthesized, stack.data.artifacts_bucket))
    assert "s3:GetObject" in manifests
    assert "s3:PutObject" not in manifests


def test_a_failed_job_execution_raises_an_alarm(synthesized: Synthesized) -> None:
    machine = logical_id(synthesized, synthesized.stack.jobs.state_machine)
    alarms = [
        alarm["Properties"]
        for alarm in synthesized.of_type("AWS::CloudWatch::Alarm").values()
        if alarm["Properties"].get("Dimensions") == [{"Name": "StateMachineArn", "Value": {"Ref": machine}}]
    ]
    assert [alarm["MetricName"] for alarm in alarms] == ["ExecutionsFailed"]
    assert alarms[0]["AlarmActions"]
