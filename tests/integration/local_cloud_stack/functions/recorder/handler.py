"""Test handler for the local-cloud machinery: records every event it gets in S3.

SQS records whose body is ``poison`` are reported as failed items; an event with ``"fail": true``
raises, so Step Functions ``Catch`` and Lambda error payloads can be observed.
"""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

import boto3


def _put(key: str, data: Any) -> None:
    boto3.client("s3").put_object(
        Bucket=os.environ["RECORDS_BUCKET"], Key=key, Body=json.dumps(data).encode()
    )


class RecorderFailure(Exception):
    """Raised on purpose; its name is what ``Catch`` matches."""


def record(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if "Records" in event:
        failures = []
        for item in event["Records"]:
            if item["body"] == "poison":
                failures.append({"itemIdentifier": item["messageId"]})
            else:
                _put(f"sqs/{item['body']}.json", item)
        return {"batchItemFailures": failures}
    if event.get("fail"):
        raise RecorderFailure("asked to fail")
    _put(
        f"events/{event.get('source', 'direct')}/{uuid.uuid4().hex}.json",
        {
            "event": event,
            "function": context.function_name,
            "remaining_ms": context.get_remaining_time_in_millis(),
        },
    )
    return {"recorded": True, "echo": event}
