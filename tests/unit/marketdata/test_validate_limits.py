"""Value limits of an import: a non-finite (``1e400`` reads as inf) or absurd price or volume fails
the file with its row and column, so every published bar is finite and within the limits."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tradewind.errors import ImportFailure
from tradewind.marketdata.parquet import to_parquet_bytes
from tradewind.marketdata.validate import MAX_PRICE, MAX_VOLUME, read_table, validate

HEADER = "date,symbol,open,high,low,close,volume\n"
GOOD = "2024-01-02,AAA,10,11,9,10.5,100"


def _failure(data: bytes, file_format: str = "csv", symbol: str | None = None) -> ImportFailure:
    with pytest.raises(ImportFailure) as caught:
        validate(read_table(data, file_format), symbol=symbol)
    return caught.value


@pytest.mark.parametrize(
    ("row", "column", "text"),
    [
        ("2024-01-03,AAA,1e400,1e400,9,10.5,100", "open", "'inf' is not a finite number"),
        ("2024-01-03,AAA,10,inf,9,10.5,100", "high", "'inf' is not a finite number"),
        ("2024-01-03,AAA,10,11,-inf,10.5,100", "low", "'-inf' is not a finite number"),
        ("2024-01-03,AAA,10,11,9,10.5,Infinity", "volume", "'inf' is not a finite number"),
        ("2024-01-03,AAA,10,2e12,9,10.5,100", "high", "high 2e+12 is above the limit of 1e+12"),
        ("2024-01-03,AAA,10,11,9,10.5,2e15", "volume", "volume 2e+15 is above the limit of 1e+15"),
    ],
)
def test_a_non_finite_or_absurd_value_fails_the_file_at_its_row_and_column(
    row: str, column: str, text: str
) -> None:
    failure = _failure((HEADER + f"{GOOD}\n{row}\n").encode())
    assert (failure.row, failure.column) == (3, column)
    assert failure.message.startswith(text), failure.message


def test_parquet_infinities_fail_too() -> None:
    frame = pd.DataFrame(
        {
            "timestamp": pd.to_datetime(["2024-01-02", "2024-01-03"]),
            "open": [10.0, 10.0],
            "high": [11.0, 11.0],
            "low": [9.0, 9.0],
            "close": [10.5, math.inf],
            "volume": [100.0, 100.0],
        }
    )
    failure = _failure(to_parquet_bytes(frame), "parquet", symbol="AAA")
    assert (failure.row, failure.column) == (3, "close")


_value = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([MAX_PRICE, MAX_PRICE * 1.01, MAX_VOLUME, MAX_VOLUME * 1.01, 0.0, -1.0]),
)


@settings(max_examples=200, deadline=None)
@given(column=st.sampled_from(["open", "high", "low", "close", "volume"]), value=_value)
def test_any_value_in_any_cell_publishes_finite_bars_or_fails_at_that_cell(column: str, value: float) -> None:
    cells = {"open": "10", "high": "11", "low": "9", "close": "10.5", "volume": "100"}
    cells[column] = repr(value)
    row = "2024-01-03,AAA," + ",".join(cells[c] for c in ("open", "high", "low", "close", "volume"))
    data = (HEADER + f"{GOOD}\n{row}\n").encode()
    limit = MAX_VOLUME if column == "volume" else MAX_PRICE
    if not -limit <= value <= limit:
        failure = _failure(data)
        assert (failure.row, failure.column) == (3, column), failure
        return
    try:
        validated = validate(read_table(data, "csv"))
    except ImportFailure as failure:
        problem = failure  # another rule (high >= low, > 0...) may name another column of the row
    else:
        bars = validated.frames["AAA"]
        assert np.isfinite(bars[["open", "high", "low", "close", "volume"]].to_numpy()).all()
        assert (bars[["open", "high", "low", "close"]].to_numpy() <= MAX_PRICE).all()
        assert (bars["volume"].to_numpy() <= MAX_VOLUME).all()
        return
    assert problem.row == 3, problem
