"""The job workflow's pure pieces: failure reasons, message payloads, windows, expansion, ranking."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tradewind.errors import FieldProblem, InvalidInput
from tradewind.jobs.failure import describe, reason
from tradewind.jobs.inputs import JobInputError, combinations, windows
from tradewind.jobs.reduce import mean_over_symbols, rank
from tradewind.jobs.spec import JobSpec, WalkForward
from tradewind.jobs.views import job_message, progress_payload
from tradewind.strategy.models import Constraint
from tradewind.strategy.templates import TEMPLATES


def lambda_error(error_type: str, message: str) -> dict[str, str]:
    """The Catch's error object for a Lambda that raised."""
    cause = {"errorMessage": message, "errorType": error_type, "stackTrace": []}
    return {"Error": error_type, "Cause": json.dumps(cause)}


@pytest.mark.parametrize(
    ("caught", "worker_error", "expected"),
    [
        (
            {"Error": "States.ExceedToleratedFailureThreshold", "Cause": "threshold exceeded"},
            "shard 3 (ABC): RuntimeError: boom",
            "a shard failed after its retries: shard 3 (ABC): RuntimeError: boom",
        ),
        (
            {"Error": "States.ExceedToleratedFailureThreshold", "Cause": "threshold exceeded"},
            None,
            "a shard failed (States.ExceedToleratedFailureThreshold)",
        ),
        (lambda_error("JobInputError", "not in dataset d1: NOPE"), None, "not in dataset d1: NOPE"),
        (lambda_error("KeyError", "'close'"), None, "KeyError: 'close'"),
        ({"Error": "States.Timeout", "Cause": ""}, None, "a step of the job timed out"),
        ({"Error": "States.Runtime", "Cause": "bad path"}, None, "States.Runtime: bad path"),
        (None, None, "Unknown"),
    ],
)
def test_failure_reasons_are_readable(
    caught: dict[str, str] | None, worker_error: str | None, expected: str
) -> None:
    assert reason(caught, worker_error) == expected


def test_a_long_reason_is_cut() -> None:
    text = reason(lambda_error("JobInputError", "x" * 5000), None)
    assert len(text) == 1000
    assert text.endswith("…")


def test_input_errors_name_every_field() -> None:
    exc = InvalidInput(
        "The parameters are invalid.",
        [FieldProblem(["params", "fast"], "too big"), FieldProblem(["weights"], "sum is 0")],
    )
    assert describe(exc) == "The parameters are invalid. (params.fast: too big; weights: sum is 0)"
    assert describe(ValueError("nope")) == "ValueError: nope"


def job(**fields: Any) -> Any:
    """A stand-in for a JobRecord (the views read attributes only)."""
    base: dict[str, Any] = {
        "job_id": "j1",
        "status": "running",
        "shards_done": 2,
        "shards_total": 8,
        "combos_done": 500,
        "combos_total": 2000,
        "started_at": datetime(2025, 1, 1, tzinfo=UTC),
        "summary": None,
        "error": None,
    }
    return SimpleNamespace(**{**base, **fields})


def test_progress_reports_the_rate_since_the_start_and_the_time_left() -> None:
    record = job()
    payload = progress_payload(record, now=record.started_at + timedelta(seconds=10))
    assert payload == {
        "job_id": "j1",
        "status": "running",
        "shards_done": 2,
        "shards_total": 8,
        "combos_done": 500,
        "combos_total": 2000,
        "combos_per_second": 50.0,
        "eta_seconds": 30.0,
    }
    fresh = progress_payload(job(combos_done=0, shards_done=0), now=record.started_at)
    assert (fresh["combos_per_second"], fresh["eta_seconds"]) == (None, None)


@pytest.mark.parametrize(
    ("status", "message_type", "key"),
    [
        ("succeeded", "job.completed", "summary"),
        ("failed", "job.failed", "error"),
        ("running", "job.progress", "combos_done"),
        ("queued", "job.progress", "combos_total"),
    ],
)
def test_the_snapshot_message_follows_the_status(status: str, message_type: str, key: str) -> None:
    kind, payload = job_message(job(status=status, summary={"sharpe": 1.0}, error="boom"))
    assert kind == message_type
    assert payload["status"] == status
    assert key in payload


