"""A job takes every symbol a dataset can hold: one symbol rule for imports, searches and jobs."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from tradewind.jobs.spec import BacktestRequest
from tradewind.marketdata.universe import SYMBOL_PATTERN


@pytest.mark.parametrize("symbol", ["AAPL", "BRK.B", "^GSPC", "EURUSD=X", "BTC-USD", "ES_F"])
def test_a_symbol_an_import_accepts_is_one_a_job_accepts(symbol: str) -> None:
    assert SYMBOL_PATTERN.match(symbol)
    request = BacktestRequest(strategy_id="s1", dataset_id="d", symbols=[symbol])
    assert request.symbols == [symbol]


@pytest.mark.parametrize("symbol", ["", "aapl", "A#B", "A B", "X" * 21])
def test_a_symbol_no_dataset_can_hold_is_refused(symbol: str) -> None:
    assert not SYMBOL_PATTERN.match(symbol)
    with pytest.raises(ValidationError):
        BacktestRequest(strategy_id="s1", dataset_id="d", symbols=[symbol])
