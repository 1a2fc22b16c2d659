"""Files shared by the market-data integration tests."""

from __future__ import annotations

from tradewind.marketdata.sample import SampleBars, generate
from tradewind.marketdata.universe import sample_symbols


def sample_csv(
    count: int = 3, start: str = "2020-01-01", end: str = "2020-03-31"
) -> tuple[bytes, SampleBars]:
    """A good multi-symbol CSV made by the generator, and the bars it holds."""
    bars = generate(sample_symbols(count), start=start, end=end)
    return bars.long_frame().to_csv(index=False).encode(), bars
