"""The sample universe's identity: dataset label, symbols and sectors.

Plain Python (no numpy) so the API and the seeding planner can name the universe without loading the
generator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SAMPLE_DATASET_ID = "sample"
SAMPLE_DATASET_NAME = "Sample universe (synthetic)"
SAMPLE_SEED = 20140102
SAMPLE_START = "2014-01-02"
SAMPLE_END = "2025-12-31"

SYMBOL_PATTERN = re.compile(r"^[A-Z0-9^][A-Z0-9.\-=_^]{0,19}$")
"""Tickers as exchanges and Yahoo write them (``AAPL``, ``BRK.B``, ``^GSPC``, ``EURUSD=X``); never ``#``,
which separates the parts of the table's sort keys."""

SECTORS: dict[str, tuple[str, ...]] = {
    "technology": ("ZENX", "QUBIT", "VOLTX", "NEBX", "CODX", "PIXQ", "SYNQ", "LATX"),
    "financials": ("BANQ", "LEDGX", "VAULX", "CRDX", "FINQ", "MINTX", "TRSTQ"),
    "healthcare": ("CURX", "GENQ", "MEDX", "VITQ", "HELX", "PLSX", "BIOQ"),
    "energy": ("PETX", "SOLQ", "WINDX", "GASQ", "RIGX", "FLUX", "COALQ"),
    "consumer": ("SHOPQ", "BREWX", "DINEQ", "WEARX", "HOMQ", "TOYX", "CARTQ", "FOODX"),
    "industrials": ("RAILX", "SHIPQ", "FORGX", "AEROQ", "TOOLX", "BLDQ", "MACHX"),
    "materials": ("OREX", "STELQ", "CHEMX", "TIMBQ", "GLDX", "CUPRQ"),
    "utilities": ("GRIDX", "WATRQ", "POWRX", "HEATQ", "LUMEX", "DAMQ", "VOLTQ", "CELLX"),
}


@dataclass(frozen=True)
class SampleSymbol:
    """One synthetic ticker with its sector (sector moves are correlated)."""

    symbol: str
    sector: str
    index: int

    @property
    def name(self) -> str:
        return f"{self.symbol.title()} Corp (synthetic)"


def sample_symbols(count: int | None = None) -> list[SampleSymbol]:
    """The curated symbols, extended by generated tickers (``SXAAA``...) when ``count`` asks for more."""
    curated = [(symbol, sector) for sector, symbols in SECTORS.items() for symbol in symbols]
    sectors = list(SECTORS)
    wanted = len(curated) if count is None else count
    names = [symbol for symbol, _ in curated]
    pairs = list(curated)
    serial = 0
    while len(pairs) < wanted:
        letters = _letters(serial, 3)
        serial += 1
        ticker = f"SX{letters}"
        if ticker not in names:
            pairs.append((ticker, sectors[len(pairs) % len(sectors)]))
    return [SampleSymbol(symbol, sector, i) for i, (symbol, sector) in enumerate(pairs[:wanted])]


def _letters(number: int, width: int) -> str:
    out = []
    for _ in range(width):
        number, rest = divmod(number, 26)
        out.append(chr(ord("A") + rest))
    return "".join(reversed(out))
