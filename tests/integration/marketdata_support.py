"""Market data shared by the integration tests: generated CSVs and ready datasets published directly."""

from __future__ import annotations

import pandas as pd
from tradewind.marketdata.sample import SampleBars, generate
from tradewind.marketdata.universe import sample_symbols


def sample_csv(
    count: int = 3, start: str = "2020-01-01", end: str = "2020-03-31"
) -> tuple[bytes, SampleBars]:
    """A good multi-symbol CSV made by the generator, and the bars it holds."""
    bars = generate(sample_symbols(count), start=start, end=end)
    return bars.long_frame().to_csv(index=False).encode(), bars


def publish_sample_dataset(tenant_id: str, dataset_id: str, count: int) -> dict[str, pd.DataFrame]:
    """``count`` generated sample symbols published as a ready dataset of the tenant: what an import
    leaves (bars objects, symbol rows, a ``ready`` record), without running one. Returns each frame."""
    from tradewind.data.bars import write_bars
    from tradewind.data.marketdata import bars_key
    from tradewind.services import imports
    from tradewind.services.datasets import new_record

    chosen = sample_symbols()[:count]
    sample = generate(chosen)
    frames = {s.symbol: sample.frame(i) for i, s in enumerate(chosen)}
    write_bars({bars_key(tenant_id, dataset_id, symbol): frame for symbol, frame in frames.items()})
    record = new_record(
        tenant_id, "sample bars", source="sample", file_format="parquet", dataset_id=dataset_id
    )
    record.status = "importing"
    record.save()
    summaries = [
        imports.SymbolSummary(
            symbol,
            len(frame),
            imports.utc_datetime(frame["timestamp"].iloc[0]),
            imports.utc_datetime(frame["timestamp"].iloc[-1]),
        )
        for symbol, frame in frames.items()
    ]
    imports.mark_ready(record, summaries)
    return frames
