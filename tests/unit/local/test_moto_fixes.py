"""The local cloud's moto fixes that change data semantics: transactions under concurrent writers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from infra.local import moto_fixes

TABLE = "fixes"


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "t",
        "AWS_SECRET_ACCESS_KEY": "t",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    moto_fixes.install()
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield client


def _put(client: Any, pk: str, n: int) -> None:
    client.put_item(TableName=TABLE, Item={"pk": {"S": pk}, "n": {"N": str(n)}})


def _cancelled_transaction(client: Any, new_pk: str) -> None:
    """Put ``new_pk`` and bump ``counter``, on a condition that never holds: cancelled."""
    with pytest.raises(ClientError, match="TransactionCanceled"):
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": TABLE, "Item": {"pk": {"S": new_pk}, "n": {"N": "1"}}}},
                {
                    "Update": {
                        "TableName": TABLE,
                        "Key": {"pk": {"S": "counter"}},
                        "UpdateExpression": "ADD n :one",
                        "ConditionExpression": "n = :never",
                        "ExpressionAttributeValues": {":one": {"N": "1"}, ":never": {"N": "-1"}},
                    }
                },
            ]
        )


def test_a_cancelled_transaction_restores_only_its_own_items(dynamodb: Any) -> None:
    _put(dynamodb, "counter", 5)
    _cancelled_transaction(dynamodb, "ghost")
    assert "Item" not in dynamodb.get_item(TableName=TABLE, Key={"pk": {"S": "ghost"}})
    counter = dynamodb.get_item(TableName=TABLE, Key={"pk": {"S": "counter"}})["Item"]
    assert counter["n"] == {"N": "5"}


def test_concurrent_writes_survive_cancelled_transactions(dynamodb: Any) -> None:
    """Unpatched moto swaps a whole-table copy back in on cancel, erasing writes made meanwhile."""
    _put(dynamodb, "counter", 0)
    for i in range(5_000):  # a table big enough that copying it takes a while
        _put(dynamodb, f"filler-{i}", i)
    errors: list[BaseException] = []

    def writer(prefix: str) -> None:
        try:
            for i in range(300):
                _put(dynamodb, f"{prefix}-{i}", i)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    def canceller() -> None:
        try:
            for i in range(15):
                _cancelled_transaction(dynamodb, f"ghost-{i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"w{n}",)) for n in range(2)]
    threads.append(threading.Thread(target=canceller))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    kept = {
        item["pk"]["S"]
        for page in dynamodb.get_paginator("scan").paginate(TableName=TABLE)
        for item in page["Items"]
    }
    assert {f"w{n}-{i}" for n in range(2) for i in range(300)} <= kept
    assert not any(pk.startswith("ghost") for pk in kept)


def test_an_execution_snapshot_of_a_state_machine_copies_no_history(dynamodb: Any) -> None:
    """``start_execution`` deep-copies its state machine: the copy keeps the definition but neither
    the backend nor earlier executions (each run copied all history before it: exponential)."""
    import copy

    from moto.stepfunctions.models import stepfunctions_backends

    client = boto3.client("stepfunctions", region_name="us-east-1")
    definition = '{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}'
    arn = client.create_state_machine(
        name="snap", definition=definition, roleArn="arn:aws:iam::123456789012:role/r"
    )["stateMachineArn"]
    backend = stepfunctions_backends["123456789012"]["us-east-1"]
    machine = backend.describe_state_machine(arn)
    machine.executions.append(object())  # stands for an earlier execution

    snapshot = copy.deepcopy(machine)

    assert snapshot.executions == []
    assert len(machine.executions) == 1
    assert snapshot.backend is machine.backend
    assert (snapshot.definition, snapshot.roleArn, snapshot.sm_type) == (
        definition,
        machine.roleArn,
        "STANDARD",
    )
    assert snapshot.loggingConfiguration == machine.loggingConfiguration
    assert snapshot.loggingConfiguration is not machine.loggingConfiguration
