"""Optimizations over the API under moto: the estimate (figures consistent with what a submission
creates, nothing written), submission and its bad inputs named, the size limit, results from the
real engine's sweep (leaderboard, heatmap, a presigned download fetched from moto, walk-forward),
the drill-down into one combination, cancel and delete."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest
import requests
from fastapi.testclient import TestClient
from tradewind.aws import client, reset_clients
from tradewind.engine.api import backtest, sweep
from tradewind.jobs import estimate as model
from tradewind.jobs.artifacts import job_prefix
from tradewind.jobs.store import read_spec
from tradewind.strategy.space import expand
from tradewind.strategy.templates import template

from tests.unit.api.jobs_support import (
    ARTIFACTS,
    SPACE,
    SYMBOLS,
    executions,
    finish_optimization,
    keys_under,
    provision,
    put_walk_forward,
    sma_cross,
)

SHARD = 4  # combinations per shard in these tests


@pytest.fixture
def machine(aws: None, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TW_SHARD_COMBINATIONS", str(SHARD))
    return provision(monkeypatch)


def _body(dataset_id: str, **extra: Any) -> dict[str, Any]:
    return {"strategy": sma_cross(), "dataset_id": dataset_id, "symbols": SYMBOLS, "space": SPACE, **extra}


def _loc(r: Any) -> list[Any]:
    return list(r.json()["errors"][0]["loc"])


def _submit(api: TestClient, h: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    r = api.post("/optimizations", json=body, headers=h)
    assert r.status_code == 202, r.text
    assert r.headers["Location"] == f"/jobs/{r.json()['job_id']}"
    return dict(r.json())


def _set(monkeypatch: pytest.MonkeyPatch, name: str, value: int) -> None:
    monkeypatch.setenv(name, str(value))
    reset_clients()


def test_estimate_sizes_prices_and_writes_nothing(
    api: TestClient, h: dict[str, str], machine: str, data: tuple[str, dict[str, pd.DataFrame]]
) -> None:
    dataset_id, frames = data
    r = api.post("/optimizations/estimate", json=_body(dataset_id), headers=h)
    assert r.status_code == 200, r.text
    est = r.json()
    grid = len(expand(template("sma_cross"), SPACE)["fast"])
    assert (est["combinations"], est["grid_combinations"], est["symbols"], est["windows"]) == (
        grid,
        grid,
        3,
        3,
    )
    assert est["runs"] == grid * 3
    assert est["shards"] == math.ceil(grid / SHARD) * 3
    assert (est["within_limit"], est["concurrency"], est["metrics"]) == (True, 4, "full")

    bars = sum(len(f) for f in frames.values())
    rate = model.BAR_COMBOS_PER_SECOND["full"]
    worker = grid * bars / rate + est["shards"] * model.WORKER_OVERHEAD_SECONDS
    assert est["duration"]["worker_seconds"] == pytest.approx(worker)
    per_shard = worker / est["shards"]
    assert est["duration"]["projected_seconds"] == pytest.approx(
        model.ORCHESTRATION_SECONDS + math.ceil(est["shards"] / 4) * per_shard
    )
    usage, cost = est["usage"], est["cost_usd"]
    assert usage["lambda_requests"] == est["shards"] + 2
    assert usage["state_transitions"] == model.STANDARD_FIXED_TRANSITIONS + est["shards"]
    assert usage["express_requests"] == est["shards"]
    assert usage["lambda_gb_seconds"] == pytest.approx((worker + model.ORCHESTRATION_SECONDS) * 1769 / 1024)
    assert cost["lambda_compute"] == pytest.approx(
        usage["lambda_gb_seconds"] * model.LAMBDA_USD_PER_GB_SECOND
    )
    assert cost["state_transitions"] == pytest.approx(usage["state_transitions"] * 0.000025)
    assert cost["express_requests"] == pytest.approx(est["shards"] / 1_000_000)
    assert cost["total"] == pytest.approx(sum(v for k, v in cost.items() if k != "total"))

    assert api.get("/optimizations", headers=h).json()["items"] == []
    assert executions(machine) == []
    assert keys_under("tenants/") == []

    job = _submit(api, h, _body(dataset_id))
    assert job["progress"]["shards_total"] == est["shards"]
    assert job["progress"]["combos_total"] == est["runs"]


def test_estimate_follows_concurrency_samples_and_walk_forward(
    api: TestClient,
    h: dict[str, str],
    data: tuple[str, dict[str, pd.DataFrame]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dataset_id, frames = data
    slow = api.post("/optimizations/estimate", json=_body(dataset_id), headers=h).json()
    _set(monkeypatch, "TW_JOB_MAP_CONCURRENCY", 100)
    fast = api.post("/optimizations/estimate", json=_body(dataset_id), headers=h).json()
    assert fast["concurrency"] == 100
    assert fast["duration"]["projected_seconds"] < slow["duration"]["projected_seconds"]
    assert fast["cost_usd"]["total"] == pytest.approx(slow["cost_usd"]["total"])

    sampled = api.post("/optimizations/estimate", json=_body(dataset_id, samples=5), headers=h).json()
    assert (sampled["combinations"], sampled["grid_combinations"], sampled["shards"]) == (5, 9, 2 * 3)

    wf = {"train_bars": 200, "test_bars": 100}
    walked = api.post("/optimizations/estimate", json=_body(dataset_id, walk_forward=wf), headers=h).json()
    n_bars = len(frames[SYMBOLS[0]])  # the symbols share one calendar
    windows = (n_bars - 300) // 100 + 1
    assert walked["windows"] == windows * 3
    assert walked["runs"] == 9 * windows * 3
    assert walked["shards"] == math.ceil(9 / SHARD) * windows * 3


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"objective": {"metric": "nope"}}, ["body", "objective", "metric"]),
        ({"objective": {"metric": "start"}}, ["body", "objective", "metric"]),
        ({"objective": {"metric": "sortino"}, "metrics": "screening"}, ["body", "objective", "metric"]),
        ({"constraints": [{"left": "fats", "op": "<", "right": "slow"}]}, ["body", "constraints", 0, "left"]),
        ({"constraints": [{"left": "fast", "op": "<", "right": "slo"}]}, ["body", "constraints", 0, "right"]),
        ({"constraints": [{"left": "fast", "op": ">", "right": "slow"}]}, ["body", "constraints"]),
        ({"space": {"nope": [1, 2]}}, ["body", "space", "nope"]),
        ({"space": {"fast": [1, 500], "slow": [20]}}, ["body", "space", "fast"]),
        ({"symbols": ["NOPE", *SYMBOLS]}, ["body", "symbols", 0]),
        ({"start": "2023-01-01"}, ["body", "start"]),
        # slow reaches 60 and January 2021 has 21 weekday bars (the dataset has 522)
        ({"start": "2021-01-01", "end": "2021-01-31"}, ["body", "space", "slow"]),
        ({"walk_forward": {"train_bars": 400, "test_bars": 200}}, ["body", "walk_forward", "train_bars"]),
        # slow reaches 60: a 50-bar test window (or a 55-bar train window) cannot warm it up
        ({"walk_forward": {"train_bars": 200, "test_bars": 50}}, ["body", "walk_forward", "test_bars"]),
        ({"walk_forward": {"train_bars": 55, "test_bars": 100}}, ["body", "walk_forward", "train_bars"]),
    ],
)
def test_bad_inputs_are_422_naming_the_field(
    api: TestClient,
    h: dict[str, str],
    machine: str,
    data: tuple[str, dict[str, pd.DataFrame]],
    change: dict[str, Any],
    loc: list[Any],
) -> None:
    body = _body(data[0], **change)
    for path in ("/optimizations", "/optimizations/estimate"):
        r = api.post(path, json=body, headers=h)
        assert (r.status_code, _loc(r)) == (422, loc), r.text
    assert executions(machine) == []


def test_a_sweep_above_the_limit_is_422_with_the_count(
    api: TestClient,
    h: dict[str, str],
    data: tuple[str, dict[str, pd.DataFrame]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _set(monkeypatch, "TW_MAX_SWEEP_COMBINATIONS", 20)
    r = api.post("/optimizations", json=_body(data[0]), headers=h)
    assert (r.status_code, _loc(r)) == (422, ["body", "space"])
    assert "27" in r.json()["detail"]
    assert "9 combinations x 3 symbols = 27 runs exceed the limit of 20" in r.json()["errors"][0]["msg"]
    sampled = api.post("/optimizations", json=_body(data[0], samples=7), headers=h)
    assert (sampled.status_code, _loc(sampled)) == (422, ["body", "samples"])
    estimate = api.post("/optimizations/estimate", json=_body(data[0]), headers=h).json()
    assert (estimate["runs"], estimate["max_runs"], estimate["within_limit"]) == (27, 20, False)
    assert _submit(api, h, _body(data[0], samples=6))["progress"]["combos_total"] == 18


def test_leaderboard_heatmap_and_download_of_the_engines_sweep(
    api: TestClient, h: dict[str, str], data: tuple[str, dict[str, pd.DataFrame]]
) -> None:
    dataset_id, frames = data
    space = {"window": [7, 14], "low": [25, 30], "high": [70, 75]}
    body = _body(dataset_id, strategy=template("rsi_mean_reversion").model_dump(mode="json"), space=space)
    job = _submit(api, h, {**body, "top_n": 5})
    url = f"/optimizations/{job['job_id']}"
    early = api.get(f"{url}/leaderboard", headers=h)
    assert (early.status_code, _loc(early)) == (409, ["path", "job_id"])

    table = finish_optimization("acme", job["job_id"], frames)
    board = api.get(f"{url}/leaderboard", headers=h, params={"limit": 3}).json()
    assert board["objective"] == {"metric": "sharpe", "direction": "maximize"}
    best = table.sort_values(["sharpe", "combination"], ascending=[False, True]).head(3)
    assert [row["combination"] for row in board["rows"]] == best["combination"].tolist()
    assert board["rows"][0]["metrics"]["sharpe"] == pytest.approx(best["sharpe"].iloc[0])
    assert board["rows"][0]["params"] == {k: int(best[k].iloc[0]) for k in space}
    assert len(api.get(f"{url}/leaderboard", headers=h).json()["rows"]) == 5

    for agg in ("max", "mean"):
        heat = api.get(f"{url}/heatmap", headers=h, params={"x": "low", "y": "high", "agg": agg}).json()
        assert (heat["x"]["values"], heat["y"]["values"], heat["metric"]) == ([25, 30], [70, 75], "sharpe")
        expected = table.groupby(["high", "low"])["sharpe"].agg(agg)
        for j, high in enumerate(heat["y"]["values"]):
            for i, low in enumerate(heat["x"]["values"]):
                assert heat["z"][j][i] == pytest.approx(expected[(high, low)])
    bad = api.get(f"{url}/heatmap", headers=h, params={"x": "lo", "y": "high"})
    assert (bad.status_code, _loc(bad)) == (422, ["query", "x"])
    same = api.get(f"{url}/heatmap", headers=h, params={"x": "low", "y": "low"})
    assert (same.status_code, _loc(same)) == (422, ["query", "y"])
    unknown = api.get(f"{url}/heatmap", headers=h, params={"x": "low", "y": "high", "metric": "nope"})
    assert (unknown.status_code, _loc(unknown)) == (422, ["query", "metric"])
    assert {"start", "end"} <= set(table.columns)  # the table keeps the period of each row...
    for date in ("start", "end"):  # ...but a date is no number to chart
        dated = api.get(f"{url}/heatmap", headers=h, params={"x": "low", "y": "high", "metric": date})
        assert (dated.status_code, _loc(dated)) == (422, ["query", "metric"]), dated.text
        assert "sharpe" in dated.json()["errors"][0]["msg"]
        assert "start" not in dated.json()["errors"][0]["msg"].split("(")[1]

    for fmt in ("csv", "parquet"):
        link = api.get(f"{url}/download", headers=h, params={"format": fmt}).json()
        assert link["filename"] == f"optimization-{job['job_id']}.{fmt}"
        fetched = requests.get(link["url"], timeout=10)
        assert fetched.status_code == 200
        stored = client("s3").get_object(
            Bucket=ARTIFACTS, Key=f"{job_prefix('acme', job['job_id'])}results/table.{fmt}"
        )
        assert fetched.content == stored["Body"].read()


def test_walk_forward_report(
    api: TestClient, h: dict[str, str], data: tuple[str, dict[str, pd.DataFrame]]
) -> None:
    dataset_id, frames = data
    plain = _submit(api, h, _body(dataset_id))
    finish_optimization("acme", plain["job_id"], frames)
    assert api.get(f"/optimizations/{plain['job_id']}/walk-forward", headers=h).status_code == 404

    wf = _submit(
        api, h, _body(dataset_id, symbols=SYMBOLS[:1], walk_forward={"train_bars": 200, "test_bars": 100})
    )
    finish_optimization("acme", wf["job_id"], frames)
    bars = frames[SYMBOLS[0]].set_index("timestamp")
    train, test = bars.iloc[:200], bars.iloc[200:300]
    in_sample = sweep(train, sma_cross(), SPACE, level="full").sort_values("sharpe", ascending=False).iloc[0]
    params = {"fast": int(in_sample["fast"]), "slow": int(in_sample["slow"])}
    out = backtest(test, sma_cross(), params).metrics
    report = {
        "windows": [
            {
                "window": 0,
                "train": {"start": "2020-01-01T00:00:00Z", "end": "2020-10-07T00:00:00Z"},
                "test": {"start": "2020-10-08T00:00:00Z", "end": "2021-02-24T00:00:00Z"},
                "params": params,
                "in_sample": {"sharpe": float(in_sample["sharpe"])},
                "out_of_sample": {"sharpe": float(out["sharpe"])},
            }
        ],
        "out_of_sample": {"sharpe": float(out["sharpe"])},
    }
    put_walk_forward("acme", wf["job_id"], report)
    assert api.get(f"/optimizations/{wf['job_id']}/walk-forward", headers=h).json() == report


def test_drill_down_reruns_one_combination_as_a_backtest(
    api: TestClient, h: dict[str, str], data: tuple[str, dict[str, pd.DataFrame]]
) -> None:
    dataset_id, frames = data
    stored = api.post("/strategies", json={"template": "sma_cross", "name": "Stored SMA"}, headers=h).json()
    body = {k: v for k, v in _body(dataset_id, strategy_id=stored["strategy_id"]).items() if k != "strategy"}
    job = _submit(api, h, {**body, "name": "grid"})
    url = f"/optimizations/{job['job_id']}/combinations/4/backtest"
    early = api.post(url, headers=h)
    assert (early.status_code, _loc(early)) == (409, ["path", "job_id"])

    table = finish_optimization("acme", job["job_id"], frames)
    r = api.post(url, headers=h)
    assert r.status_code == 202, r.text
    drilled = r.json()
    assert r.headers["Location"] == f"/jobs/{drilled['job_id']}"
    assert (drilled["kind"], drilled["name"], drilled["symbols"]) == ("backtest", "grid #4", SYMBOLS)
    assert (drilled["strategy_id"], drilled["strategy_version"]) == (stored["strategy_id"], 1)
    spec = read_spec("acme", drilled["job_id"])
    assert spec is not None
    assert spec.params == {"fast": int(table["fast"][4]), "slow": int(table["slow"][4])}

    plain = {k: v for k, v in body.items() if k != "space"}
    same = api.post("/backtests", json={**plain, "params": spec.params}, headers=h)
    assert same.status_code == 202  # the same work as a plain backtest of that stored version
    assert read_spec("acme", same.json()["job_id"]).content_hash() == spec.content_hash()  # type: ignore[union-attr]
    missing = api.post(f"/optimizations/{job['job_id']}/combinations/9/backtest", headers=h)
    assert (missing.status_code, _loc(missing)) == (404, ["path", "n"])


def test_cancel_and_delete_an_optimization(
    api: TestClient,
    h: dict[str, str],
    other_key: str,
    machine: str,
    data: tuple[str, dict[str, pd.DataFrame]],
) -> None:
    job = _submit(api, h, _body(data[0]))
    url = f"/jobs/{job['job_id']}"
    assert api.post(f"{url}/cancel", headers={"X-Api-Key": other_key}).status_code == 404
    cancelled = api.post(f"{url}/cancel", headers=h).json()
    assert cancelled["status"] == "cancelled"
    assert [e["status"] for e in executions(machine)] == ["ABORTED"]
    assert (
        api.get("/optimizations", headers=h, params={"status": "cancelled"}).json()["items"][0]["job_id"]
        == (job["job_id"])
    )
    assert api.delete(url, headers=h).status_code == 204
    assert api.get(url, headers=h).status_code == 404
    assert keys_under(job_prefix("acme", job["job_id"])) == []


def test_table_pages_the_full_table_sorted_by_any_column(
    api: TestClient, h: dict[str, str], data: tuple[str, dict[str, pd.DataFrame]]
) -> None:
    dataset_id, frames = data
    space = {"window": [7, 14], "low": [25, 30], "high": [70, 75]}
    body = _body(dataset_id, strategy=template("rsi_mean_reversion").model_dump(mode="json"), space=space)
    job = _submit(api, h, {**body, "top_n": 2})
    url = f"/optimizations/{job['job_id']}/table"
    early = api.get(url, headers=h)
    assert (early.status_code, _loc(early)) == (409, ["path", "job_id"])
    table = finish_optimization("acme", job["job_id"], frames)

    first = api.get(url, headers=h, params={"limit": 3}).json()
    assert (first["params"], first["sort"], first["order"]) == (["window", "low", "high"], "sharpe", "desc")
    assert (first["total"], first["offset"], first["windowed"]) == (8, 0, False)
    assert "sharpe" in first["metrics"]
    assert "start" not in first["metrics"]
    rest = api.get(url, headers=h, params={"offset": 3, "limit": 10}).json()
    rows = first["rows"] + rest["rows"]
    defined = table[table["sharpe"].notna()].sort_values(["sharpe", "combination"], ascending=[False, True])
    undefined = table[table["sharpe"].isna()].sort_values("combination")
    assert [r["combination"] for r in rows] == [*defined["combination"], *undefined["combination"]]
    assert len(rows) == 8  # every combination, not only the top_n of the leaderboard
    assert rows[0]["metrics"]["sharpe"] == pytest.approx(defined["sharpe"].iloc[0])
    assert rows[0]["params"] == {k: int(defined[k].iloc[0]) for k in space}
    assert rows[0]["window"] is None

    by_low = api.get(url, headers=h, params={"sort": "low", "order": "asc", "limit": 8}).json()
    assert [r["params"]["low"] for r in by_low["rows"]] == sorted(table["low"])
    assert [r["combination"] for r in by_low["rows"]][:4] == sorted(table[table["low"] == 25]["combination"])
    up = api.get(url, headers=h, params={"sort": "trades", "limit": 8}).json()
    assert up["order"] == "asc"
    trades = [r["metrics"]["trades"] for r in up["rows"]]
    assert trades == sorted(trades)

    cell = api.get(
        url, headers=h, params={"where": ["low:30", "high:75"], "sort": "sharpe", "limit": 8}
    ).json()
    expected = table[(table["low"] == 30) & (table["high"] == 75)]
    assert cell["total"] == len(expected) == 2
    assert {r["combination"] for r in cell["rows"]} == set(expected["combination"])
    nowhere = api.get(url, headers=h, params={"where": ["low:30", "lo:1", "high:x"]})
    assert nowhere.status_code == 422
    assert [e["loc"] for e in nowhere.json()["errors"]] == [["query", "where", 1], ["query", "where", 2]]

    bad = api.get(url, headers=h, params={"sort": "start"})
    assert (bad.status_code, _loc(bad)) == (422, ["query", "sort"])
    assert "sharpe" in bad.json()["errors"][0]["msg"]
    windowless = api.get(url, headers=h, params={"window": 0})
    assert (windowless.status_code, _loc(windowless)) == (422, ["query", "window"])
    assert api.get(url, headers=h, params={"limit": 1001}).status_code == 422
