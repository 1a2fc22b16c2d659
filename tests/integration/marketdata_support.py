"""Helpers shared by the market-data integration tests: files, a Lambda context, status polling."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tradewind.marketdata.sample import SampleBars, generate
from tradewind.marketdata.universe import sample_symbols


@dataclass
class FakeContext:
    """The attributes Powertools reads from a Lambda context."""

    function_name: str = "local"
    memory_limit_in_mb: int = 1769
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:local"
    aws_request_id: str = "req-1"


def sample_csv(count: int = 3, start: str = "2020-01-01", end: str = "2020-03-31") -> tuple[bytes, SampleBars]:
    """A good multi-symbol CSV made by the generator, and the bars it holds."""
    bars = generate(sample_symbols(count), start=start, end=end)
    return bars.long_frame().to_csv(index=False).encode(), bars


def wait_for(probe: Callable[[], Any], timeout: float = 30.0, interval: float = 0.1) -> Any:
    """Poll ``probe`` until it returns something truthy (asynchronous work under test)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s")
