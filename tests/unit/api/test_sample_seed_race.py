"""Two requests seeding the sample at once: the one that loses the conditional write answers like a
request that found the seeding under way (it used to be a 500)."""

from __future__ import annotations

from typing import Any

import pytest
from tradewind.data.marketdata import QUEUED
from tradewind.services import imports, sample


def test_the_request_that_loses_the_race_reports_the_seeding_under_way(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    winner = sample._sample_record("acme", QUEUED)
    winner.save()  # what the concurrent request wrote after this one looked
    real_load = imports.load
    calls: list[Any] = []

    def load_before_the_winner_wrote(*args: Any) -> Any:
        calls.append(args)
        return None if len(calls) == 1 else real_load(*args)

    monkeypatch.setattr(imports, "load", load_before_the_winner_wrote)
    record, started = sample.seed_sample("acme")
    assert started is False
    assert (record.dataset_id, record.status) == (winner.dataset_id, QUEUED)
