"""Validate an uploaded OHLCV file and split it into clean per-symbol bars.

Rows are numbered as a person sees them in the CSV: the header is row 1, the first bar row 2 (for
Parquet, row 2 is the first record). Every rule is evaluated on the whole file at once; the error
names the earliest offending row, its column, and how many rows break the same rule.

Column names are matched case-insensitively after trimming, with aliases (``date``/``datetime``/``time``
for ``timestamp``, ``ticker`` for ``symbol``, ``vol`` for ``volume``...). ``Adj Close``, ``Dividends``,
``Stock Splits`` and any other extra column are ignored and listed in ``ignored_columns``.
Timestamps: ISO dates/times (with or without an offset) or epoch seconds/milliseconds; naive values
are read in ``timezone`` (default UTC) and everything is stored as naive UTC.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tradewind.errors import ImportFailure
from tradewind.marketdata.parquet import BAR_COLUMNS, from_parquet_bytes
from tradewind.marketdata.universe import SYMBOL_PATTERN

PRICE_COLUMNS = ("open", "high", "low", "close")
NUMERIC_COLUMNS = (*PRICE_COLUMNS, "volume")
# Above any traded price or volume, and far from float64's overflow: a price or volume beyond them is
# a unit or parsing mistake (1e400 reads as inf), and would turn equity, fees and JSON answers non-finite.
MAX_PRICE = 1e12
MAX_VOLUME = 1e15
ALIASES: dict[str, tuple[str, ...]] = {
    "timestamp": ("timestamp", "date", "datetime", "time", "ts"),
    "open": ("open", "o"),
    "high": ("high", "h"),
    "low": ("low", "l"),
    "close": ("close", "c", "last"),
    "volume": ("volume", "vol", "v"),
    "symbol": ("symbol", "ticker"),
}
FIRST_ROW = 2  # the header is row 1
_TOKENIZE_LINE = re.compile(r"line (\d+)")


@dataclass(frozen=True)
class ValidatedBars:
    """A whole file that passed every rule: one sorted frame of ``BAR_COLUMNS`` per symbol."""

    frames: dict[str, pd.DataFrame]
    rows: int
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def start(self) -> pd.Timestamp:
        return min(frame["timestamp"].iloc[0] for frame in self.frames.values())

    @property
    def end(self) -> pd.Timestamp:
        return max(frame["timestamp"].iloc[-1] for frame in self.frames.values())


def read_table(data: bytes, file_format: str) -> pd.DataFrame:
    """The raw table of a CSV or Parquet upload; an unreadable file is an ``ImportFailure``."""
    if not data.strip():
        raise ImportFailure("the file is empty", row=1)
    if file_format == "parquet":
        try:
            return from_parquet_bytes(data)
        except Exception as exc:
            raise ImportFailure(f"not a readable Parquet file: {exc}") from exc
    try:
        table = pd.read_csv(io.BytesIO(data), skip_blank_lines=False, skipinitialspace=True, index_col=False)
    except pd.errors.ParserError as exc:
        match = _TOKENIZE_LINE.search(str(exc))
        raise ImportFailure(
            f"malformed CSV: {str(exc).strip()}", row=int(match.group(1)) if match else None
        ) from exc
    except (UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise ImportFailure(f"not a readable CSV file: {exc}", row=1) from exc
    # A trailing blank line is not a bar; a blank line in the middle is reported as empty values.
    filled = np.flatnonzero(table.notna().any(axis=1).to_numpy())
    return table.iloc[: filled[-1] + 1 if len(filled) else 0]


def validate(table: pd.DataFrame, *, symbol: str | None = None, timezone: str | None = None) -> ValidatedBars:
    """Check every rule over ``table``; raise ``ImportFailure`` for the earliest bad row."""
    columns, ignored = _map_columns(table)
    missing = [name for name in (*BAR_COLUMNS,) if name not in columns]
    if "symbol" not in columns and symbol is None:
        missing.append("symbol")
    if missing:
        raise ImportFailure(
            f"missing column(s) {', '.join(missing)}"
            + ("; pass `symbol` when creating a single-symbol dataset" if "symbol" in missing else ""),
            row=1,
            column=missing[0],
        )
    if table.empty:
        raise ImportFailure("the file has a header but no rows", row=FIRST_ROW)

    rows = len(table)
    raw = {name: table[source] for name, source in columns.items()}
    parsed = {name: _to_number(raw[name]) for name in NUMERIC_COLUMNS}
    timestamps = _to_utc(raw["timestamp"], timezone)
    if "symbol" in raw:
        symbols = _per_distinct(raw["symbol"], lambda u: u.astype("string").str.strip().str.upper())
    else:
        symbols = pd.Series([(symbol or "").upper()] * rows, index=table.index, dtype="string")
    checks = _checks(raw, parsed, timestamps, symbols)
    _raise_first(checks, columns)
    return ValidatedBars(frames=_split(symbols, timestamps, parsed), rows=rows, ignored_columns=ignored)


def _per_distinct(values: pd.Series, convert: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``convert`` applied once per distinct value: dates and symbols repeat thousands of times."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    distinct = convert(pd.Series([*uniques, None], dtype=object))
    codes = np.where(codes < 0, len(uniques), codes)  # missing values map to the trailing None
    return pd.Series(distinct.to_numpy()[codes], index=values.index, dtype=distinct.dtype)


def _split(
    symbols: pd.Series, timestamps: pd.Series, parsed: dict[str, pd.Series]
) -> dict[str, pd.DataFrame]:
    """One frame per symbol (keys sorted), rows in file order, which the checks proved is time order."""
    codes, names = pd.factorize(symbols.to_numpy(dtype=object))
    order = np.argsort(codes, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=len(names)))])
    columns = {"timestamp": timestamps.to_numpy()[order]}
    columns.update({name: parsed[name].to_numpy()[order] for name in NUMERIC_COLUMNS})
    frames = {
        str(name): pd.DataFrame({k: v[bounds[i] : bounds[i + 1]] for k, v in columns.items()})
        for i, name in enumerate(names)
    }
    return dict(sorted(frames.items()))


@dataclass(frozen=True)
class _Check:
    column: str
    mask: np.ndarray
    message: Callable[[int], str]  # the message for the first bad position


def _map_columns(table: pd.DataFrame) -> tuple[dict[str, str], list[str]]:
    lookup = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
    columns: dict[str, str] = {}
    ignored: list[str] = []
    for original in table.columns:
        key = str(original).strip().lower()
        name = lookup.get(key)
        if name is None:
            ignored.append(str(original))
        elif name in columns:
            raise ImportFailure(
                f"columns '{columns[name]}' and '{original}' both mean {name}", row=1, column=str(original)
            )
        else:
            columns[name] = str(original)
    return columns, ignored


def _to_number(values: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype("float64")
    return pd.to_numeric(values.astype("string").str.strip(), errors="coerce").astype("float64")


def _to_utc(values: pd.Series, timezone: str | None) -> pd.Series:
    """Naive UTC timestamps; unparseable values become NaT (reported by the checks)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = pd.Series(values)
    elif pd.api.types.is_numeric_dtype(values):
        numbers = values.astype("float64")
        millis = numbers.where(numbers.abs() > 1e11, numbers * 1000)  # per value: seconds or milliseconds
        parsed = pd.to_datetime(millis, unit="ms", errors="coerce", utc=True)
    else:
        parsed = _per_distinct(values, _parse_text_times)
    if parsed.dt.tz is None:
        parsed = parsed.dt.tz_localize(timezone or "UTC", ambiguous="NaT", nonexistent="NaT")
    return parsed.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]")


