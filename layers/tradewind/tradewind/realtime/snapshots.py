"""The current state of what a topic is about, sent to a client the moment it subscribes.

Without it a client that subscribes after the fact (a dataset finished importing, a job completed)
would wait for a next message that never comes. Each entry maps a topic prefix to a function of
``(tenant_id, id)`` returning ``(type, payload)`` or ``None``; it reads through the tenant given, so
a snapshot can never show another tenant's record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tradewind.data.marketdata import DatasetRecord

Snapshot = tuple[str, dict[str, Any]]

DATASET_STATUS = "dataset.status"


def dataset_status(record: DatasetRecord) -> dict[str, Any]:
    """The payload of ``dataset.status`` messages: the snapshot and every later status change."""
    error = record.error
    return {
        "dataset_id": record.dataset_id,
        "status": record.status,
        "synthetic": bool(record.synthetic),
        "symbols_count": record.symbols_count or 0,
        "rows": record.rows or 0,
        "error": None
        if error is None
        else {"message": error.message, "row": error.row, "column": error.column, "count": error.count},
        "updated_at": record.updated_at,
    }


def _dataset(tenant_id: str, dataset_id: str) -> Snapshot | None:
    from tradewind.errors import NotFound
    from tradewind.services.datasets import get_dataset

    try:
        record = get_dataset(tenant_id, dataset_id)
    except NotFound:
        return None
    return DATASET_STATUS, dataset_status(record)


def _job(tenant_id: str, job_id: str) -> Snapshot | None:
    """A finished job's ``job.completed``/``job.failed``, else its ``job.progress`` (see jobs.views)."""
    from tradewind.jobs.records import get_record
    from tradewind.jobs.views import job_message

    record = get_record(tenant_id, job_id)
    return None if record is None else job_message(record)


PROVIDERS: dict[str, Callable[[str, str], Snapshot | None]] = {"dataset": _dataset, "job": _job}


def snapshot(tenant_id: str, topic: str) -> Snapshot | None:
    """``(type, payload)`` describing ``topic`` now, or ``None`` (no provider, or nothing there)."""
    prefix, separator, identifier = topic.partition(":")
    provider = PROVIDERS.get(prefix) if separator else None
    return provider(tenant_id, identifier) if provider else None
