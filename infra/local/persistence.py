"""Keep the local cloud's data on disk: DynamoDB items, S3 objects and waiting SQS messages.

Snapshots read moto's in-memory backends directly (the moto server runs in this process): no
pagination, no HTTP, and exact bytes and attribute types. Restores go through the public APIs
(``batch_write_item``, ``put_object``, ``send_message_batch``) after provisioning, so what comes back
is validated like any write. A flush only rewrites what changed: a table file when its content
hash changed, an S3 object when its ETag changed. Files are written atomically (temp + rename).

Layout under ``<data dir>/state``::

    dynamodb/<table>.json         {"items": [<DynamoDB JSON item>, ...]}
    s3/<bucket>/index.json        {key: {"etag", "blob", "metadata"}}
    s3/<bucket>/blobs/<sha256 of key>
    sqs/<queue name>.json         {"messages": [{"body", "attributes", "group_id", "dedup_id"}]}
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import boto3

from infra.local.intrinsics import ACCOUNT_ID

log = logging.getLogger("tradewind.local.state")
T = TypeVar("T")


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)


def _stable(read: Callable[[], T], attempts: int = 5) -> T:
    """Read a moto structure that another thread may be changing; retry if it moved under us."""
    for attempt in range(attempts):
        try:
            return read()
        except RuntimeError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


class StateStore:
    """Saves and restores the data of the given tables, buckets and queues."""

    def __init__(
        self,
        data_dir: Path,
        tables: list[str],
        buckets: list[str],
        queue_urls: list[str],
        region: str = "us-east-1",
    ) -> None:
        self.root = data_dir / "state"
        self.tables = tables
        self.buckets = buckets
        self.queue_urls = queue_urls
        self.region = region
        self._table_hashes: dict[str, str] = {}
        self._bucket_index: dict[str, dict[str, dict[str, Any]]] = {}
        self._queue_hashes: dict[str, str] = {}
        self._lock = threading.Lock()

    # -- snapshot (reads moto's backends) ---------------------------------------------------------

    def flush(self) -> int:
        """Write whatever changed since the last flush; return the number of files written."""
        with self._lock:
            written = sum(self._flush_table(name) for name in self.tables)
            written += sum(self._flush_bucket(name) for name in self.buckets)
            written += sum(self._flush_queue(url) for url in self.queue_urls)
            return written

    def _flush_table(self, name: str) -> int:
        from moto.dynamodb.models import dynamodb_backends

        table = dynamodb_backends[ACCOUNT_ID][self.region].get_table(name)
        items = _stable(lambda: [item.to_json()["Attributes"] for item in table.all_items()])
        data = json.dumps({"items": items}, sort_keys=True, default=_base64).encode()
        digest = hashlib.sha256(data).hexdigest()
        if self._table_hashes.get(name) == digest:
            return 0
        _write_atomic(self.root / "dynamodb" / f"{name}.json", data)
        self._table_hashes[name] = digest
        return 1

    def _flush_bucket(self, name: str) -> int:
        from moto.s3.models import s3_backends

        bucket = s3_backends[ACCOUNT_ID]["aws"].buckets[name]
        keys = _stable(lambda: dict(bucket.keys.items()))
        folder = self.root / "s3" / name
        index = self._bucket_index.setdefault(name, self._read_index(folder))
        written = 0
        current: dict[str, dict[str, Any]] = {}
        for key, obj in keys.items():
            blob = hashlib.sha256(key.encode()).hexdigest()
            entry = {"etag": obj.etag, "blob": blob, "metadata": dict(obj.metadata)}
            if index.get(key) != entry:
                _write_atomic(folder / "blobs" / blob, obj.value)
                written += 1
            current[key] = entry
        for key, entry in index.items():
            if key not in current:
                (folder / "blobs" / entry["blob"]).unlink(missing_ok=True)
                written += 1
        if written:
            _write_atomic(folder / "index.json", json.dumps(current, sort_keys=True).encode())
            self._bucket_index[name] = current
        return written

    @staticmethod
    def _read_index(folder: Path) -> dict[str, dict[str, Any]]:
        path = folder / "index.json"
        return json.loads(path.read_text()) if path.exists() else {}

    def _flush_queue(self, url: str) -> int:
        from moto.sqs.models import sqs_backends

        name = url.rstrip("/").rsplit("/", 1)[-1]
        queue = sqs_backends[ACCOUNT_ID][self.region].queues[name]
        messages = _stable(
            lambda: [
                {
                    "body": m.body,
                    "attributes": m.message_attributes,
                    "group_id": m.group_id,
                    "dedup_id": m.deduplication_id,
                }
                for m in list(queue._messages)
            ]
        )
        data = json.dumps({"messages": messages}, sort_keys=True, default=str).encode()
        digest = hashlib.sha256(data).hexdigest()
        if self._queue_hashes.get(url) == digest:
            return 0
        _write_atomic(self.root / "sqs" / f"{name}.json", data)
        self._queue_hashes[url] = digest
        return 1

    # -- restore (public APIs) ----------------------------------------------------------------------

    def restore(self) -> dict[str, int]:
        """Load the saved state into the freshly provisioned resources; return counts per kind."""
        session = boto3.session.Session(region_name=self.region)
        counts = {"items": 0, "objects": 0, "messages": 0}
        ddb = session.client("dynamodb")
        for name in self.tables:
            path = self.root / "dynamodb" / f"{name}.json"
            if path.exists():
                counts["items"] += _put_items(ddb, name, json.loads(path.read_text())["items"])
        s3 = session.client("s3")
        for name in self.buckets:
            folder = self.root / "s3" / name
            for key, entry in self._read_index(folder).items():
                metadata = entry["metadata"]
                user = {
                    k.removeprefix("x-amz-meta-"): v
                    for k, v in metadata.items()
                    if k.startswith("x-amz-meta-")
                }
                s3.put_object(
                    Bucket=name,
                    Key=key,
                    Body=(folder / "blobs" / entry["blob"]).read_bytes(),
                    ContentType=metadata.get("content-type", "binary/octet-stream"),
                    Metadata=user,
                )
                counts["objects"] += 1
        sqs = session.client("sqs")
        for url in self.queue_urls:
            path = self.root / "sqs" / f"{url.rstrip('/').rsplit('/', 1)[-1]}.json"
            if path.exists():
                counts["messages"] += _send_messages(sqs, url, json.loads(path.read_text())["messages"])
        return counts


def _base64(value: Any) -> str:
    """Binary attribute values (bytes in moto's memory) are saved the way DynamoDB JSON has them."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _put_items(ddb: Any, table: str, items: list[dict[str, Any]]) -> int:
    for start in range(0, len(items), 25):
        requests: dict[str, Any] = {
            table: [{"PutRequest": {"Item": _binary(item)}} for item in items[start : start + 25]]
        }
        while requests:
            requests = ddb.batch_write_item(RequestItems=requests).get("UnprocessedItems") or {}
    return len(items)


def _binary(value: Any) -> Any:
    """moto's JSON form holds binary values base64-encoded; boto3 wants bytes back."""
    if isinstance(value, dict):
        if set(value) == {"B"}:
            return {"B": base64.b64decode(value["B"])}
        if set(value) == {"BS"}:
            return {"BS": [base64.b64decode(v) for v in value["BS"]]}
        return {k: _binary(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_binary(v) for v in value]
    return value


def _send_messages(sqs: Any, url: str, messages: list[dict[str, Any]]) -> int:
    for start in range(0, len(messages), 10):
        entries = []
        for i, message in enumerate(messages[start : start + 10]):
            entry: dict[str, Any] = {"Id": str(i), "MessageBody": message["body"]}
            if message.get("attributes"):
                entry["MessageAttributes"] = message["attributes"]
            if message.get("group_id"):
                entry["MessageGroupId"] = message["group_id"]
            if message.get("dedup_id"):
                entry["MessageDeduplicationId"] = message["dedup_id"]
            entries.append(entry)
        sqs.send_message_batch(QueueUrl=url, Entries=entries)
    return len(messages)


class FlushLoop:
    """Flushes every ``interval`` seconds while ``changed`` is set, and once more on stop."""

    def __init__(self, store: StateStore, changed: threading.Event, interval: float = 2.0) -> None:
        self.store = store
        self.changed = changed
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="state-flush", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            if self.changed.is_set():
                self.changed.clear()
                try:
                    self.store.flush()
                except Exception:
                    self.changed.set()
                    log.exception("saving local state failed; will retry")

    def stop(self) -> None:
        """Stop the loop and write the final state."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self.store.flush()
