"""Import an uploaded file into a dataset, and the publishing step every import path shares.

Validation is complete before anything is written: a bad file ends the dataset ``failed`` with the
row and column at fault and leaves no objects and no symbol rows. Publishing writes the Parquet
objects, then the symbol rows, then marks the dataset ``ready``; a crash in between raises, the queue
redelivers, and the retry rewrites the same keys (idempotent).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tradewind.data import bars
from tradewind.data.marketdata import (
    FAILED,
    FINAL_STATUSES,
    IMPORTING,
    QUEUED,
    READY,
    DatasetRecord,
    ImportProblem,
    SymbolRecord,
    bars_key,
)
from tradewind.errors import ImportFailure
from tradewind.services import symbols as symbol_search
from tradewind.services.notifications import notify_dataset_outcome

if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportMessage:
    """The SQS message body that asks the worker to import one uploaded file."""

    tenant_id: str
    dataset_id: str
    key: str
    format: str
    job_id: str | None = None  # the import's job (kind ``import``, tradewind.jobs.imports)

    @classmethod
    def parse(cls, body: dict[str, Any]) -> ImportMessage:
        job_id = body.get("job_id")
        return cls(
            str(body["tenant_id"]),
            str(body["dataset_id"]),
            str(body["key"]),
            str(body["format"]),
            None if job_id is None else str(job_id),
        )

    def to_body(self) -> dict[str, str]:
        body = {
            "tenant_id": self.tenant_id,
            "dataset_id": self.dataset_id,
            "key": self.key,
            "format": self.format,
        }
        if self.job_id is not None:
            body["job_id"] = self.job_id
        return body


@dataclass(frozen=True)
class SymbolSummary:
    """What a symbol row records about one symbol's published bars."""

    symbol: str
    rows: int
    start: datetime
    end: datetime
    description: str | None = None


def now() -> datetime:
    return datetime.now(UTC)


def run_import(message: ImportMessage) -> str:
    """Import one uploaded file; returns the outcome (``ready``, ``failed`` or ``skipped``).

    An ``ImportFailure`` (bad file) is a handled outcome. Any other exception propagates so the message
    is retried and, after the queue's receive limit, parked in the DLQ.
    """
    from tradewind.jobs import imports as import_jobs
    from tradewind.marketdata.validate import read_table, validate

    record = load(message.tenant_id, message.dataset_id)
    if record is None or record.status in FINAL_STATUSES or record.status not in {QUEUED, IMPORTING}:
        return "skipped"
    record.update(actions=[DatasetRecord.status.set(IMPORTING), DatasetRecord.updated_at.set(now())])
    announce(record)
    import_jobs.started(message.tenant_id, message.job_id)
    data = bars.read_object(message.key)
    try:
        validated = validate(read_table(data, message.format), symbol=record.symbol, timezone=record.timezone)
    except ImportFailure as failure:
        mark_failed(record, failure)
        announce(record)
        notify_dataset_outcome(record)
        import_jobs.ended(message.tenant_id, message.job_id, str(failure), None)
        return FAILED
    summaries = publish(record, validated.frames)
    mark_ready(record, summaries, ignored_columns=validated.ignored_columns)
    announce(record)
    notify_dataset_outcome(record)
    summary = {"symbols": len(summaries), "rows": sum(s.rows for s in summaries)}
    import_jobs.ended(message.tenant_id, message.job_id, None, summary)
    return READY


def announce(record: DatasetRecord) -> None:
    """Push the dataset's new status to its ``dataset:<id>`` subscribers (docs/websocket.md).

    The status is already saved; a push that cannot be delivered must not fail (and so retry) the import.
    """
    from tradewind.realtime import publish as push
    from tradewind.realtime.snapshots import DATASET_STATUS, dataset_status

    try:
        push(record.tenant_id, f"dataset:{record.dataset_id}", DATASET_STATUS, dataset_status(record))
    except Exception:
        logger.exception("could not push the status of dataset %s", record.dataset_id)


def load(tenant_id: str, dataset_id: str) -> DatasetRecord | None:
    try:
        return DatasetRecord.get(*DatasetRecord.key(tenant_id, dataset_id))
    except DatasetRecord.DoesNotExist:
        return None


def publish(record: DatasetRecord, frames: dict[str, pd.DataFrame]) -> list[SymbolSummary]:
    """Write every symbol's Parquet; returns the summaries for :func:`mark_ready`."""
    bars.write_bars({bars_key(record.tenant_id, record.dataset_id, sym): f for sym, f in frames.items()})
    return [summarize(symbol, frame) for symbol, frame in frames.items()]


def summarize(symbol: str, frame: pd.DataFrame, description: str | None = None) -> SymbolSummary:
    first, last = frame["timestamp"].iloc[0], frame["timestamp"].iloc[-1]
    return SymbolSummary(symbol, len(frame), utc_datetime(first), utc_datetime(last), description)


def utc_datetime(value: Any) -> datetime:
    moment: datetime = value.to_pydatetime()
    return moment.replace(tzinfo=UTC)


def mark_ready(
    record: DatasetRecord, summaries: Iterable[SymbolSummary], *, ignored_columns: list[str] | None = None
) -> None:
    """Write the symbol rows, then flip the dataset to ``ready`` with its counts and date range."""
    items = list(summaries)
    with SymbolRecord.batch_write() as batch:
        for item in items:
            pk, sk = SymbolRecord.key(record.tenant_id, item.symbol, record.dataset_id)
            gsi1pk, gsi1sk = SymbolRecord.dataset_index_key(record.tenant_id, record.dataset_id, item.symbol)
            batch.save(
                SymbolRecord(
                    pk,
                    sk,
                    gsi1pk=gsi1pk,
                    gsi1sk=gsi1sk,
                    tenant_id=record.tenant_id,
                    symbol=item.symbol,
                    dataset_id=record.dataset_id,
                    dataset_name=record.name,
                    synthetic=record.synthetic,
                    description=item.description,
                    rows=item.rows,
                    start_at=item.start,
                    end_at=item.end,
                    object_key=bars_key(record.tenant_id, record.dataset_id, item.symbol),
                )
            )
    record.update(
        actions=[
            DatasetRecord.status.set(READY),
            DatasetRecord.symbols_count.set(len(items)),
            DatasetRecord.rows.set(sum(i.rows for i in items)),
            DatasetRecord.start_at.set(min(i.start for i in items)),
            DatasetRecord.end_at.set(max(i.end for i in items)),
            DatasetRecord.ignored_columns.set(list(ignored_columns or [])),  # type: ignore[arg-type]
            DatasetRecord.error.remove(),
            DatasetRecord.updated_at.set(now()),
        ],
        condition=DatasetRecord.pk.exists(),
    )
    symbol_search.invalidate(record.tenant_id)


def mark_failed(record: DatasetRecord, failure: ImportFailure) -> None:
    count = failure.extra.get("count")
    problem = ImportProblem(
        message=failure.message,
        row=failure.row,
        column=failure.column,
        count=int(count) if isinstance(count, int) else None,
    )
    record.update(
        actions=[
            DatasetRecord.status.set(FAILED),
            DatasetRecord.error.set(problem),
            DatasetRecord.updated_at.set(now()),
        ],
        condition=DatasetRecord.pk.exists(),
    )
