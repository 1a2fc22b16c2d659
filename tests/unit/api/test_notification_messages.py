"""Each notification message: its code, its params and the English text built from the same values."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from tradewind.services import notification_messages as m
from tradewind.services import notifications


def _job(kind: str, **values: Any) -> Any:
    base = {
        "kind": kind,
        "job_id": "j1",
        "name": "sma",
        "strategy_name": None,
        "summary": None,
        "status": "succeeded",
    }
    return SimpleNamespace(**(base | values))


def test_an_optimization_reads_like_a_person_wrote_it() -> None:
    """Whole parameters without ".0" (a leaderboard row's values share one float dtype), the
    objective to 4 significant digits; the params keep the raw values for the client to format."""
    best = {"fast": 5.0, "slow": 40.0, "k": 1.25}
    summary = {"best_params": best, "best_objective": 0.1084316194100302, "combinations": 4}
    message = m.job_completed(_job("optimization", summary=summary))
    assert (message.kind, message.code) == (notifications.JOB_COMPLETED, "job.completed.optimization")
    assert message.params == {
        "job": {"kind": "optimization", "name": "sma", "id": "j1"},
        "combinations": 4,
        "best": best,
        "objective": 0.1084316194100302,
    }
    assert message.title == "Optimization 'sma' finished"
    assert message.body == "4 combinations evaluated; best fast=5, slow=40, k=1.25 (0.1084)"


@pytest.mark.parametrize(
    ("message", "code", "params", "title", "body"),
    [
        (
            m.job_completed(_job("optimization", name=None, summary={"combinations": 9})),
            "job.completed.optimization.none",
            {
                "job": {"kind": "optimization", "name": None, "id": "j1"},
                "combinations": 9,
                "best": None,
                "objective": None,
            },
            "Optimization j1 finished",
            "9 combinations evaluated; none met the minimum number of trades.",
        ),
        (
            m.job_completed(_job("backtest", summary={"return_pct": 12.345, "sharpe": 1.5, "trades": 7})),
            "job.completed.backtest",
            {
                "job": {"kind": "backtest", "name": "sma", "id": "j1"},
                "return_pct": 12.345,
                "sharpe": 1.5,
                "max_drawdown_pct": None,
                "trades": 7,
            },
            "Backtest 'sma' finished",
            "return 12.35%, Sharpe 1.50, 7 trades",
        ),
        (
            m.job_completed(_job("workflow", summary={"steps": 1})),
            "job.completed.workflow",
            {"job": {"kind": "workflow", "name": "sma", "id": "j1"}, "steps": 1},
            "Workflow run 'sma' succeeded",
            "1 step succeeded.",
        ),
        (
            m.job_failed(_job("backtest", name=None, strategy_name="rsi"), "no data"),
            "job.failed",
            {"job": {"kind": "backtest", "name": "rsi", "id": "j1"}, "reason": "no data"},
            "Backtest 'rsi' failed",
            "no data",
        ),
        (
            m.job_cancelled(_job("optimization")),
            "job.cancelled",
            {"job": {"kind": "optimization", "name": "sma", "id": "j1"}},
            "Optimization 'sma' cancelled",
            "Cancelled before it finished.",
        ),
        (
            m.job_stalled(_job("backtest"), 3725.4, 600),
            "job.stalled",
            {
                "job": {"kind": "backtest", "name": "sma", "id": "j1"},
                "quiet_seconds": 3725,
                "limit_seconds": 600,
            },
            "Backtest 'sma' seems stalled",
            "It is still running but made no progress for 1:02:05 (the threshold for this backtest is "
            "0:10:00). It may still finish; you can cancel it.",
        ),
        (
            m.pipeline_finished(_job("pipeline", summary={"signals": 3, "symbols": 20})),
            "pipeline.finished",
            {"job": {"kind": "pipeline", "name": "sma", "id": "j1"}, "signals": 3, "symbols": 20},
            "Pipeline run 'sma' finished",
            "Found 3 signals over 20 symbols.",
        ),
        (
            m.pipeline_finished(
                _job(
                    "pipeline",
                    status="stopped",
                    summary={"signals": 1, "symbols": 4},
                    shards_done=3,
                    batches_skipped=1,
                    shards_total=5,
                )
            ),
            "pipeline.stopped",
            {
                "job": {"kind": "pipeline", "name": "sma", "id": "j1"},
                "signals": 1,
                "symbols": 4,
                "done": 2,
                "total": 5,
            },
            "Pipeline run 'sma' stopped",
            "Stopped after 2 of 5 batches: 1 signals over 4 symbols.",
        ),
        (
            m.dataset_ready(SimpleNamespace(name="bars", symbols_count=1, rows=12345)),
            "dataset.ready",
            {"name": "bars", "symbols": 1, "rows": 12345},
            "Dataset 'bars' imported: 1 symbol",
            "12,345 bars across 1 symbol are ready to use.",
        ),
        (
            m.dataset_failed(
                SimpleNamespace(
                    name="bars", error=SimpleNamespace(row=7, column="high", message="high < low", count=3)
                )
            ),
            "dataset.failed",
            {"name": "bars", "row": 7, "column": "high", "message": "high < low", "count": 3},
            "Dataset 'bars' failed: row 7, column 'high': high < low",
            "high < low (3 rows break this rule)",
        ),
        (
            m.schedule_failed("nightly", "strategy gone"),
            "schedule.failed",
            {"name": "nightly", "reason": "strategy gone"},
            "Schedule 'nightly' could not start its job",
            "strategy gone",
        ),
        (
            m.channel_paused("ops", 5, "HTTP 500"),
            "channel.paused",
            {"name": "ops", "failures": 5, "error": "HTTP 500"},
            "Channel 'ops' was paused",
            "5 deliveries in a row failed; the last: HTTP 500. Fix it and resume it in Integrations.",
        ),
    ],
)
def test_each_message_builds_code_params_and_english(
    message: m.Message, code: str, params: dict[str, Any], title: str, body: str
) -> None:
    assert (message.code, message.params, message.title, message.body) == (code, params, title, body)
    assert message.kind in notifications.KINDS
    assert message.stored() == {"code": code, "params": params}
