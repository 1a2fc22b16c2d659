"""Poll SQS event-source mappings the way the Lambda service does.

moto's own mapping invokes the function synchronously inside ``SendMessage`` (the sender waits for
the whole import), ignores partial batch responses and never retries. The local poller instead
receives batches, invokes the function through moto's ``lambda.invoke`` (the in-process runtime),
deletes what succeeded, and makes failed messages visible again after ``retry_delay`` seconds; the
queue's redrive policy (enforced by moto on receive) moves poison messages to the DLQ.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

import boto3

from infra.local.intrinsics import ACCOUNT_ID
from infra.local.provision import EventSourceSpec

log = logging.getLogger("tradewind.local.sqs")


def _lambda_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {
            "stringValue": value.get("StringValue"),
            "binaryValue": value.get("BinaryValue"),
            "stringListValues": [],
            "binaryListValues": [],
            "dataType": value["DataType"],
        }
        for name, value in attributes.items()
    }


def take_over(sources: list[EventSourceSpec], region: str = "us-east-1") -> None:
    """Stop moto from invoking these mappings itself on ``SendMessage``: the poller does it.

    moto keeps the mapping (``list_event_source_mappings`` still shows it) and triggers it from the
    queue's private ``lambda_event_source_mappings``; removing it there is what hands over.
    """
    from moto.sqs.models import sqs_backends

    wanted = {source.uuid for source in sources}
    for queue in sqs_backends[ACCOUNT_ID][region].queues.values():
        for arn, mapping in list(queue.lambda_event_source_mappings.items()):
            if mapping.uuid in wanted:
                del queue.lambda_event_source_mappings[arn]


class EventSourcePoller:
    """Receives from each enabled mapping's queue and invokes its function in-process."""

    def __init__(
        self, sources: list[EventSourceSpec], region: str = "us-east-1", retry_delay: int = 1
    ) -> None:
        self.sources = [source for source in sources if source.enabled]
        self.region = region
        self.retry_delay = retry_delay
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._arns: dict[str, str] = {}

    def _clients(self) -> tuple[Any, Any]:
        session = boto3.session.Session(region_name=self.region)
        return session.client("sqs"), session.client("lambda")

    def poll_once(self, source: EventSourceSpec, wait_seconds: int = 0, clients: Any = None) -> int:
        """Receive one batch and process it; return how many messages were received."""
        sqs, lam = clients or self._clients()
        messages = sqs.receive_message(
            QueueUrl=source.queue_url,
            MaxNumberOfMessages=min(source.batch_size, 10),
            WaitTimeSeconds=wait_seconds,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0
        failed = self._invoke(source, messages, sqs, lam)
        done = [m for m in messages if m["MessageId"] not in failed]
        for start in range(0, len(done), 10):
            sqs.delete_message_batch(
                QueueUrl=source.queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                    for i, m in enumerate(done[start : start + 10])
                ],
            )
        retry = [m for m in messages if m["MessageId"] in failed]
        if retry:
            sqs.change_message_visibility_batch(
                QueueUrl=source.queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": self.retry_delay}
                    for i, m in enumerate(retry)
                ],
            )
        return len(messages)

    def _invoke(
        self, source: EventSourceSpec, messages: list[dict[str, Any]], sqs: Any, lam: Any
    ) -> set[str]:
        """Invoke the function with an SQS event; return the ids of the messages that failed."""
        arn = self._arns.get(source.queue_url)
        if arn is None:
            attrs = sqs.get_queue_attributes(QueueUrl=source.queue_url, AttributeNames=["QueueArn"])
            arn = self._arns[source.queue_url] = attrs["Attributes"]["QueueArn"]
        event = {
            "Records": [
                {
                    "messageId": m["MessageId"],
                    "receiptHandle": m["ReceiptHandle"],
                    "body": m["Body"],
                    "attributes": m.get("Attributes", {}),
                    "messageAttributes": _lambda_attributes(m.get("MessageAttributes", {})),
                    "md5OfBody": m["MD5OfBody"],
                    "eventSource": "aws:sqs",
                    "eventSourceARN": arn,
                    "awsRegion": self.region,
                }
                for m in messages
            ]
        }
        response = lam.invoke(FunctionName=source.function_name, Payload=json.dumps(event).encode())
        every = {m["MessageId"] for m in messages}
        payload = response["Payload"].read()
        if response.get("FunctionError"):
            log.warning("%s failed on %d message(s); they will be retried", source.function_name, len(every))
            return every
        if not source.report_batch_item_failures:
            return set()
        try:
            result = json.loads(payload or b"null")
            failures = result.get("batchItemFailures", []) if isinstance(result, dict) else []
            failed = {item["itemIdentifier"] for item in failures}
        except (ValueError, TypeError, KeyError):
            return every
        if failed:
            log.warning("%s reported %d failed item(s)", source.function_name, len(failed))
        return failed if failed <= every else every

    def drain(self, timeout: float = 60.0) -> None:
        """Process every queue until all are empty (retries and DLQ moves included)."""
        clients = self._clients()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            received = sum(self.poll_once(source, clients=clients) for source in self.sources)
            if received == 0 and all(self._empty(source, clients[0]) for source in self.sources):
                return
            if received == 0:
                time.sleep(0.05)
        raise TimeoutError(f"queues not drained within {timeout} s")

    @staticmethod
    def _empty(source: EventSourceSpec, sqs: Any) -> bool:
        names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        attrs = sqs.get_queue_attributes(QueueUrl=source.queue_url, AttributeNames=names)["Attributes"]
        return all(int(attrs.get(name, 0)) == 0 for name in names)

    def start(self) -> None:
        """One long-polling thread per mapping."""
        for source in self.sources:
            thread = threading.Thread(
                target=self._loop, args=(source,), name=f"sqs-{source.function_name}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def _loop(self, source: EventSourceSpec) -> None:
        clients = self._clients()
        while not self._stop.is_set():
            try:
                self.poll_once(source, wait_seconds=1, clients=clients)
            except Exception:
                if self._stop.is_set():
                    return
                log.exception("polling %s failed", source.queue_url)
                self._stop.wait(1.0)

    def stop(self) -> None:
        """Stop polling (threads finish their current batch)."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
