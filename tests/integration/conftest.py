"""The ``cloud`` fixture: the synthesized stack provisioned into an in-process moto.

It runs the same code as ``make run`` (``infra.local.cloud.bring_up``): resources from
``cdk.out/Tradewind-local.template.json``, handlers of ``functions/`` invoked in-process by moto
(Step Functions tasks, ``lambda.invoke``) and SQS event-source mappings driven by
``cloud.drain_queues()`` (deterministic: no background poller in tests; failed messages are retried
at once and reach the DLQ after the queue's ``maxReceiveCount``).

The handlers' environment (``TW_*`` names of the provisioned resources) is set in ``os.environ``
while the fixture lives; ``AWS_ENDPOINT_URL`` is unset because ``mock_aws`` intercepts boto3.

Scope: one cloud per test module (the synthesized template is shared by the session). moto's
``mock_aws`` does not reset its backends while another ``mock_aws`` is active, so a session-long
cloud would leak into (and break) every function-scoped ``mock_aws`` fixture of other modules.
Do not mix ``cloud`` and your own ``mock_aws`` in one module.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from infra.local.cloud import LOCAL_HANDLER_DEFAULTS, LocalCloud, bring_up
from infra.local.template import SynthesizedStack, synthesize

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def synthesized_stack() -> SynthesizedStack:
    """The local stage's template (synthesized only when infra/ or functions/ changed)."""
    return synthesize(ROOT)


@pytest.fixture(scope="module")
def cloud(synthesized_stack: SynthesizedStack) -> Iterator[LocalCloud]:
    """The provisioned local cloud; see the module docstring."""
    from tradewind.aws import reset_clients

    saved = dict(os.environ)
    try:
        with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
            local = bring_up(synthesized_stack, ROOT / "functions", retry_delay=0)
            os.environ.pop("AWS_ENDPOINT_URL", None)
            os.environ.update({**local.env, **LOCAL_HANDLER_DEFAULTS})
            reset_clients()
            yield local
    finally:
        os.environ.clear()
        os.environ.update(saved)
        reset_clients()


@pytest.fixture
def clean_cloud(cloud: LocalCloud) -> LocalCloud:
    """``cloud`` with every table, bucket and queue emptied first (and the API-key cache cleared)."""
    from tradewind.services import apikeys

    session = boto3.session.Session(region_name="us-east-1")
    ddb, s3, sqs = session.client("dynamodb"), session.client("s3"), session.client("sqs")
    for table in cloud.provisioned.tables.values():
        keys = [k["AttributeName"] for k in ddb.describe_table(TableName=table)["Table"]["KeySchema"]]
        for page in ddb.get_paginator("scan").paginate(
            TableName=table,
            ProjectionExpression=", ".join(f"#{i}" for i in range(len(keys))),
            ExpressionAttributeNames={f"#{i}": k for i, k in enumerate(keys)},
        ):
            with_keys = page["Items"]
            for start in range(0, len(with_keys), 25):
                batch = [{"DeleteRequest": {"Key": item}} for item in with_keys[start : start + 25]]
                ddb.batch_write_item(RequestItems={table: batch})
    for bucket in cloud.provisioned.buckets.values():
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            objects = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            if objects:
                s3.delete_objects(Bucket=bucket, Delete={"Objects": objects})
    for url in cloud.provisioned.queues.values():
        sqs.purge_queue(QueueUrl=url)
    apikeys.clear_cache()
    return cloud
