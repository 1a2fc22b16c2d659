"""What the schedule and command API tests share: the stage's schedule group and the commands queue
in moto, and the ``TW_SCHEDULE_*`` / ``TW_COMMAND_QUEUE_URL`` variables the stack sets."""

from __future__ import annotations

import pytest
from tradewind.aws import client, reset_clients

GROUP = "tradewind-test"
FIRE_ARN = "arn:aws:lambda:us-east-1:123456789012:function:tw-test-schedule-fire"
ROLE_ARN = "arn:aws:iam::123456789012:role/tw-test-scheduler"


def provision_schedules(monkeypatch: pytest.MonkeyPatch) -> str:
    """The schedule group and the commands queue; returns the queue's URL."""
    client("scheduler").create_schedule_group(Name=GROUP)
    url = client("sqs").create_queue(QueueName="tw-test-commands")["QueueUrl"]
    for name, value in {
        "TW_SCHEDULE_GROUP": GROUP,
        "TW_SCHEDULE_FIRE_ARN": FIRE_ARN,
        "TW_SCHEDULE_ROLE_ARN": ROLE_ARN,
        "TW_COMMAND_QUEUE_URL": url,
    }.items():
        monkeypatch.setenv(name, value)
    reset_clients()
    return str(url)
