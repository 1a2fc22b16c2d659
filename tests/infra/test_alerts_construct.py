"""The alerts construct in the synthesized ``dev`` template (docs/alerts.md, Delivery)."""

from __future__ import annotations

import json

import pytest
from tradewind.alerts.policy import MAX_ATTEMPTS

from infra.constructs.alerts import DELIVERY_TIMEOUT, MESSAGES_PER_INVOKE
from tests.infra.conftest import Synthesized
from tests.infra.test_stack import allowed_actions, function_props, logical_id, policy_statements

pytestmark = pytest.mark.infra


def test_the_queue_dead_letters_a_delivery_after_its_last_attempt(synthesized: Synthesized) -> None:
    alerts = synthesized.stack.alerts
    queue = function_props(synthesized, alerts.queue)
    assert queue["SqsManagedSseEnabled"] is True
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [logical_id(synthesized, alerts.dead_letters), "Arn"]},
        "maxReceiveCount": MAX_ATTEMPTS,
    }
    delivery = function_props(synthesized, alerts.delivery)
    assert delivery["Timeout"] == DELIVERY_TIMEOUT.to_seconds()
    assert queue["VisibilityTimeout"] == 6 * delivery["Timeout"]
    assert function_props(synthesized, alerts.dead_letters)["MessageRetentionPeriod"] == 14 * 24 * 3600
    for q in (alerts.queue, alerts.dead_letters):
        statements = [
            s
            for p in synthesized.of_type("AWS::SQS::QueuePolicy").values()
            if {"Ref": logical_id(synthesized, q)} in p["Properties"]["Queues"]
            for s in p["Properties"]["PolicyDocument"]["Statement"]
        ]
        assert any(
            s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
            for s in statements
        )


def test_the_delivery_reads_batches_with_partial_failures_and_links_to_the_site(
    synthesized: Synthesized,
) -> None:
    alerts = synthesized.stack.alerts
    [mapping] = [
        m["Properties"]
        for m in synthesized.of_type("AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["FunctionName"] == {"Ref": logical_id(synthesized, alerts.delivery)}
    ]
    assert mapping["EventSourceArn"] == {"Fn::GetAtt": [logical_id(synthesized, alerts.queue), "Arn"]}
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["BatchSize"] == MESSAGES_PER_INVOKE
    props = function_props(synthesized, alerts.delivery)
    assert props["Handler"] == "handler.handler"
    env = props["Environment"]["Variables"]
    assert "Fn::GetAtt" in json.dumps(env["TW_SITE_URL"])  # the CloudFront distribution's domain
    assert "TW_ALERTS_ALLOW_LOOPBACK" not in env  # only make run and the tests allow http://127.0.0.1


def test_the_delivery_gets_exact_item_actions_and_may_change_visibility(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    delivery = stack.alerts.delivery
    assert delivery.role is not None
    statements = policy_statements(synthesized, delivery.role)
    table = logical_id(synthesized, stack.data.table)
    assert allowed_actions(statements, table) == {
        f"dynamodb:{a}" for a in ("GetItem", "PutItem", "UpdateItem", "Query")
    }
    assert "/index/" not in json.dumps([s for s in statements if table in json.dumps(s["Resource"])])
    queue = allowed_actions(statements, logical_id(synthesized, stack.alerts.queue))
    assert {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"} <= queue
    assert "sqs:SendMessage" not in queue
    for bucket in (stack.data.data_bucket, stack.data.artifacts_bucket):
        assert allowed_actions(statements, logical_id(synthesized, bucket)) == set()


def test_every_producer_may_queue_deliveries_and_knows_the_queue(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    queue = logical_id(synthesized, stack.alerts.queue)
    producers = [
        stack.api.function,
        stack.orchestration.import_worker,
        stack.jobs.reduce,
        stack.jobs.mark_failed,
        stack.execution_events.function,
        stack.pipeline.worker,
        stack.user_schedules.fire,
        stack.commands.runner,
    ]
    for function in producers:
        assert function.role is not None
        assert "sqs:SendMessage" in allowed_actions(policy_statements(synthesized, function.role), queue), (
            function
        )
    for function in stack.functions:
        env = function_props(synthesized, function)["Environment"]["Variables"]
        assert env["TW_ALERTS_QUEUE_URL"] == {"Ref": queue}, function.node.path


def test_an_alarm_watches_the_alert_dead_letter_queue(synthesized: Synthesized) -> None:
    dlq_name = {"Fn::GetAtt": [logical_id(synthesized, synthesized.stack.alerts.dead_letters), "QueueName"]}
    alarms = [
        a["Properties"]
        for a in synthesized.of_type("AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("MetricName") == "ApproximateNumberOfMessagesVisible"
        and {"Name": "QueueName", "Value": dlq_name} in a["Properties"]["Dimensions"]
    ]
    assert len(alarms) == 1
