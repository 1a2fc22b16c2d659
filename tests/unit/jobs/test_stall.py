"""The stalled-job rule (tradewind.jobs.stall, docs/jobs.md#stalled-jobs): each kind's threshold from
its estimate and the settings, and when a job reads as stalled. No AWS: records in memory."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from tradewind.data.jobs import JobRecord
from tradewind.jobs import stall
from tradewind.jobs.estimate import BAR_COMBOS_PER_SECOND, WORKER_OVERHEAD_SECONDS
from tradewind.settings import get_settings

NOW = datetime(2026, 1, 5, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def job(kind: str = "optimization", **values: Any) -> JobRecord:
    fields: dict[str, Any] = {
        "tenant_id": "t",
        "job_id": "j",
        "kind": kind,
        "status": "running",
        "dataset_id": "d",
        "symbols": [],
        "request_hash": "h",
        "shards_total": 8,
        "combos_total": 20_000,
        "created_at": NOW - timedelta(hours=1),
        "updated_at": NOW - timedelta(minutes=5),
        **values,
    }
    return JobRecord("TENANT#t", "JOB#j", **fields)


def test_an_optimization_waits_for_k_shards_of_its_size_on_its_bars_or_the_floor() -> None:
    small = job()
    assert stall.threshold_seconds(small, 2_000) == 900.0  # 10 x 0.6 s is under the 15-minute floor
    intraday = 2_000_000  # bars per symbol: one shard of 2,500 combinations takes ~152 s
    shard = 2_500 * intraday / BAR_COMBOS_PER_SECOND["full"] + WORKER_OVERHEAD_SECONDS
    assert stall.threshold_seconds(small, intraday) == pytest.approx(10 * shard)
    assert stall.threshold_seconds(small, intraday) > 900.0


def test_kinds_without_progress_wait_for_their_whole_run_and_settings_tune_the_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert stall.threshold_seconds(job("command", shards_total=1, combos_total=1), None) == 6_000.0
    assert stall.threshold_seconds(job("import", shards_total=1, combos_total=1), None) == 3_000.0
    pipeline = job("pipeline", shards_total=40, combos_total=1_000)  # 25 symbols a batch
    assert stall.expected_gap_seconds(pipeline, None) == pytest.approx(25 * stall.PIPELINE_SYMBOL_SECONDS)
    monkeypatch.setenv("TW_STALL_FACTOR", "2")
    monkeypatch.setenv("TW_STALL_FLOOR_SECONDS", "60")
    get_settings.cache_clear()
    assert stall.threshold_seconds(job("command"), None) == 1_200.0
    assert stall.threshold_seconds(pipeline, None) == 60.0


def _entry(status: str, at: datetime) -> dict[str, str]:
    return {"at": at.isoformat().replace("+00:00", "Z"), "status": status, "cause": "c"}


def test_stalled_since_holds_until_the_job_moves_or_a_progressing_entry_follows() -> None:
    flagged = NOW - timedelta(minutes=1)
    quiet = job(updated_at=NOW - timedelta(hours=2), timeline=[_entry("stalled", flagged)])
    assert stall.stalled_since(quiet) == _entry("stalled", flagged)["at"]
    assert stall.stalled_since(job(updated_at=NOW, timeline=quiet.timeline)) is None  # moved since
    assert stall.stalled_since(job(status="paused", timeline=quiet.timeline)) is None
    assert stall.stalled_since(job(status="succeeded", timeline=quiet.timeline)) is None
    cleared = [*quiet.timeline, _entry("progressing", NOW)]
    assert stall.stalled_since(job(updated_at=NOW - timedelta(hours=2), timeline=cleared)) is None
    assert stall.stalled_since(job()) is None
