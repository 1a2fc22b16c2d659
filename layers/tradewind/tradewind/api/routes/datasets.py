"""Dataset routes: upload (presigned PUT + complete), the sample universe, yfinance, list/get/delete.

The use cases are imported inside the routes: they load pynamodb and boto3, which the API Lambda's
cold import leaves to the first request that needs them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, Field

from tradewind.api.auth import Tenant
from tradewind.api.errors import problems
from tradewind.api.pagination import Limit, NextToken, Page, decode_token, encode_token
from tradewind.api.params import SYMBOL_PADDED
from tradewind.data.keys import DATASET_ID_PATTERN, tenant_pk
from tradewind.text import Name

if TYPE_CHECKING:
    from tradewind.data.marketdata import DatasetRecord

router = APIRouter(prefix="/datasets", tags=["datasets"])

DatasetId = Annotated[str, Path(pattern=DATASET_ID_PATTERN.pattern, examples=["0193a1b2c3d4e5f6a7b"])]


class ImportErrorOut(BaseModel):
    """Where a file failed: ``row`` is 1-based with the header as row 1; ``count`` rows share the problem."""

    message: str
    row: int | None = None
    column: str | None = None
    count: int | None = None


class DatasetOut(BaseModel):
    dataset_id: str
    name: str = Field(description="a synthetic dataset's name says so: 'Sample universe (synthetic)'")
    status: Literal["awaiting_upload", "queued", "importing", "ready", "failed"]
    source: Literal["upload", "sample", "yfinance"]
    synthetic: bool = Field(description="true for generated data: label it wherever it shows")
    format: str | None = None
    symbol: str | None = None
    timezone: str | None = None
    size_bytes: int | None = None
    symbols_count: int = 0
    rows: int = 0
    start: datetime | None = None
    end: datetime | None = None
    error: ImportErrorOut | None = None
    ignored_columns: list[str] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, r: DatasetRecord) -> DatasetOut:
        error = None
        if r.error is not None:
            error = ImportErrorOut(
                message=r.error.message,
                row=None if r.error.row is None else int(r.error.row),
                column=r.error.column,
                count=None if r.error.count is None else int(r.error.count),
            )
        return cls(
            dataset_id=r.dataset_id,
            name=r.name,
            status=r.status,  # type: ignore[arg-type]
            source=r.source,  # type: ignore[arg-type]
            synthetic=bool(r.synthetic),
            format=r.file_format,
            symbol=r.symbol,
            timezone=r.timezone,
            size_bytes=None if r.size_bytes is None else int(r.size_bytes),
            symbols_count=int(r.symbols_count or 0),
            rows=int(r.rows or 0),
            start=r.start_at,
            end=r.end_at,
            error=error,
            ignored_columns=[str(c) for c in r.ignored_columns or []],
            created_at=r.created_at,
            updated_at=r.updated_at,
        )


class DatasetCreate(BaseModel):
    name: Name = Field(min_length=1, max_length=128)
    format: Literal["csv", "parquet"]
    symbol: str | None = Field(
        default=None,
        pattern=SYMBOL_PADDED,
        description="the symbol of a single-symbol file without a symbol column (upper-cased)",
    )
    timezone: str | None = Field(default=None, description="IANA zone of naive timestamps (default UTC)")


class UploadOut(BaseModel):
    url: str
    method: Literal["PUT"]
    headers: dict[str, str]
    expires_in: int


class DatasetCreated(BaseModel):
    dataset: DatasetOut
    upload: UploadOut


class SampleSeeding(BaseModel):
    dataset: DatasetOut
    started: bool = Field(description="false when the sample already exists or is being seeded")


class YfinanceImport(BaseModel):
    symbols: list[Annotated[str, Field(pattern=SYMBOL_PADDED)]] = Field(min_length=1, max_length=50)
    start: date
    end: date
    name: Name | None = Field(default=None, min_length=1, max_length=128)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a dataset and get its upload URL")
def create(tenant: Tenant, body: DatasetCreate) -> DatasetCreated:
    from tradewind.services import datasets

    record, upload = datasets.create_upload(tenant, body.name, body.format, body.symbol, body.timezone)
    return DatasetCreated(dataset=DatasetOut.of(record), upload=UploadOut(**vars(upload)))


@router.post("/sample", status_code=status.HTTP_202_ACCEPTED, summary="Seed the synthetic sample universe")
def seed_sample(tenant: Tenant) -> SampleSeeding:
    from tradewind.services import sample

    record, started = sample.seed_sample(tenant)
    return SampleSeeding(dataset=DatasetOut.of(record), started=started)


@router.post(
    "/import/yfinance",
    responses=problems(503),
    status_code=status.HTTP_202_ACCEPTED,
    summary="Import daily bars from Yahoo Finance",
)
def import_yfinance(tenant: Tenant, body: YfinanceImport) -> DatasetOut:
    from tradewind.services import providers

    return DatasetOut.of(providers.import_yfinance(tenant, body.symbols, body.start, body.end, body.name))


@router.get("", summary="List your datasets, newest first")
def list_all(tenant: Tenant, limit: Limit = 50, next_token: NextToken = None) -> Page[DatasetOut]:
    from tradewind.services import datasets

    start = decode_token(next_token, partition=tenant_pk(tenant))
    items, last = datasets.list_datasets(tenant, limit, start)
    return Page(items=[DatasetOut.of(r) for r in items], next_token=encode_token(last))


@router.get(
    "/{dataset_id}", responses=problems(404), summary="Get a dataset: status, error, symbols, date range"
)
def get(tenant: Tenant, dataset_id: DatasetId) -> DatasetOut:
    from tradewind.services import datasets

    return DatasetOut.of(datasets.get_dataset(tenant, dataset_id))


@router.post(
    "/{dataset_id}/complete",
    responses=problems(404, 409),
    status_code=status.HTTP_202_ACCEPTED,
    summary="Start the import of the uploaded file",
)
def complete(tenant: Tenant, dataset_id: DatasetId) -> DatasetOut:
    from tradewind.services import datasets

    return DatasetOut.of(datasets.complete_upload(tenant, dataset_id))


@router.delete(
    "/{dataset_id}",
    responses=problems(404),
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a dataset and its data",
)
def delete(tenant: Tenant, dataset_id: DatasetId) -> None:
    from tradewind.services import datasets

    datasets.delete_dataset(tenant, dataset_id)
