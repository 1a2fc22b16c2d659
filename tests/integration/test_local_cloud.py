"""The local cloud's machinery, in-process: provisioning, Lambda runtime, SQS polling, Step
Functions, the ticker and persistence.

Two stacks share one moto: the real synthesized ``Tradewind-local`` template (``cloud``) and a small
hand-written one (``local_cloud_stack/``) whose recorder handler makes every invocation visible in S3.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from infra.local.cloud import LocalCloud, bring_up
from infra.local.persistence import StateStore
from infra.local.provision import IGNORED_TYPES
from infra.local.template import SynthesizedStack, load
from infra.local.ticker import Ticker

HERE = Path(__file__).resolve().parent
TEST_STACK = HERE / "local_cloud_stack"


def _client(name: str) -> Any:
    return boto3.session.Session(region_name="us-east-1").client(name)


@pytest.fixture(scope="module")
def recorder(cloud: LocalCloud, request: pytest.FixtureRequest) -> Iterator[LocalCloud]:
    """The hand-written test stack, provisioned next to the real one, with its handler's env."""
    stack = bring_up(
        load(TEST_STACK / "LocalCloudTest.template.json"), TEST_STACK / "functions", retry_delay=0
    )
    patch = pytest.MonkeyPatch()
    for name, value in stack.env.items():
        patch.setenv(name, value)
    yield stack
    patch.undo()


def _records(bucket: str, prefix: str) -> list[dict[str, Any]]:
    s3 = _client("s3")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])]
    return [json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read()) for key in keys]


# -- provisioning -------------------------------------------------------------------------------------


def test_every_table_of_the_template_exists_with_its_keys_indexes_and_ttl(
    cloud: LocalCloud, synthesized_stack: SynthesizedStack
) -> None:
    ddb = _client("dynamodb")
    declared = {
        lid: r
        for lid, r in synthesized_stack.template["Resources"].items()
        if r["Type"] == "AWS::DynamoDB::Table"
    }
    assert set(cloud.provisioned.tables) == set(declared)
    for logical_id, resource in declared.items():
        props = resource["Properties"]
        table = ddb.describe_table(TableName=cloud.provisioned.tables[logical_id])["Table"]
        assert table["KeySchema"] == props["KeySchema"]
        assert {i["IndexName"] for i in table.get("GlobalSecondaryIndexes", [])} == {
            i["IndexName"] for i in props.get("GlobalSecondaryIndexes", [])
        }
        ttl = ddb.describe_time_to_live(TableName=table["TableName"])["TimeToLiveDescription"]
        if props.get("TimeToLiveSpecification", {}).get("Enabled"):
            assert ttl["AttributeName"] == props["TimeToLiveSpecification"]["AttributeName"]
            assert ttl["TimeToLiveStatus"] == "ENABLED"


def test_buckets_queues_machines_schedules_and_mappings_exist(
    cloud: LocalCloud, synthesized_stack: SynthesizedStack
) -> None:
    types = {lid: r["Type"] for lid, r in synthesized_stack.template["Resources"].items()}
    assert set(cloud.provisioned.buckets) == {lid for lid, t in types.items() if t == "AWS::S3::Bucket"}
    existing = {b["Name"] for b in _client("s3").list_buckets()["Buckets"]}
    assert set(cloud.provisioned.buckets.values()) <= existing
    assert set(cloud.provisioned.queues) == {lid for lid, t in types.items() if t == "AWS::SQS::Queue"}
    machines = {m["stateMachineArn"] for m in _client("stepfunctions").list_state_machines()["stateMachines"]}
    assert set(cloud.provisioned.state_machines.values()) <= machines
    schedules = {s["Name"] for s in _client("scheduler").list_schedules()["Schedules"]}
    assert set(cloud.provisioned.schedules.values()) <= schedules
    mappings = _client("lambda").list_event_source_mappings()["EventSourceMappings"]
    assert {m["UUID"] for m in mappings} >= {s.uuid for s in cloud.provisioned.event_sources}
    assert len(cloud.provisioned.event_sources) == sum(
        t == "AWS::Lambda::EventSourceMapping" for t in types.values()
    )