def test_walk_forward_windows_roll_by_the_step_and_keep_only_whole_windows() -> None:
    first = np.datetime64("2020-01-01")
    timeline = np.arange(first, first + 100).astype("datetime64[ns]")
    found = windows(timeline, WalkForward(train_bars=50, test_bars=20, step_bars=20))
    assert [w.number for w in found] == [0, 1]  # starts 0 and 20; a third (40) would need 110 bars
    second = found[1]
    assert (second.train_first, second.train_last) == (timeline[20], timeline[69])
    assert (second.test_first, second.test_last) == (timeline[70], timeline[89])
    with pytest.raises(JobInputError, match="needs train_bars \\+ test_bars = 120 bars; the period has 100"):
        windows(timeline, WalkForward(train_bars=100, test_bars=20))


def spec(**fields: Any) -> JobSpec:
    base: dict[str, Any] = {
        "kind": "optimization",
        "strategy": TEMPLATES["sma_cross"](),
        "dataset_id": "d",
        "dataset_version": "v",
        "symbols": ["A"],
        "space": {"fast": [5, 10, 20, 30], "slow": [10, 20, 40]},
    }
    return JobSpec(**{**base, **fields})


def test_the_space_is_the_constrained_grid_or_a_seeded_sample_of_it_in_grid_order() -> None:
    doc = TEMPLATES["sma_cross"]()
    grid = combinations(spec(), doc)
    assert list(zip(grid["fast"], grid["slow"], strict=True)) == [
        (5, 10), (5, 20), (5, 40), (10, 20), (10, 40), (20, 40), (30, 40),
    ]  # fmt: skip
    tighter = combinations(spec(constraints=[Constraint(left="slow", op=">=", right=40)]), doc)
    assert set(tighter["slow"]) == {40}
    sample = combinations(spec(samples=4, seed=3), doc)
    again = combinations(spec(samples=4, seed=3), doc)
    np.testing.assert_array_equal(sample["fast"], again["fast"])
    picked = [(f, s) for f, s in zip(sample["fast"], sample["slow"], strict=True)]
    assert len(picked) == 4
    positions = [list(zip(grid["fast"], grid["slow"], strict=True)).index(p) for p in picked]
    assert positions == sorted(positions)
    assert combinations(spec(samples=100), doc)["fast"].tolist() == grid["fast"].tolist()
    with pytest.raises(JobInputError, match="no combination"):
        combinations(spec(space={"fast": [50], "slow": [10]}), doc)
    backtest = combinations(spec(kind="backtest", params={"fast": 7}), doc)
    assert (backtest["fast"].tolist(), backtest["slow"].tolist()) == ([7], [30])


def test_ranking_skips_undefined_and_thin_rows_and_breaks_ties_by_combination() -> None:
    table = pd.DataFrame(
        {
            "combination": [0, 1, 2, 3, 4],
            "sharpe": [1.0, np.nan, 2.0, 2.0, 3.0],
            "trades": [10, 10, 10, 10, 1],
        }
    )
    assert rank(table, "sharpe", "maximize", min_trades=5).tolist() == [2, 3, 0]
    assert rank(table, "sharpe", "minimize", min_trades=0).tolist() == [0, 2, 3, 4]


def test_means_over_symbols_add_in_order_and_dates_span_the_symbols() -> None:
    first = pd.DataFrame(
        {"start": pd.to_datetime(["2020-01-02"]), "end": pd.to_datetime(["2020-12-30"]), "trades": [3]}
    )
    second = pd.DataFrame(
        {"start": pd.to_datetime(["2020-01-01"]), "end": pd.to_datetime(["2020-12-31"]), "trades": [4]}
    )
    merged = mean_over_symbols([first, second])
    assert merged["start"].iloc[0] == pd.Timestamp("2020-01-01")
    assert merged["end"].iloc[0] == pd.Timestamp("2020-12-31")
    assert merged["trades"].iloc[0] == 3.5
