"""The pipeline construct in the synthesized ``dev`` template (docs/pipeline.md, How it runs)."""

from __future__ import annotations

import json

import pytest

from infra.constructs.pipeline import MAX_RECEIVE_COUNT
from tests.infra.conftest import Synthesized
from tests.infra.test_stack import allowed_actions, function_props, logical_id, policy_statements

pytestmark = pytest.mark.infra


def test_the_queue_is_encrypted_and_moves_a_batch_to_the_dlq_after_three_receives(
    synthesized: Synthesized,
) -> None:
    pipeline = synthesized.stack.pipeline
    queue = function_props(synthesized, pipeline.queue)
    dlq_id = logical_id(synthesized, pipeline.dead_letters)
    assert queue["SqsManagedSseEnabled"] is True
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [dlq_id, "Arn"]},
        "maxReceiveCount": 3,
    }
    assert MAX_RECEIVE_COUNT == 3
    assert queue["VisibilityTimeout"] == 6 * function_props(synthesized, pipeline.worker)["Timeout"]
    assert function_props(synthesized, pipeline.dead_letters)["SqsManagedSseEnabled"] is True
    for q in (pipeline.queue, pipeline.dead_letters):
        policies = [
            p for p in synthesized.of_type("AWS::SQS::QueuePolicy").values()
            if {"Ref": logical_id(synthesized, q)} in p["Properties"]["Queues"]
        ]  # fmt: skip
        statements = [s for p in policies for s in p["Properties"]["PolicyDocument"]["Statement"]]
        assert any(
            s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
            for s in statements
        )


def test_the_worker_reads_the_queue_with_partial_batch_responses(synthesized: Synthesized) -> None:
    pipeline = synthesized.stack.pipeline
    worker_id = logical_id(synthesized, pipeline.worker)
    [mapping] = [
        m["Properties"]
        for m in synthesized.of_type("AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["FunctionName"] == {"Ref": worker_id}
    ]
    assert mapping["EventSourceArn"] == {"Fn::GetAtt": [logical_id(synthesized, pipeline.queue), "Arn"]}
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    env = function_props(synthesized, pipeline.worker)["Environment"]["Variables"]
    assert env["TW_PIPELINE_MAX_RECEIVES"] == str(MAX_RECEIVE_COUNT)
    api_env = function_props(synthesized, synthesized.stack.api.function)["Environment"]["Variables"]
    assert api_env["TW_PIPELINE_QUEUE_URL"] == {"Ref": logical_id(synthesized, pipeline.queue)}


def test_an_alarm_watches_the_dead_letter_queue(synthesized: Synthesized) -> None:
    dlq_name = {"Fn::GetAtt": [logical_id(synthesized, synthesized.stack.pipeline.dead_letters), "QueueName"]}
    alarms = [
        a["Properties"]
        for a in synthesized.of_type("AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("MetricName") == "ApproximateNumberOfMessagesVisible"
        and {"Name": "QueueName", "Value": dlq_name} in a["Properties"]["Dimensions"]
    ]
    assert len(alarms) == 1


def test_the_worker_gets_exact_actions_and_only_the_api_sends(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    worker = stack.pipeline.worker
    assert worker.role is not None
    statements = policy_statements(synthesized, worker.role)
    table = logical_id(synthesized, stack.data.table)
    assert allowed_actions(statements, table) == {
        f"dynamodb:{a}" for a in ("GetItem", "UpdateItem", "PutItem", "Query")
    }
    artifacts = logical_id(synthesized, stack.data.artifacts_bucket)
    assert allowed_actions(statements, artifacts) == {
        "s3:GetObject", "s3:PutObject", "s3:PutObjectTagging", "s3:DeleteObject", "s3:ListBucket"
    }  # fmt: skip
    assert allowed_actions(statements, logical_id(synthesized, stack.data.data_bucket)) == {"s3:GetObject"}
    queue = logical_id(synthesized, stack.pipeline.queue)
    assert "sqs:SendMessage" not in allowed_actions(statements, queue)
    # It sends only alert deliveries (a run's end and signals, docs/alerts.md).
    alerts = logical_id(synthesized, stack.alerts.queue)
    sent_to = [s["Resource"] for s in statements if "sqs:SendMessage" in json.dumps(s["Action"])]
    assert sent_to == [{"Fn::GetAtt": [alerts, "Arn"]}]
    assert stack.api.function.role is not None
    assert "sqs:SendMessage" in allowed_actions(
        policy_statements(synthesized, stack.api.function.role), queue
    )
