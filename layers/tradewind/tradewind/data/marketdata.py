"""Records of the main table for market data: datasets and the symbols they publish.

Keys (docs/architecture.md): a dataset is ``TENANT#{t}`` / ``DATASET#{id}``; a symbol of a dataset is
``TENANT#{t}`` / ``SYMBOL#{SYMBOL}#{id}`` so a prefix query on ``SYMBOL#{q}`` is the autocomplete, and
``gsi1`` (``TENANT#{t}`` / ``DSYM#{id}#{SYMBOL}``) lists one dataset's symbols for deletion.
"""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from tradewind.data.table import Gsi1, MainTableModel, tenant_pk

# Dataset lifecycle: awaiting_upload -> queued -> importing -> ready | failed (sample: importing -> ready).
AWAITING_UPLOAD, QUEUED, IMPORTING, READY, FAILED = (
    "awaiting_upload",
    "queued",
    "importing",
    "ready",
    "failed",
)
FINAL_STATUSES = frozenset({READY, FAILED})


class ImportProblem(MapAttribute[str, object]):
    """Why an import failed and where: 1-based file row (header = row 1) and column."""

    message = UnicodeAttribute()
    row = NumberAttribute(null=True)
    column = UnicodeAttribute(null=True)
    count = NumberAttribute(null=True)


class DatasetRecord(MainTableModel):
    """One dataset of a tenant: its source, import status and, once ready, what it holds."""

    tenant_id = UnicodeAttribute()
    dataset_id = UnicodeAttribute()
    name = UnicodeAttribute()
    status = UnicodeAttribute()
    source = UnicodeAttribute()  # upload | sample | yfinance
    synthetic = BooleanAttribute(default=False)
    file_format = UnicodeAttribute(null=True)  # csv | parquet
    symbol = UnicodeAttribute(null=True)  # the symbol of a single-symbol file without a symbol column
    timezone = UnicodeAttribute(null=True)
    upload_key = UnicodeAttribute(null=True)
    size_bytes = NumberAttribute(null=True)
    error = ImportProblem(null=True)
    symbols_count = NumberAttribute(default=0)
    rows = NumberAttribute(default=0)
    start_at = UTCDateTimeAttribute(null=True)
    end_at = UTCDateTimeAttribute(null=True)
    ignored_columns = ListAttribute(of=UnicodeAttribute, null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()

    @staticmethod
    def key(tenant_id: str, dataset_id: str = "") -> tuple[str, str]:
        """``pk``/``sk`` of a dataset (an empty id gives the prefix of every dataset)."""
        return tenant_pk(tenant_id), f"DATASET#{dataset_id}"


class SymbolRecord(MainTableModel):
    """A symbol published by a ready dataset, with the dataset's label for autocomplete."""

    tenant_id = UnicodeAttribute()
    symbol = UnicodeAttribute()
    dataset_id = UnicodeAttribute()
    dataset_name = UnicodeAttribute()
    synthetic = BooleanAttribute(default=False)
    description = UnicodeAttribute(null=True)
    rows = NumberAttribute()
    start_at = UTCDateTimeAttribute()
    end_at = UTCDateTimeAttribute()
    object_key = UnicodeAttribute()
    gsi1: Gsi1[SymbolRecord] = Gsi1()

    @staticmethod
    def key(tenant_id: str, symbol: str = "", dataset_id: str | None = None) -> tuple[str, str]:
        """``pk``/``sk``; without ``dataset_id`` the ``sk`` is a prefix (``SYMBOL#AB`` for autocomplete)."""
        suffix = "" if dataset_id is None else f"#{dataset_id}"
        return tenant_pk(tenant_id), f"SYMBOL#{symbol}{suffix}"

    @staticmethod
    def dataset_index_key(tenant_id: str, dataset_id: str, symbol: str = "") -> tuple[str, str]:
        """``gsi1`` keys: every symbol of one dataset shares the ``DSYM#{id}#`` prefix."""
        return tenant_pk(tenant_id), f"DSYM#{dataset_id}#{symbol}"


def upload_key(tenant_id: str, dataset_id: str, file_format: str) -> str:
    """Where the presigned PUT lands the source file."""
    return f"uploads/{tenant_id}/{dataset_id}/source.{file_format}"


def dataset_prefix(tenant_id: str, dataset_id: str) -> str:
    """Every published object of a dataset (Parquet partitioned by symbol) is under this prefix."""
    return f"datasets/{tenant_id}/{dataset_id}/"


def bars_key(tenant_id: str, dataset_id: str, symbol: str) -> str:
    """One symbol's bars."""
    return f"{dataset_prefix(tenant_id, dataset_id)}symbol={symbol}/bars.parquet"
