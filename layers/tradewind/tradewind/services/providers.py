"""Import from a real provider: fetch now, then hand the file to the ordinary SQS import path."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tradewind.data import bars
from tradewind.data.marketdata import QUEUED, DatasetRecord
from tradewind.errors import FieldProblem, InvalidInput, TradewindError
from tradewind.providers import yfinance as provider
from tradewind.services.datasets import check_symbol, enqueue, new_record
from tradewind.services.imports import ImportMessage


class ProviderUnavailable(TradewindError):
    """The provider could not be reached or is not installed (the ``yfinance`` extra)."""

    status = 503
    title = "Provider unavailable"


def import_yfinance(
    tenant_id: str,
    symbols: Sequence[str],
    start: date,
    end: date,
    name: str | None = None,
    *,
    download: provider.Downloader | None = None,
) -> DatasetRecord:
    """Fetch daily bars, store them as the dataset's source CSV and queue the import."""
    wanted = [check_symbol(s, ["body", "symbols", i]) or "" for i, s in enumerate(symbols)]
    if start > end:
        raise InvalidInput("start is after end", [FieldProblem(["body", "start"], "must not be after end")])
    try:
        fetched = provider.fetch_daily(wanted, start, end, download=download)
    except ImportError as exc:
        raise ProviderUnavailable("yfinance is not installed: pip install 'tradewind[yfinance]'") from exc
    except Exception as exc:  # the network, Yahoo's throttling, a changed answer: all the provider's
        raise ProviderUnavailable(f"Yahoo Finance did not answer: {exc}") from exc
    missing = [i for i, s in enumerate(wanted) if s not in set(fetched["symbol"])]
    if missing:
        raise InvalidInput(
            "no data for some symbols",
            [
                FieldProblem(["body", "symbols", i], f"Yahoo Finance has no bars for {wanted[i]}")
                for i in missing
            ],
        )
    label = name or f"Yahoo Finance {', '.join(wanted[:5])}{'...' if len(wanted) > 5 else ''}"
    record = new_record(tenant_id, label, source="yfinance", file_format="csv")
    body = provider.to_csv_bytes(fetched)
    bars.put_object(record.upload_key or "", body, "text/csv")
    record.status = QUEUED
    record.size_bytes = len(body)
    record.save(condition=DatasetRecord.pk.does_not_exist())
    enqueue(ImportMessage(tenant_id, record.dataset_id, record.upload_key or "", "csv"))
    return record
