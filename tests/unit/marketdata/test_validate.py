"""File validation: every rule names the first bad row (header = row 1), its column and a count."""

from __future__ import annotations

import pandas as pd
import pytest
from tradewind.errors import ImportFailure
from tradewind.marketdata.parquet import to_parquet_bytes
from tradewind.marketdata.validate import ValidatedBars, read_table, validate

HEADER = "date,symbol,open,high,low,close,volume\n"
GOOD_ROWS = [
    "2024-01-02,AAA,10,11,9,10.5,100",
    "2024-01-02,BBB,20,21,19,20.5,200",
    "2024-01-03,AAA,10.5,11.5,10,11,150",
    "2024-01-03,BBB,20.5,22,20,21,250",
]


def _csv(rows: list[str], header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode()


def _check(data: bytes, fmt: str = "csv", **options: str) -> ValidatedBars:
    return validate(read_table(data, fmt), **options)  # type: ignore[arg-type]


def _failure(rows: list[str], header: str = HEADER, **options: str) -> ImportFailure:
    with pytest.raises(ImportFailure) as caught:
        _check(_csv(rows, header), **options)
    return caught.value


def test_good_file_splits_by_symbol_in_time_order() -> None:
    result = _check(_csv(GOOD_ROWS))
    assert sorted(result.frames) == ["AAA", "BBB"]
    aaa = result.frames["AAA"]
    assert list(aaa.columns) == ["timestamp", "open", "high", "low", "close", "volume"]
    assert aaa["close"].tolist() == [10.5, 11.0]
    assert [str(t.date()) for t in aaa["timestamp"]] == ["2024-01-02", "2024-01-03"]
    assert result.rows == 4
    assert str(result.start.date()) == "2024-01-02"
    assert str(result.end.date()) == "2024-01-03"


def test_aliases_case_and_ignored_columns() -> None:
    header = "Date,Open,High,Low,Close,Adj Close,Volume\n"
    result = _check(_csv(["2024-01-02,10,11,9,10.5,10.4,100"], header), symbol="spy")
    assert list(result.frames) == ["SPY"]
    assert result.ignored_columns == ["Adj Close"]


@pytest.mark.parametrize(
    ("rows", "row", "column", "text", "count"),
    [
        (
            ["2024-01-02,AAA,10,11,9,10.5,100", "2024-01-03,AAA,x,11,9,10.5,100"],
            3,
            "open",
            "'x' is not a number",
            1,
        ),
        (["2024-01-02,AAA,10,11,9,10.5,100", "2024-01-03,AAA,10,,9,10.5,100"], 3, "high", "empty", 1),
        (
            ["2024-01-02,AAA,10,11,9,10.5,100", "nope,AAA,10,11,9,10.5,100"],
            3,
            "date",
            "'nope' is not a date",
            1,
        ),
        (["2024-01-02,AAA,10,11,9,-1,100"], 2, "close", "must be > 0", 1),
        (["2024-01-02,AAA,10,11,9,10.5,-5"], 2, "volume", "negative", 1),
        (["2024-01-02,AAA,10,9,11,10.5,100", "2024-01-03,AAA,10,9,11,10.5,100"], 2, "high", "below low", 2),
        (["2024-01-02,AAA,12,11,9,10.5,100"], 2, "open", "outside low..high", 1),
        (["2024-01-02,AAA,10,11,9,8,100"], 2, "close", "outside low..high", 1),
        ([*GOOD_ROWS, "2024-01-03,AAA,10,11,9,10.5,100"], 6, "date", "duplicate timestamp", 1),
        ([*GOOD_ROWS, "2024-01-01,BBB,10,11,9,10.5,100"], 6, "date", "before the previous", 1),
        (["2024-01-02,A#B,10,11,9,10.5,100"], 2, "symbol", "not a symbol", 1),
    ],
)
def test_each_rule_names_row_column_and_count(
    rows: list[str], row: int, column: str, text: str, count: int
) -> None:
    failure = _failure(rows)
    assert (failure.row, failure.column) == (row, column)
    assert text in failure.message
    assert failure.extra["count"] == count
    assert f"row {row}" in str(failure)
    assert f"column '{column}'" in str(failure)


def test_earliest_bad_row_wins_across_rules_and_count_is_reported() -> None:
    rows = [
        "2024-01-02,AAA,10,11,9,10.5,100",
        "2024-01-03,AAA,10,11,9,10.5,-1",  # row 3: volume
        "2024-01-04,AAA,10,9,11,10.5,100",  # row 4: high < low
        "2024-01-05,AAA,10,9,11,10.5,100",  # row 5: high < low
    ]
    failure = _failure(rows)
    assert (failure.row, failure.column) == (3, "volume")
    failure = _failure(rows[:1] + rows[2:])
    assert (failure.row, failure.column, failure.extra["count"]) == (3, "high", 2)
    assert "2 rows have this problem" in failure.message


def test_missing_columns_and_missing_symbol() -> None:
    failure = _failure(["2024-01-02,10,11,9,10.5"], "date,open,high,low,close\n", symbol="X")
    assert (failure.row, failure.column) == (1, "volume")
    failure = _failure(["2024-01-02,10,11,9,10.5,1"], "date,open,high,low,close,volume\n")
    assert failure.column == "symbol"
    assert "pass `symbol`" in failure.message


def test_two_columns_meaning_the_same_thing() -> None:
    failure = _failure(["2024-01-02,2024-01-02,AAA,10,11,9,10.5,1"], "date,timestamp," + HEADER[5:])
    assert (failure.row, failure.column) == (1, "timestamp")


def test_blank_line_inside_is_reported_trailing_is_not() -> None:
    data = _csv(GOOD_ROWS[:1]) + b"\n\n"
    assert _check(data).rows == 1
    failure = _failure([GOOD_ROWS[0], "", GOOD_ROWS[2]])
    assert failure.row == 3


def test_malformed_and_empty_files() -> None:
    with pytest.raises(ImportFailure) as caught:
        _check(_csv(["2024-01-02,AAA,10,11,9,10.5,100", "2024-01-03,AAA,10,11,9,10.5,100,9"]))
    assert caught.value.row == 3
    with pytest.raises(ImportFailure, match="empty"):
        _check(b"")
    with pytest.raises(ImportFailure, match="no rows"):
        _check(HEADER.encode())
    with pytest.raises(ImportFailure, match="Parquet"):
        _check(b"not parquet", "parquet")


def test_timezone_and_epoch_timestamps_become_naive_utc() -> None:
    header = "time,open,high,low,close,volume\n"
    ny = _check(_csv(["2024-01-02 09:30,10,11,9,10.5,1"], header), symbol="X", timezone="America/New_York")
    assert str(ny.frames["X"]["timestamp"].iloc[0]) == "2024-01-02 14:30:00"
    offset = _check(_csv(["2024-01-02T09:30:00+01:00,10,11,9,10.5,1"], header), symbol="X")
    assert str(offset.frames["X"]["timestamp"].iloc[0]) == "2024-01-02 08:30:00"
    epoch = _check(_csv(["1704153600,10,11,9,10.5,1", "1704240000000,10,11,9,10.5,1"], header), symbol="X")
    assert str(epoch.frames["X"]["timestamp"].iloc[0]) == "2024-01-02 00:00:00"


def test_parquet_upload_rows_count_from_two() -> None:
    frame = pd.DataFrame(
        {
            "timestamp": pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04"]),
            "open": [10.0, 10.0, 10.0],
            "high": [11.0, 11.0, 11.0],
            "low": [9.0, 9.0, 12.0],
            "close": [10.5, 10.5, 10.5],
            "volume": [1.0, 1.0, 1.0],
        }
    )
    good = _check(to_parquet_bytes(frame.iloc[:2]), "parquet", symbol="PQ")
    assert good.frames["PQ"]["close"].tolist() == [10.5, 10.5]
    with pytest.raises(ImportFailure) as caught:
        _check(to_parquet_bytes(frame), "parquet", symbol="PQ")
    assert (caught.value.row, caught.value.column) == (4, "high")
