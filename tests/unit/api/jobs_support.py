"""What the jobs API tests share: the artifacts bucket and a job state machine in moto, a ready dataset
of synthetic bars, and "reduce stand-ins" that write a finished job's results in the documented
formats (tradewind/jobs/artifacts.py) from the real engine's output.

The state machine is a trivial Pass machine: ``StartExecution`` and ``StopExecution`` are real moto
calls, and since the ``aws`` fixture does not enable execution, an execution stays RUNNING until
stopped; the tests play the workflow's part (mark the job succeeded with its artifacts).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tradewind.aws import client, reset_clients
from tradewind.data.jobs import JobHashRecord, JobRecord
from tradewind.data.marketdata import IMPORTING
from tradewind.engine.api import backtest, sweep
from tradewind.jobs.artifacts import (
    RESULT_CURVES,
    RESULT_LEADERBOARD,
    RESULT_SUMMARY,
    RESULT_TABLE_CSV,
    RESULT_TABLE_PARQUET,
    RESULT_TRADES,
    RESULT_WALK_FORWARD,
    result_key,
)
from tradewind.jobs.reduce import buy_and_hold, curve, leaderboard_row, mean_over_symbols, rank, trade_list
from tradewind.jobs.store import put_bytes, read_spec
from tradewind.jobs.tables import (
    CSV_TYPE,
    JSON_TYPE,
    PARQUET_TYPE,
    plain_mapping,
    strict_json,
    utc_time,
)
from tradewind.marketdata.parquet import to_parquet_bytes
from tradewind.marketdata.sample import generate, sample_symbols
from tradewind.services import imports
from tradewind.services.datasets import new_record
from tradewind.strategy.templates import template

ARTIFACTS = "tw-test-artifacts"
SYMBOLS = [s.symbol for s in sample_symbols()[:3]]
PERIOD = ("2020-01-01", "2021-12-31")  # 522 weekdays of synthetic bars
SPACE: dict[str, Any] = {"fast": {"min": 5, "max": 15, "step": 5}, "slow": [20, 40, 60]}  # 9 combinations


def provision(monkeypatch: pytest.MonkeyPatch) -> str:
    """The artifacts bucket and a job state machine; returns the machine's ARN (also in settings)."""
    client("s3").create_bucket(Bucket=ARTIFACTS)
    definition = {"StartAt": "Run", "States": {"Run": {"Type": "Pass", "End": True}}}
    arn = client("stepfunctions").create_state_machine(
        name="tw-test-jobs",
        definition=json.dumps(definition),
        roleArn="arn:aws:iam::123456789012:role/tw-test-jobs",
    )["stateMachineArn"]
    monkeypatch.setenv("TW_ARTIFACTS_BUCKET", ARTIFACTS)
    monkeypatch.setenv("TW_JOB_STATE_MACHINE_ARN", arn)
    reset_clients()
    return str(arn)


def ready_dataset(tenant_id: str, symbols: list[str] = SYMBOLS) -> tuple[str, dict[str, pd.DataFrame]]:
    """A ready dataset of ``symbols`` (synthetic daily bars over :data:`PERIOD`): its id and the bars."""
    chosen = [s for s in sample_symbols() if s.symbol in symbols]
    bars = generate(chosen, start=PERIOD[0], end=PERIOD[1])
    frames = {s.symbol: bars.frame(i) for i, s in enumerate(bars.symbols)}
    record = new_record(tenant_id, "test bars", source="upload", file_format="parquet")
    record.status = IMPORTING
    record.save()
    imports.mark_ready(record, imports.publish(record, frames))
    return record.dataset_id, frames


def sma_cross() -> dict[str, Any]:
    return template("sma_cross").model_dump(mode="json")


def executions(arn: str) -> list[dict[str, Any]]:
    return list(client("stepfunctions").list_executions(stateMachineArn=arn)["executions"])


def keys_under(prefix: str) -> list[str]:
    listed = client("s3").list_objects_v2(Bucket=ARTIFACTS, Prefix=prefix)
    return [item["Key"] for item in listed.get("Contents", [])]