def test_the_import_queue_redrives_to_its_dead_letter_queue(cloud: LocalCloud) -> None:
    sqs = _client("sqs")
    queue = cloud.queue_url("ImportQueue")
    dlq_arn = sqs.get_queue_attributes(
        QueueUrl=cloud.queue_url("ImportDeadLetters"), AttributeNames=["QueueArn"]
    )
    policy = json.loads(
        sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["RedrivePolicy"])["Attributes"][
            "RedrivePolicy"
        ]
    )
    assert policy["deadLetterTargetArn"] == dlq_arn["Attributes"]["QueueArn"]
    assert int(policy["maxReceiveCount"]) >= 1


def test_every_project_function_maps_to_its_folder_and_entry(cloud: LocalCloud) -> None:
    mapped = {spec.folder for spec in cloud.provisioned.functions.values() if spec.folder}
    assert mapped == {
        p.name for p in (HERE.parents[1] / "functions").iterdir() if (p / "handler.py").exists()
    }
    for spec in cloud.provisioned.functions.values():
        if spec.folder:
            assert spec.handler_file is not None
            assert spec.handler_file.name == "handler.py"
            assert callable(cloud.runtime.entry(spec))


def test_the_handlers_environment_names_the_provisioned_resources(cloud: LocalCloud) -> None:
    env = cloud.env
    assert env["TW_TABLE_NAME"] in cloud.provisioned.tables.values()
    assert env["TW_CONNECTIONS_TABLE_NAME"] in cloud.provisioned.tables.values()
    assert env["TW_DATA_BUCKET"] in cloud.provisioned.buckets.values()
    assert env["TW_IMPORT_QUEUE_URL"] in cloud.provisioned.queues.values()
    assert env["TW_SEED_STATE_MACHINE_ARN"] in cloud.provisioned.state_machines.values()


def test_websocket_routes_come_from_the_template(cloud: LocalCloud) -> None:
    folders = {spec.name: spec.folder for spec in cloud.provisioned.functions.values()}
    routes = {key: folders[name] for key, name in cloud.provisioned.websocket_routes.items()}
    assert routes == {"$connect": "ws_connect", "$disconnect": "ws_disconnect", "$default": "ws_default"}


def test_intrinsics_resolve_to_local_names_and_unknown_types_are_reported(recorder: LocalCloud) -> None:
    env = recorder.env
    bucket = recorder.bucket("Records")
    assert env["RECORDS_BUCKET"] == bucket
    assert env["RECORDS_LABEL"] == f"LocalCloudTest:{bucket}"
    assert env["WORK_QUEUE_NAME"] == recorder.queue_url("Work").rsplit("/", 1)[-1]
    assert env["ALERTS"] == "Alerts"  # a placeholder: SNS is not emulated
    assert recorder.provisioned.ignored == {
        "RecorderLogs": "AWS::Logs::LogGroup",
        "Alerts": "AWS::SNS::Topic",
    }
    assert "AWS::Logs::LogGroup" in IGNORED_TYPES
    cors = _client("s3").get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert (cors[0]["ExposeHeaders"], cors[0]["MaxAgeSeconds"]) == (["ETag"], 600)


# -- in-process Lambda ---------------------------------------------------------------------------------


def test_lambda_invoke_runs_the_project_handler_in_process(recorder: LocalCloud) -> None:
    name = recorder.function_name("Recorder")
    response = _client("lambda").invoke(FunctionName=name, Payload=json.dumps({"source": "direct", "n": 1}))
    assert "FunctionError" not in response
    assert json.loads(response["Payload"].read()) == {"recorded": True, "echo": {"source": "direct", "n": 1}}
    [record] = _records(recorder.bucket("Records"), "events/direct/")
    assert record["function"] == name
    assert 0 < record["remaining_ms"] <= 30_000


