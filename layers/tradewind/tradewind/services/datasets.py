"""Datasets: create an upload, complete it (enqueue the import), list, get, delete.

An upload is two calls around a presigned S3 PUT: ``create_upload`` records the dataset
(``awaiting_upload``) and signs a URL for ``uploads/{tenant}/{id}/source.{ext}``; ``complete_upload``
checks the object landed and is not too large, marks the dataset ``queued`` and sends the import
message that the worker consumes.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tradewind import aws
from tradewind.data import bars
from tradewind.data.keys import DATASET_ID_PATTERN
from tradewind.data.marketdata import (
    AWAITING_UPLOAD,
    QUEUED,
    DatasetRecord,
    SymbolRecord,
    dataset_prefix,
    upload_key,
)
from tradewind.data.table import query_page
from tradewind.errors import Conflict, FieldProblem, InvalidInput, NotFound
from tradewind.marketdata.universe import SYMBOL_PATTERN
from tradewind.services import symbols as symbol_search
from tradewind.services.imports import ImportMessage, now
from tradewind.settings import get_settings

CONTENT_TYPES = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet"}


@dataclass(frozen=True)
class Upload:
    """How the client sends the file: ``method`` to ``url`` with exactly these ``headers``."""

    url: str
    method: str
    headers: dict[str, str]
    expires_in: int


def new_dataset_id() -> str:
    """Time-ordered (newest sorts last) and unguessable."""
    return f"{int(time.time() * 1000):011x}{secrets.token_hex(4)}"


def create_upload(
    tenant_id: str, name: str, file_format: str, symbol: str | None = None, timezone: str | None = None
) -> tuple[DatasetRecord, Upload]:
    """Record an ``awaiting_upload`` dataset and presign the PUT of its source file."""
    symbol = check_symbol(symbol, ["body", "symbol"])
    check_timezone(timezone)
    record = new_record(
        tenant_id, name, source="upload", file_format=file_format, symbol=symbol, timezone=timezone
    )
    record.status = AWAITING_UPLOAD
    record.save(condition=DatasetRecord.pk.does_not_exist())
    expires = get_settings().presign_expiry_seconds
    content_type = CONTENT_TYPES[file_format]
    url = bars.presigned_put(record.upload_key or "", content_type, expires)
    return record, Upload(url=url, method="PUT", headers={"Content-Type": content_type}, expires_in=expires)


def new_record(
    tenant_id: str,
    name: str,
    *,
    source: str,
    file_format: str,
    symbol: str | None = None,
    timezone: str | None = None,
    dataset_id: str | None = None,
) -> DatasetRecord:
    dataset_id = dataset_id or new_dataset_id()
    moment = now()
    return DatasetRecord(
        *DatasetRecord.key(tenant_id, dataset_id),
        tenant_id=tenant_id,
        dataset_id=dataset_id,
        name=name,
        status=AWAITING_UPLOAD,
        source=source,
        synthetic=False,
        file_format=file_format,
        symbol=symbol,
        timezone=timezone,
        upload_key=upload_key(tenant_id, dataset_id, file_format),
        created_at=moment,
        updated_at=moment,
    )


def check_symbol(symbol: str | None, loc: list[str | int]) -> str | None:
    if symbol is None:
        return None
    upper = symbol.strip().upper()
    if not SYMBOL_PATTERN.match(upper):
        raise InvalidInput(
            f"invalid symbol {symbol!r}",
            [FieldProblem(loc, "letters, digits and . - = ^ _, up to 20", "string_pattern_mismatch")],
        )
    return upper


def check_timezone(timezone: str | None) -> None:
    if timezone is None:
        return
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"unknown timezone {timezone!r}",
            [FieldProblem(["body", "timezone"], "an IANA time zone such as 'America/New_York'")],
        ) from None


def complete_upload(tenant_id: str, dataset_id: str) -> DatasetRecord:
    """The client finished its PUT: check the object, mark ``queued``, enqueue the import."""
    record = get_dataset(tenant_id, dataset_id)
    if record.status != AWAITING_UPLOAD:
        raise Conflict(f"dataset {dataset_id!r} is already {record.status}")
    key = record.upload_key or ""
    size = bars.object_size(key)
    if size is None:
        raise Conflict(
            f"nothing uploaded yet for dataset {dataset_id!r}: PUT the file to the upload URL first"
        )
    limit = get_settings().max_upload_bytes
    if size == 0 or size > limit:
        reason = (
            "the uploaded file is empty" if size == 0 else f"the file is {size} bytes; the limit is {limit}"
        )
        raise InvalidInput(reason, [FieldProblem(["upload"], reason)])
    record.update(
        actions=[
            DatasetRecord.status.set(QUEUED),
            DatasetRecord.size_bytes.set(size),
            DatasetRecord.updated_at.set(now()),
        ],
        condition=DatasetRecord.status == AWAITING_UPLOAD,
    )
    from tradewind.jobs import imports as import_jobs

    file_format = record.file_format or "csv"
    job_id = import_jobs.create(tenant_id, dataset_id, record.name, file_format, size)
    try:
        enqueue(ImportMessage(tenant_id, dataset_id, key, file_format, job_id))
    except Exception as exc:  # not queued after all: let the client call complete again
        record.update(actions=[DatasetRecord.status.set(AWAITING_UPLOAD)])
        import_jobs.ended(tenant_id, job_id, f"the import could not be queued: {type(exc).__name__}", None)
        raise
    return record


def enqueue(message: ImportMessage) -> None:
    aws.client("sqs").send_message(
        QueueUrl=get_settings().import_queue_url, MessageBody=json.dumps(message.to_body())
    )


def get_dataset(tenant_id: str, dataset_id: str) -> DatasetRecord:
    if not DATASET_ID_PATTERN.match(dataset_id):
        raise NotFound(f"dataset {dataset_id!r} not found")
    try:
        return DatasetRecord.get(*DatasetRecord.key(tenant_id, dataset_id))
    except DatasetRecord.DoesNotExist:
        raise NotFound(f"dataset {dataset_id!r} not found") from None


def list_datasets(
    tenant_id: str, limit: int, start_key: dict[str, Any] | None
) -> tuple[list[DatasetRecord], dict[str, Any] | None]:
    """One page of the tenant's datasets, newest first, and the key to continue from."""
    pk, prefix = DatasetRecord.key(tenant_id)
    return query_page(
        DatasetRecord.query,
        pk,
        DatasetRecord.sk.startswith(prefix),
        limit=limit,
        start=start_key,
        newest_first=True,
    )


def delete_dataset(tenant_id: str, dataset_id: str) -> None:
    """Remove the dataset, its symbol rows, its published bars and its uploaded source."""
    record = get_dataset(tenant_id, dataset_id)
    gsi1pk, prefix = SymbolRecord.dataset_index_key(tenant_id, dataset_id)
    with SymbolRecord.batch_write() as batch:
        for row in SymbolRecord.gsi1.query(gsi1pk, SymbolRecord.gsi1sk.startswith(prefix)):
            batch.delete(row)
    bars.delete_prefix(dataset_prefix(tenant_id, dataset_id))
    bars.delete_prefix(f"uploads/{tenant_id}/{dataset_id}/")
    record.delete()
    symbol_search.invalidate(tenant_id)