def _bars(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index(pd.DatetimeIndex(frame["timestamp"])).drop(columns="timestamp")


def _put_json(tenant_id: str, job_id: str, name: str, obj: Any) -> None:
    put_bytes(result_key(tenant_id, job_id, name), strict_json(obj), JSON_TYPE)


def _succeed(tenant_id: str, job_id: str, summary: dict[str, Any]) -> None:
    record = JobRecord.get(*JobRecord.key(tenant_id, job_id))
    now = datetime.now(UTC)
    record.update(
        actions=[
            JobRecord.status.set("succeeded"),
            JobRecord.summary.set(summary),
            JobRecord.shards_done.set(record.shards_total),
            JobRecord.combos_done.set(record.combos_total),
            JobRecord.started_at.set(now),
            JobRecord.finished_at.set(now),
        ]
    )
    spec = read_spec(tenant_id, job_id)
    assert spec is not None
    JobHashRecord(
        *JobHashRecord.key(tenant_id, record.kind, spec.content_hash()), tenant_id=tenant_id, job_id=job_id
    ).save()


def finish_backtest(tenant_id: str, job_id: str, frames: dict[str, pd.DataFrame]) -> Any:
    """Run the job's spec through ``tradewind.engine.backtest`` and store the results as reduce does;
    returns the engine's ``PortfolioResult``."""
    spec = read_spec(tenant_id, job_id)
    assert spec is not None
    data = {s: _bars(frames[s]) for s in spec.symbols}
    result = backtest(data, spec.strategy, spec.params, spec.cash, spec.weights)
    portfolio = plain_mapping(result.metrics.to_dict())
    equity_index = result.equity.index.to_numpy(dtype="datetime64[ns]")
    _put_json(
        tenant_id,
        job_id,
        RESULT_SUMMARY,
        {
            "portfolio": portfolio,
            "symbols": {s: plain_mapping(r.metrics.to_dict()) for s, r in result.symbols.items()},
            "params": plain_mapping(next(iter(result.symbols.values())).params),
            "weights": plain_mapping(result.weights),
            "start": utc_time(equity_index[0]),
            "end": utc_time(equity_index[-1]),
        },
    )
    _put_json(tenant_id, job_id, RESULT_TRADES, trade_list(result.symbols))
    closes = {
        s: (np.asarray(data[s].index, dtype="datetime64[ns]"), data[s]["close"].to_numpy()) for s in data
    }
    curves = {
        "portfolio": curve(
            equity_index,
            result.equity.to_numpy(),
            result.drawdown.to_numpy(),
            buy_and_hold(equity_index, closes, result.weights, spec.cash),
        ),
        "symbols": {
            s: curve(
                r.index,
                r.equity_values,
                r.drawdown.to_numpy(),
                buy_and_hold(r.index, {s: closes[s]}, {s: result.weights[s]}, spec.cash),
            )
            for s, r in result.symbols.items()
        },
    }
    _put_json(tenant_id, job_id, RESULT_CURVES, curves)
    _succeed(
        tenant_id, job_id, {k: portfolio[k] for k in ("return_pct", "sharpe", "max_drawdown_pct", "trades")}
    )
    return result


def finish_optimization(tenant_id: str, job_id: str, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Sweep the job's space with ``tradewind.engine.sweep`` on every symbol, store the table (metrics
    averaged over the symbols), the leaderboard and the summary; returns the table."""
    spec = read_spec(tenant_id, job_id)
    assert spec is not None
    runs = [
        sweep(_bars(frames[s]), spec.strategy, spec.space, spec.constraints, spec.cash, level=spec.metrics)
        for s in spec.symbols
    ]
    params = list(spec.strategy.parameters)
    head = pd.DataFrame({"combination": np.arange(len(runs[0]), dtype=np.int64)})
    metrics = mean_over_symbols([run.drop(columns=params) for run in runs])
    table = pd.concat([head, runs[0][params], metrics], axis=1)
    objective = spec.objective.metric
    order = rank(table, objective, spec.objective.direction, spec.min_trades)[: spec.top_n]
    metric_names = list(metrics.columns)
    rows = [leaderboard_row(i + 1, table.iloc[n], params, metric_names) for i, n in enumerate(order)]
    board = {"objective": spec.objective.model_dump(), "rows": rows}
    _put_json(tenant_id, job_id, RESULT_LEADERBOARD, board)
    parquet = to_parquet_bytes(table, columns=None)
    put_bytes(result_key(tenant_id, job_id, RESULT_TABLE_PARQUET), parquet, PARQUET_TYPE)
    put_bytes(result_key(tenant_id, job_id, RESULT_TABLE_CSV), table.to_csv(index=False).encode(), CSV_TYPE)
    best = rows[0] if rows else None
    _put_json(
        tenant_id,
        job_id,
        RESULT_SUMMARY,
        {"objective": board["objective"], "best": best, "combinations": len(table), "symbols": spec.symbols},
    )
    _succeed(
        tenant_id,
        job_id,
        {
            "best_params": None if best is None else best["params"],
            "best_objective": None if best is None else best["metrics"][objective],
            "combinations": len(table),
        },
    )
    return table


def put_walk_forward(tenant_id: str, job_id: str, report: dict[str, Any]) -> None:
    _put_json(tenant_id, job_id, RESULT_WALK_FORWARD, report)
