"""A strategy parameter named like a column of the walk-forward results (issue: rsi_mean_reversion's
``window`` against the table's walk-forward ``window``): the optimization runs (plan, workers and
reduce in-process on moto), its table keeps both apart, and the results read both back.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from fastapi.testclient import TestClient
from tradewind.strategy.templates import template

from tests.unit.api.job_workflow import run_workflow
from tests.unit.api.jobs_support import SYMBOLS

SPACE = {"window": [10, 14], "low": [30], "high": [70]}


def _submit(api: TestClient, h: dict[str, str], dataset_id: str, **extra: Any) -> str:
    body = {
        "strategy": template("rsi_mean_reversion").model_dump(mode="json"),
        "dataset_id": dataset_id,
        "symbols": SYMBOLS[:1],
        "space": SPACE,
        **extra,
    }
    r = api.post("/optimizations", json=body, headers=h)
    assert r.status_code == 202, r.text
    return str(r.json()["job_id"])


def test_a_parameter_named_window_survives_walk_forward(
    api: TestClient, h: dict[str, str], data: tuple[str, dict[str, pd.DataFrame]]
) -> None:
    dataset_id, _ = data
    job_id = _submit(api, h, dataset_id, walk_forward={"train_bars": 200, "test_bars": 100})
    assert run_workflow("acme", job_id)["status"] == "succeeded"

    rows = api.get(f"/optimizations/{job_id}/table", params={"limit": 100}, headers=h).json()["rows"]
    assert {row["params"]["window"] for row in rows} == {10, 14}  # the parameter, not the window number
    windows = {row["window"] for row in rows}
    assert windows == set(range(len(windows)))
    assert len(windows) > 1
    first = api.get(f"/optimizations/{job_id}/table", params={"window": 1, "limit": 100}, headers=h).json()
    assert {row["window"] for row in first["rows"]} == {1}
    assert {row["params"]["window"] for row in first["rows"]} == {10, 14}
    board = api.get(f"/optimizations/{job_id}/leaderboard", headers=h).json()
    assert {row["params"]["window"] for row in board["rows"]} <= {10, 14}
    walk = api.get(f"/optimizations/{job_id}/walk-forward", headers=h).json()
    assert [w["window"] for w in walk["windows"]] == sorted(windows)
    assert all(w["params"]["window"] in (10, 14) for w in walk["windows"] if "params" in w)
    heat = api.get(
        f"/optimizations/{job_id}/heatmap",
        params={"x": "window", "y": "low", "metric": "sharpe", "window": 0},
        headers=h,
    )
    assert heat.status_code == 200, heat.text
    assert heat.json()["x"]["values"] == [10, 14]
    by_window = api.get(
        f"/optimizations/{job_id}/table", params={"sort": "wf_window", "order": "desc"}, headers=h
    ).json()
    assert by_window["rows"][0]["window"] == max(windows)
    by_param = api.get(f"/optimizations/{job_id}/table", params={"sort": "window"}, headers=h).json()
    assert by_param["rows"][0]["params"]["window"] == 10

    from tradewind.jobs.store import get_bytes
    from tradewind.marketdata.parquet import from_parquet_bytes

    table = from_parquet_bytes(get_bytes(f"tenants/acme/jobs/{job_id}/results/table.parquet") or b"")
    assert list(table.columns[:5]) == ["combination", "wf_window", "window", "low", "high"]


def test_a_parameter_named_like_another_result_column_is_refused_naming_it(
    api: TestClient, h: dict[str, str], data: tuple[str, dict[str, pd.DataFrame]]
) -> None:
    dataset_id, _ = data
    strategy = template("rsi_mean_reversion").model_dump(mode="json")
    doc = {**strategy, "parameters": dict(strategy["parameters"])}
    doc["parameters"]["sharpe"] = doc["parameters"].pop("window")  # the RSI's window, named like a metric
    doc["indicators"] = {"rsi": {"kind": "rsi", "source": "close", "params": {"window": {"param": "sharpe"}}}}
    body = {"strategy": doc, "dataset_id": dataset_id, "symbols": SYMBOLS[:1]}
    r = api.post("/optimizations", json=body, headers=h)
    assert r.status_code == 422, r.text
    [problem] = [e for e in r.json()["errors"] if e["type"] == "reserved_name"]
    assert problem["loc"] == ["body", "strategy", "parameters", "sharpe"]
    assert "sharpe" in problem["msg"]
    assert api.post("/backtests", json={**body, "params": {"sharpe": 14}}, headers=h).status_code == 202