def _parse_text_times(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    try:
        parsed = pd.to_datetime(text, errors="coerce")
    except (ValueError, TypeError):  # mixed UTC offsets: read them all as instants
        parsed = pd.to_datetime(text, errors="coerce", utc=True)
    if not pd.api.types.is_datetime64_any_dtype(parsed):
        parsed = pd.to_datetime(text, errors="coerce", utc=True)
    return parsed


def _checks(
    raw: dict[str, pd.Series], parsed: dict[str, pd.Series], timestamps: pd.Series, symbols: pd.Series
) -> list[_Check]:
    """Every rule as a boolean mask over the rows, in the order ties are reported."""
    checks: list[_Check] = []
    ts_raw = raw["timestamp"]
    ts_present = ts_raw.notna().to_numpy()
    checks.append(_Check("timestamp", ~ts_present, lambda i: "the value is empty"))
    bad_ts = ts_present & timestamps.isna().to_numpy()
    checks.append(_Check("timestamp", bad_ts, lambda i: f"'{ts_raw.iloc[i]}' is not a date/time"))
    sym = symbols.fillna("").to_numpy(dtype=object)
    codes, distinct = pd.factorize(sym)
    invalid = np.array([not SYMBOL_PATTERN.match(s) for s in distinct], dtype=bool)
    checks.append(
        _Check(
            "symbol",
            invalid[codes],
            lambda i: f"'{sym[i]}' is not a symbol (letters, digits and . - = ^ _, up to 20)",
        )
    )
    for name in NUMERIC_COLUMNS:
        present = raw[name].notna().to_numpy()
        values = parsed[name].to_numpy()
        checks.append(_Check(name, ~present, lambda i: "the value is empty"))
        checks.append(_Check(name, present & np.isnan(values), _quoted(raw[name], "is not a number")))
        checks.append(_Check(name, np.isinf(values), _quoted(raw[name], "is not a finite number")))
        if name == "volume":
            checks.append(_Check(name, values < 0, _valued(name, values, "is negative")))
        else:
            checks.append(_Check(name, values <= 0, _valued(name, values, "must be > 0")))
        limit = MAX_VOLUME if name == "volume" else MAX_PRICE
        above = np.isfinite(values) & (values > limit)
        checks.append(_Check(name, above, _valued(name, values, f"is above the limit of {limit:g}")))
    o, h, lo, c = (parsed[n].to_numpy() for n in PRICE_COLUMNS)
    checks.append(_Check("high", h < lo, lambda i: f"high {h[i]:g} is below low {lo[i]:g}"))
    for name, values in (("open", o), ("close", c)):
        outside = (h >= lo) & ((values > h) | (values < lo))
        checks.append(_Check(name, outside, _outside(name, values, lo, h)))
    checks.extend(_order_checks(timestamps, sym))
    return checks


def _quoted(column: pd.Series, problem: str) -> Callable[[int], str]:
    return lambda i: f"'{column.iloc[i]}' {problem}"


def _valued(name: str, values: np.ndarray, problem: str) -> Callable[[int], str]:
    return lambda i: f"{name} {values[i]:g} {problem}"


def _outside(name: str, values: np.ndarray, low: np.ndarray, high: np.ndarray) -> Callable[[int], str]:
    return lambda i: f"{name} {values[i]:g} is outside low..high {low[i]:g}..{high[i]:g}"


def _order_checks(timestamps: pd.Series, sym: np.ndarray) -> list[_Check]:
    """Duplicates and time order, per symbol (rows of different symbols may interleave)."""
    frame = pd.DataFrame({"s": sym, "t": timestamps.to_numpy()})
    previous = frame.groupby("s", sort=False)["t"].shift().to_numpy()
    current = frame["t"].to_numpy()
    known = ~(np.isnat(previous) | np.isnat(current))
    duplicate = known & (current == previous)
    backwards = known & (current < previous)

    def when(i: int) -> str:
        return str(pd.Timestamp(current[i]))

    return [
        _Check("timestamp", duplicate, lambda i: f"duplicate timestamp {when(i)} for {sym[i]}"),
        _Check(
            "timestamp",
            backwards,
            lambda i: (
                f"timestamp {when(i)} for {sym[i]} is before the previous one ({pd.Timestamp(previous[i])});"
                " rows must be in increasing time per symbol"
            ),
        ),
    ]


def _raise_first(checks: list[_Check], columns: dict[str, str]) -> None:
    """Raise for the check whose first bad row comes earliest (ties: the order of ``checks``)."""
    best: tuple[int, int] | None = None
    for order, check in enumerate(checks):
        hits = np.flatnonzero(check.mask)
        if len(hits) and (best is None or hits[0] < best[0]):
            best = (int(hits[0]), order)
    if best is None:
        return
    position, order = best
    check = checks[order]
    count = int(check.mask.sum())
    suffix = "" if count == 1 else f" ({count} rows have this problem)"
    raise ImportFailure(
        check.message(position) + suffix,
        row=position + FIRST_ROW,
        column=columns.get(check.column, check.column),
        extra={"count": count},
    )
