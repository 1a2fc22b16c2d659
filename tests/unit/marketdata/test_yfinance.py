"""The yfinance provider on a recorded answer (no network): reshaped rows pass the import validation."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tradewind.errors import ImportFailure
from tradewind.marketdata.validate import read_table, validate
from tradewind.providers.yfinance import fetch_daily, normalize, to_csv_bytes

RECORDED = Path(__file__).parents[2] / "fixtures" / "yfinance_download_AAPL_MSFT_2024-01.csv"


def _recorded() -> pd.DataFrame:
    """What ``yfinance.download(["AAPL", "MSFT"], group_by="column", auto_adjust=False)`` returns."""
    return pd.read_csv(RECORDED, header=[0, 1], index_col=0, parse_dates=True)


def test_fetch_asks_for_unadjusted_daily_bars_with_inclusive_end() -> None:
    calls: list[dict[str, Any]] = []

    def download(**kwargs: Any) -> pd.DataFrame:
        calls.append(kwargs)
        return _recorded()

    rows = fetch_daily(["AAPL", "MSFT"], date(2024, 1, 2), date(2024, 1, 12), download=download)
    (call,) = calls
    assert call["tickers"] == ["AAPL", "MSFT"]
    assert call["interval"] == "1d"
    assert (call["start"], call["end"]) == ("2024-01-02", "2024-01-13")
    assert call["auto_adjust"] is False
    assert call["progress"] is False
    assert len(rows) == 17  # 9 AAPL days + 8 MSFT days (no MSFT bar on 2024-01-08)


def test_normalized_rows_are_long_sorted_and_unadjusted() -> None:
    rows = normalize(_recorded(), ["AAPL", "MSFT"])
    assert list(rows.columns) == ["timestamp", "symbol", "open", "high", "low", "close", "volume"]
    assert rows["symbol"].tolist() == ["AAPL"] * 9 + ["MSFT"] * 8
    first = rows.iloc[0]
    assert (first["timestamp"], first["open"], first["close"]) == ("2024-01-02", 187.15, 185.64)
    assert "2024-01-08" not in rows[rows["symbol"] == "MSFT"]["timestamp"].tolist()


def test_provider_csv_goes_through_the_same_validation() -> None:
    result = validate(read_table(to_csv_bytes(normalize(_recorded(), ["AAPL", "MSFT"])), "csv"))
    assert sorted(result.frames) == ["AAPL", "MSFT"]
    assert result.frames["AAPL"]["volume"].iloc[0] == 82488700


def test_single_ticker_flat_columns() -> None:
    flat = _recorded().xs("AAPL", axis=1, level="Ticker")
    rows = normalize(flat, ["aapl"])
    assert set(rows["symbol"]) == {"AAPL"}
    assert len(rows) == 9


def test_a_bad_bar_from_the_provider_is_reported_by_row() -> None:
    broken = _recorded()
    broken.loc["2024-01-04", ("High", "AAPL")] = 1.0
    with pytest.raises(ImportFailure) as caught:
        validate(read_table(to_csv_bytes(normalize(broken, ["AAPL", "MSFT"])), "csv"))
    assert (caught.value.row, caught.value.column) == (4, "high")