def test_a_handler_exception_becomes_a_lambda_error_payload(recorder: LocalCloud) -> None:
    response = _client("lambda").invoke(
        FunctionName=recorder.function_name("Recorder"), Payload=b'{"fail": true}'
    )
    assert response["FunctionError"] == "Handled"
    payload = json.loads(response["Payload"].read())
    assert payload["errorType"] == "RecorderFailure"
    assert payload["errorMessage"] == "asked to fail"


# -- Step Functions ------------------------------------------------------------------------------------


def test_a_state_machine_task_runs_the_handler_and_catch_matches_its_error_type(recorder: LocalCloud) -> None:
    sfn = _client("stepfunctions")
    machine = recorder.state_machine_arn("Machine")
    ok = sfn.start_execution(stateMachineArn=machine, name="ok", input=json.dumps({"source": "machine"}))
    failed = sfn.start_execution(stateMachineArn=machine, name="failed", input=json.dumps({"fail": True}))
    done = recorder.wait_for_execution(ok["executionArn"], timeout=60)
    assert done["status"] == "SUCCEEDED"
    assert json.loads(done["output"]) == {"recorded": True, "echo": {"source": "machine"}}
    caught = recorder.wait_for_execution(failed["executionArn"], timeout=60)
    assert caught["status"] == "SUCCEEDED"
    assert json.loads(caught["output"]) == {"caught": True}


def test_the_synthesized_sample_seed_machine_seeds_a_tenant(clean_cloud: LocalCloud) -> None:
    from tradewind.services import sample

    dataset, started = sample.seed_sample("seedtest")
    assert started
    executions = _client("stepfunctions").list_executions(
        stateMachineArn=clean_cloud.env["TW_SEED_STATE_MACHINE_ARN"]
    )
    [execution] = executions["executions"]
    done = clean_cloud.wait_for_execution(execution["executionArn"], timeout=240)
    assert done["status"] == "SUCCEEDED", done.get("error")
    item = _client("dynamodb").get_item(
        TableName=clean_cloud.env["TW_TABLE_NAME"],
        Key={"pk": {"S": "TENANT#seedtest"}, "sk": {"S": f"DATASET#{dataset.dataset_id}"}},
    )["Item"]
    assert item["status"]["S"] == "ready"
    objects = _client("s3").list_objects_v2(
        Bucket=clean_cloud.env["TW_DATA_BUCKET"], Prefix="datasets/seedtest/"
    )
    assert objects["KeyCount"] >= 50


# -- SQS event-source mappings -------------------------------------------------------------------------


def test_an_sqs_message_invokes_the_mapped_handler(recorder: LocalCloud) -> None:
    _client("sqs").send_message(QueueUrl=recorder.queue_url("Work"), MessageBody="hello")
    recorder.drain_queues(timeout=30)
    [record] = _records(recorder.bucket("Records"), "sqs/hello")
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"].endswith(":LocalCloudTest-Work")


def test_a_reported_item_failure_is_retried_then_dead_lettered_while_the_rest_succeed(
    recorder: LocalCloud,
) -> None:
    sqs = _client("sqs")
    queue = recorder.queue_url("Work")
    sqs.send_message_batch(
        QueueUrl=queue,
        Entries=[{"Id": "1", "MessageBody": "poison"}, {"Id": "2", "MessageBody": "fine"}],
    )
    recorder.drain_queues(timeout=30)
    assert len(_records(recorder.bucket("Records"), "sqs/fine")) == 1
    dead = sqs.receive_message(
        QueueUrl=recorder.queue_url("WorkDlq"), AttributeNames=["All"], MaxNumberOfMessages=10
    )
    [message] = dead["Messages"]
    assert message["Body"] == "poison"
    # two deliveries to the function (maxReceiveCount) + this receive from the DLQ
    assert int(message["Attributes"]["ApproximateReceiveCount"]) == 3


# -- ticker --------------------------------------------------------------------------------------------


def test_the_ticker_fires_a_rate_schedule_at_its_time_with_its_input(recorder: LocalCloud) -> None:
    start = datetime(2030, 1, 1, tzinfo=UTC)
    now = [start]
    ticker = Ticker(clock=lambda: now[0])
    ticker.refresh()
    name = recorder.provisioned.schedules["Every5Minutes"]
    bucket = recorder.bucket("Records")
    now[0] = start + timedelta(minutes=4, seconds=59)
    assert name not in ticker.tick()
    now[0] = start + timedelta(minutes=5)
    assert name in ticker.tick()
    assert name not in ticker.tick()
    [record] = _records(bucket, "events/schedule/")
    assert record["event"] == {"source": "schedule"}
    now[0] = start + timedelta(minutes=10)
    assert name in ticker.tick()
    assert len(_records(bucket, "events/schedule/")) == 2


# -- persistence -----------------------------------------------------------------------------------------


def test_state_saved_to_disk_comes_back_after_the_cloud_is_emptied(
    clean_cloud: LocalCloud, tmp_path: Path
) -> None:
    ddb, s3, sqs = _client("dynamodb"), _client("s3"), _client("sqs")
    table, bucket, queue = (
        clean_cloud.env["TW_TABLE_NAME"],
        clean_cloud.env["TW_DATA_BUCKET"],
        clean_cloud.queue_url("ImportDeadLetters"),
    )
    item = {
        "pk": {"S": "TENANT#p"},
        "sk": {"S": "X#1"},
        "n": {"N": "42"},
        "blob": {"B": b"\x00\xff"},
        "tags": {"SS": ["a", "b"]},
    }
    ddb.put_item(TableName=table, Item=item)
    s3.put_object(
        Bucket=bucket,
        Key="uploads/p/1/source.csv",
        Body=b"a,b\n1,2\n",
        ContentType="text/csv",
        Metadata={"origin": "test"},
    )
    sqs.send_message(
        QueueUrl=queue,
        MessageBody="waiting",
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "k"}},
    )
    store = StateStore(tmp_path, [table], [bucket], [queue])
    assert store.flush() >= 3
    assert store.flush() == 0  # nothing changed: nothing rewritten

    ddb.delete_item(TableName=table, Key={"pk": item["pk"], "sk": item["sk"]})
    s3.delete_object(Bucket=bucket, Key="uploads/p/1/source.csv")
    sqs.purge_queue(QueueUrl=queue)
    assert StateStore(tmp_path, [table], [bucket], [queue]).restore() == {
        "items": 1,
        "objects": 1,
        "messages": 1,
    }

    assert ddb.get_item(TableName=table, Key={"pk": item["pk"], "sk": item["sk"]})["Item"] == item
    obj = s3.get_object(Bucket=bucket, Key="uploads/p/1/source.csv")
    assert (obj["Body"].read(), obj["ContentType"], obj["Metadata"]) == (
        b"a,b\n1,2\n",
        "text/csv",
        {"origin": "test"},
    )
    [message] = sqs.receive_message(QueueUrl=queue, MessageAttributeNames=["All"])["Messages"]
    assert message["Body"] == "waiting"
    assert message["MessageAttributes"]["kind"]["StringValue"] == "k"


def test_a_deleted_object_is_deleted_from_disk_on_the_next_flush(
    clean_cloud: LocalCloud, tmp_path: Path
) -> None:
    s3 = _client("s3")
    bucket = clean_cloud.env["TW_ARTIFACTS_BUCKET"]
    s3.put_object(Bucket=bucket, Key="a.json", Body=b"{}")
    store = StateStore(tmp_path, [], [bucket], [])
    store.flush()
    s3.delete_object(Bucket=bucket, Key="a.json")
    store.flush()
    assert not list((tmp_path / "state" / "s3" / bucket / "blobs").iterdir())
    assert json.loads((tmp_path / "state" / "s3" / bucket / "index.json").read_text()) == {}
