"""Backtests over the API under moto: submission (202, spec, a real StartExecution), idempotency, the
result cache, every bad input named, results from the real engine's output (metrics, trade pages,
curves), cancel, delete, listing with filters and pages, compare, tenant isolation, a failed start."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind.api.jobs import trades_token
from tradewind.api.pagination import encode_token
from tradewind.aws import client, reset_clients
from tradewind.data.jobs import IdempotencyRecord, JobHashRecord, ShardMarker
from tradewind.jobs import store
from tradewind.jobs.artifacts import job_prefix
from tradewind.jobs.lifecycle import execution_arn
from tradewind.jobs.store import read_spec
from tradewind.services.datasets import get_dataset

from tests.unit.api.jobs_support import (
    SYMBOLS,
    executions,
    finish_backtest,
    finish_optimization,
    keys_under,
    sma_cross,
)


def _body(dataset_id: str, **extra: Any) -> dict[str, Any]:
    return {"strategy": sma_cross(), "dataset_id": dataset_id, "symbols": SYMBOLS[:2], **extra}


def _submit(api: TestClient, h: dict[str, str], body: dict[str, Any], **headers: str) -> dict[str, Any]:
    r = api.post("/backtests", json=body, headers={**h, **headers})
    assert r.status_code == 202, r.text
    return dict(r.json())


def _loc(r: Any) -> list[Any]:
    return list(r.json()["errors"][0]["loc"])


def test_submit_answers_202_with_the_job_and_starts_its_execution(
    api: TestClient, h: dict[str, str], machine: str, data: tuple[str, Any]
) -> None:
    dataset_id, _ = data
    r = api.post(
        "/backtests", json=_body(dataset_id, params={"fast": 5, "slow": 20}, name="first"), headers=h
    )
    assert r.status_code == 202, r.text
    job = r.json()
    assert r.headers["Location"] == f"/jobs/{job['job_id']}"
    assert (job["kind"], job["status"], job["name"], job["cached"]) == ("backtest", "queued", "first", False)
    assert job["symbols"] == SYMBOLS[:2]
    assert job["progress"]["shards_total"] == 2
    assert job["progress"]["combos_total"] == 2
    assert job["strategy_name"] == "SMA cross"
    assert job["strategy_id"] is None

    [execution] = executions(machine)
    assert execution["name"] == job["job_id"]
    started = client("stepfunctions").describe_execution(executionArn=execution["executionArn"])
    assert json.loads(started["input"]) == {"tenant_id": "acme", "job_id": job["job_id"]}
    assert execution_arn(job["job_id"]) == execution["executionArn"]

    spec = read_spec("acme", job["job_id"])
    assert spec is not None
    assert (spec.kind, spec.symbols, spec.params) == ("backtest", SYMBOLS[:2], {"fast": 5, "slow": 20})
    assert spec.dataset_version == get_dataset("acme", dataset_id).updated_at.isoformat()
    assert api.get(f"/jobs/{job['job_id']}", headers=h).json() == job


def test_request_costs_replace_the_strategys(
    api: TestClient, h: dict[str, str], data: tuple[str, Any]
) -> None:
    costs = {"commission": 0.001, "commission_fixed": 1.0, "slippage_bps": 5.0}
    job = _submit(api, h, _body(data[0], costs=costs))
    spec = read_spec("acme", job["job_id"])
    assert spec is not None
    assert spec.strategy.costs.model_dump() == costs


def test_idempotency_key_returns_the_same_job_and_refuses_another_request(
    api: TestClient, h: dict[str, str], machine: str, data: tuple[str, Any]
) -> None:
    body = _body(data[0])
    first = _submit(api, h, body, **{"Idempotency-Key": "retry-1"})
    again = api.post("/backtests", json=body, headers={**h, "Idempotency-Key": "retry-1"})
    assert (again.status_code, again.json()["job_id"]) == (202, first["job_id"])
    assert len(executions(machine)) == 1

    changed = api.post("/backtests", json={**body, "cash": 5000}, headers={**h, "Idempotency-Key": "retry-1"})
    assert (changed.status_code, _loc(changed)) == (422, ["header", "Idempotency-Key"])
    other_key = _submit(api, h, body, **{"Idempotency-Key": "retry-2"})
    assert other_key["job_id"] != first["job_id"]

    bad = api.post("/backtests", json=body, headers={**h, "Idempotency-Key": "has space"})
    assert (bad.status_code, _loc(bad)) == (422, ["header", "Idempotency-Key"])


def test_a_key_freed_by_the_request_that_bound_it_first_is_409(
    api: TestClient,
    h: dict[str, str],
    machine: str,
    data: tuple[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A concurrent request binds the key just before this one's conditional put, fails to start its
    job and frees the key before this one reads who bound it: retry later, not a 500."""
    save = IdempotencyRecord.save

    def lose_the_race(claim: IdempotencyRecord, *args: Any, **kwargs: Any) -> Any:
        winner = IdempotencyRecord(
            claim.pk,
            claim.sk,
            tenant_id=claim.tenant_id,
            job_id="the-winner",
            request_hash=claim.request_hash,
            expires_at=claim.expires_at,
        )
        save(winner)
        try:
            return save(claim, *args, **kwargs)
        finally:
            winner.delete()

    monkeypatch.setattr(IdempotencyRecord, "save", lose_the_race)
    body = _body(data[0])
    r = api.post("/backtests", json=body, headers={**h, "Idempotency-Key": "race"})
    assert (r.status_code, _loc(r)) == (409, ["header", "Idempotency-Key"]), r.text
    assert r.json()["errors"][0]["type"] == "key_in_use"
    assert executions(machine) == []
    monkeypatch.setattr(IdempotencyRecord, "save", save)
    assert _submit(api, h, body, **{"Idempotency-Key": "race"})["status"] == "queued"


def test_identical_work_is_answered_from_the_cache_unless_forced(
    api: TestClient, h: dict[str, str], machine: str, data: tuple[str, Any]
) -> None:
    dataset_id, frames = data
    body = _body(dataset_id, params={"fast": 10, "slow": 40})
    original = _submit(api, h, body)
    finish_backtest("acme", original["job_id"], frames)

    r = api.post("/backtests", json={**body, "name": "again"}, headers=h)
    assert r.status_code == 200, r.text
    cached = r.json()
    assert cached["job_id"] != original["job_id"]
    assert (cached["status"], cached["cached"], cached["name"]) == ("succeeded", True, "again")
    assert cached["summary"] == api.get(f"/jobs/{original['job_id']}", headers=h).json()["summary"]
    results = [api.get(f"/backtests/{j['job_id']}/results", headers=h).json() for j in (original, cached)]
    assert {k: v for k, v in results[0].items() if k != "job_id"} == {
        k: v for k, v in results[1].items() if k != "job_id"
    }
    assert len(executions(machine)) == 1  # the cached answer started nothing

    forced = _submit(api, h, {**body, "force": True})
    assert (forced["status"], forced["cached"]) == ("queued", False)
    assert len(executions(machine)) == 2


def test_a_cached_copy_that_fails_leaves_no_objects(
    api: TestClient, h: dict[str, str], data: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset_id, frames = data
    body = _body(dataset_id)
    original = _submit(api, h, body)
    finish_backtest("acme", original["job_id"], frames)
    before = keys_under("tenants/")

    def unavailable(*args: Any) -> None:
        raise RuntimeError("S3 is unavailable")

    monkeypatch.setattr(store, "write_spec", unavailable)  # after the results were copied
    assert api.post("/backtests", json=body, headers=h).status_code == 500
    assert keys_under("tenants/") == before
    assert [j["job_id"] for j in api.get("/backtests", headers=h).json()["items"]] == [original["job_id"]]


@pytest.mark.parametrize(
    ("change", "status", "loc"),
    [
        ({"symbols": [SYMBOLS[0], "NOPE"]}, 422, ["body", "symbols", 1]),
        ({"symbols": [SYMBOLS[0], SYMBOLS[0]]}, 422, ["body", "symbols", 1]),
        ({"start": "2024-01-01"}, 422, ["body", "start"]),
        ({"end": "2019-06-30"}, 422, ["body", "end"]),
        ({"dataset_id": "missing"}, 404, ["body", "dataset_id"]),
        ({"params": {"nope": 3}}, 422, ["body", "params", "nope"]),
        ({"params": {"fast": 500}}, 422, ["body", "params", "fast"]),
        ({"params": {"fast": 50, "slow": 20}}, 422, ["body", "params"]),
        # January 2021 has 21 weekday bars: too few for a 60-bar average, though the dataset has 522
        (
            {"start": "2021-01-01", "end": "2021-01-31", "params": {"slow": 60}},
            422,
            ["body", "params", "slow"],
        ),
        ({"weights": {"ZZZ": 1.0}}, 422, ["body", "weights", "ZZZ"]),
        ({"watchlist_id": "nope", "symbols": None}, 404, ["body", "watchlist_id"]),
        ({"strategy": None, "strategy_id": "nope"}, 404, ["body", "strategy_id"]),
    ],
)
def test_bad_inputs_are_4xx_naming_the_field(
    api: TestClient,
    h: dict[str, str],
    machine: str,
    data: tuple[str, Any],
    change: dict[str, Any],
    status: int,
    loc: list[Any],
) -> None:
    body = {k: v for k, v in {**_body(data[0]), **change}.items() if v is not None}
    r = api.post("/backtests", json=body, headers=h)
    assert (r.status_code, _loc(r)) == (status, loc), r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert executions(machine) == []
    assert keys_under("tenants/") == []


def test_an_inline_strategy_is_checked_whole(
    api: TestClient, h: dict[str, str], data: tuple[str, Any]
) -> None:
    doc = sma_cross()
    doc["rules"][0]["when"]["left"] = "missing_ma"
    r = api.post("/backtests", json={**_body(data[0]), "strategy": doc}, headers=h)
    assert (r.status_code, _loc(r)[:3]) == (422, ["body", "strategy", "rules"])


def test_a_dataset_not_ready_is_409(api: TestClient, h: dict[str, str], data: tuple[str, Any]) -> None:
    record = get_dataset("acme", data[0])
    record.update(actions=[type(record).status.set("importing")])
    r = api.post("/backtests", json=_body(data[0]), headers=h)
    assert (r.status_code, _loc(r)) == (409, ["body", "dataset_id"])


def test_stored_strategy_and_watchlist_are_resolved(
    api: TestClient, h: dict[str, str], data: tuple[str, Any]
) -> None:
    created = api.post("/strategies", json={"template": "sma_cross", "name": "My SMA"}, headers=h).json()
    sid = created["strategy_id"]
    watchlist = api.post("/watchlists", json={"name": "w", "symbols": SYMBOLS[1:]}, headers=h).json()
    body = {"strategy_id": sid, "dataset_id": data[0], "watchlist_id": watchlist["watchlist_id"]}
    job = _submit(api, h, body)
    assert (job["strategy_id"], job["strategy_version"], job["strategy_name"]) == (sid, 1, "My SMA")
    assert job["symbols"] == SYMBOLS[1:]
    unknown = api.post("/backtests", json={**body, "strategy_version": 7}, headers=h)
    assert (unknown.status_code, _loc(unknown)) == (404, ["body", "strategy_version"])
    api.put(f"/watchlists/{watchlist['watchlist_id']}", json={"name": "w", "symbols": ["NOPE"]}, headers=h)
    missing = api.post("/backtests", json=body, headers=h)
    assert (missing.status_code, _loc(missing)) == (422, ["body", "watchlist_id"])
    assert "NOPE" in missing.json()["errors"][0]["msg"]


def test_results_are_the_engines_with_trade_pages_and_cut_curves(
    api: TestClient, h: dict[str, str], data: tuple[str, Any]
) -> None:
    dataset_id, frames = data
    job = _submit(api, h, _body(dataset_id, symbols=SYMBOLS, params={"fast": 5, "slow": 20}))
    url = f"/backtests/{job['job_id']}"
    unfinished = api.get(f"{url}/results", headers=h)
    assert (unfinished.status_code, _loc(unfinished)) == (409, ["path", "job_id"])
    assert "queued" in unfinished.json()["errors"][0]["msg"]

    engine = finish_backtest("acme", job["job_id"], frames)
    body = api.get(f"{url}/results", headers=h, params={"max_points": 50, "trades_limit": 5}).json()
    assert body["portfolio"]["return_pct"] == pytest.approx(engine.metrics["return_pct"])
    assert body["portfolio"]["sharpe"] == pytest.approx(engine.metrics["sharpe"])
    assert set(body["symbols"]) == set(SYMBOLS)
    assert body["symbols"][SYMBOLS[0]]["trades"] == engine.symbols[SYMBOLS[0]].metrics["trades"]
    assert body["params"] == {"fast": 5, "slow": 20}
    assert len(body["trades"]["items"]) == 5
    assert body["trades"]["next_token"]
    assert len(body["curves"]["portfolio"]["time"]) == 50
    assert body["curves"]["symbols"] is None

    total = sum(len(r.trades) for r in engine.symbols.values())
    seen, token = [], None
    while True:
        page = api.get(
            f"{url}/trades", headers=h, params={"limit": 7, **({"next_token": token} if token else {})}
        )
        assert page.status_code == 200, page.text
        seen += page.json()["items"]
        token = page.json()["next_token"]
        if token is None:
            break
    assert page.json()["total"] == total
    assert len(seen) == total
    assert [t["entry_time"] for t in seen] == sorted(t["entry_time"] for t in seen)
    one = api.get(f"{url}/trades", headers=h, params={"symbol": SYMBOLS[1], "limit": 200}).json()
    assert one["total"] == len(engine.symbols[SYMBOLS[1]].trades)
    assert {t["symbol"] for t in one["items"]} == {SYMBOLS[1]}
    for token in (
        "bm90LWEtdG9rZW4",
        encode_token({"pk": {"S": f"TRADES#{job['job_id']}"}, "offset": {"S": "²"}}),
        encode_token({"pk": {"S": f"TRADES#{job['job_id']}"}, "offset": {"S": "-3"}}),
        trades_token("another-job", 7),
    ):
        forged = api.get(f"{url}/trades", headers=h, params={"next_token": token})
        assert (forged.status_code, _loc(forged)) == (422, ["query", "next_token"]), token

    full = api.get(f"{url}/curves", headers=h, params={"symbols": True}).json()
    assert len(full["portfolio"]["equity"]) == len(engine.equity)
    assert full["portfolio"]["equity"] == pytest.approx(engine.equity.to_list())
    assert set(full["symbols"]) == set(SYMBOLS)
    cut = api.get(f"{url}/curves", headers=h, params={"max_points": 40}).json()["portfolio"]
    assert len(cut["time"]) == 40
    assert (cut["time"][0], cut["time"][-1]) == (full["portfolio"]["time"][0], full["portfolio"]["time"][-1])
    assert cut["equity"][-1] == pytest.approx(engine.equity.iloc[-1])
    assert min(cut["drawdown_pct"]) == pytest.approx(engine.drawdown.min())
    # buy and hold of the same cash, what buy_hold_return_pct measures, survives the cut at its end
    cash = full["portfolio"]["benchmark"][0]
    assert cash == pytest.approx(full["portfolio"]["equity"][0])
    growth = full["portfolio"]["benchmark"][-1] / cash - 1
    assert growth * 100 == pytest.approx(engine.metrics["buy_hold_return_pct"])
    assert len(cut["benchmark"]) == 40
    assert cut["benchmark"][-1] == pytest.approx(full["portfolio"]["benchmark"][-1])
    for symbol in SYMBOLS:
        own = full["symbols"][symbol]
        assert len(own["benchmark"]) == len(own["time"])
        own_growth = own["benchmark"][-1] / own["benchmark"][0] - 1
        assert own_growth * 100 == pytest.approx(engine.symbols[symbol].metrics["buy_hold_return_pct"])


def test_cancel_stops_the_execution_and_notifies(
    api: TestClient, h: dict[str, str], machine: str, data: tuple[str, Any]
) -> None:
    job = _submit(api, h, _body(data[0]))
    r = api.post(f"/jobs/{job['job_id']}/cancel", headers=h)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["finished_at"] is not None) == ("cancelled", True)
    [execution] = executions(machine)
    assert execution["status"] == "ABORTED"
    [note] = api.get("/notifications", headers=h).json()["items"]
    assert (note["kind"], note["link"]) == ("job.cancelled", f"/backtests/{job['job_id']}")
    again = api.post(f"/jobs/{job['job_id']}/cancel", headers=h)
    assert (again.status_code, _loc(again)) == (409, ["path", "job_id"])
    assert "cancelled" in again.json()["errors"][0]["msg"]


def test_delete_removes_record_objects_and_cache_entry(
    api: TestClient, h: dict[str, str], machine: str, data: tuple[str, Any]
) -> None:
    dataset_id, frames = data
    body = _body(dataset_id)
    done = _submit(api, h, body)
    finish_backtest("acme", done["job_id"], frames)
    copy = api.post("/backtests", json=body, headers=h).json()
    assert copy["cached"]

    assert api.delete(f"/jobs/{copy['job_id']}", headers=h).status_code == 204
    assert keys_under(job_prefix("acme", copy["job_id"])) == []
    assert api.post("/backtests", json=body, headers=h).json()["cached"]  # the original still answers

    assert api.delete(f"/jobs/{done['job_id']}", headers=h).status_code == 204
    assert api.get(f"/jobs/{done['job_id']}", headers=h).status_code == 404
    assert keys_under(job_prefix("acme", done["job_id"])) == []
    pk, prefix = JobHashRecord.key("acme", "backtest", "")
    assert list(JobHashRecord.query(pk, JobHashRecord.sk.startswith(prefix))) == []
    assert api.post("/backtests", json=body, headers=h).status_code == 202  # no cache entry left

    running = _submit(api, h, {**body, "force": True})
    for shard in range(2):  # shards a worker finished before the delete
        ShardMarker(
            *ShardMarker.key("acme", running["job_id"], shard),
            tenant_id="acme",
            job_id=running["job_id"],
            shard=shard,
            combos=1,
            finished_at=datetime.now(UTC),
        ).save()
    assert api.delete(f"/jobs/{running['job_id']}", headers=h).status_code == 204
    stopped = {e["name"]: e["status"] for e in executions(machine)}
    assert stopped[running["job_id"]] == "ABORTED"
    markers, prefix = ShardMarker.key("acme", running["job_id"])
    assert list(ShardMarker.query(markers, ShardMarker.sk.startswith(prefix))) == []
    assert api.delete(f"/jobs/{running['job_id']}", headers=h).status_code == 404


def test_list_newest_first_with_filters_and_pages(
    api: TestClient, h: dict[str, str], data: tuple[str, Any]
) -> None:
    dataset_id, frames = data
    ids = [_submit(api, h, _body(dataset_id, cash=1000 + i))["job_id"] for i in range(3)]
    finish_backtest("acme", ids[1], frames)
    sweep = api.post(
        "/optimizations", json={**_body(dataset_id), "space": {"fast": [5], "slow": [20]}}, headers=h
    )
    assert sweep.status_code == 202, sweep.text

    first = api.get("/backtests", headers=h, params={"limit": 2}).json()
    assert [j["job_id"] for j in first["items"]] == ids[::-1][:2]
    rest = api.get("/backtests", headers=h, params={"limit": 2, "next_token": first["next_token"]}).json()
    assert [j["job_id"] for j in rest["items"]] == ids[:1]
    assert rest["next_token"] is None
    done = api.get("/backtests", headers=h, params={"status": "succeeded"}).json()["items"]
    assert [j["job_id"] for j in done] == [ids[1]]
    assert api.get("/backtests", headers=h, params={"strategy_id": "nope"}).json()["items"] == []
    wrong = api.get("/optimizations", headers=h, params={"limit": 1, "next_token": first["next_token"]})
    assert (wrong.status_code, _loc(wrong)) == (422, ["query", "next_token"])
    # a backtest has no optimization results: 404 naming the id
    assert api.get(f"/optimizations/{ids[0]}/leaderboard", headers=h).status_code == 404


def test_compare_puts_metrics_side_by_side(api: TestClient, h: dict[str, str], data: tuple[str, Any]) -> None:
    dataset_id, frames = data
    a = _submit(api, h, _body(dataset_id, params={"fast": 5, "slow": 20}))["job_id"]
    b = _submit(api, h, _body(dataset_id, params={"fast": 10, "slow": 60}))["job_id"]
    engines = [finish_backtest("acme", job_id, frames) for job_id in (a, b)]
    r = api.get("/backtests/compare", headers=h, params={"ids": f"{b},{a}"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [c["job_id"] for c in body["backtests"]] == [b, a]
    assert [c["params"] for c in body["backtests"]] == [{"fast": 10, "slow": 60}, {"fast": 5, "slow": 20}]
    sharpe = next(row for row in body["metrics"] if row["metric"] == "sharpe")
    assert sharpe["values"] == pytest.approx([engines[1].metrics["sharpe"], engines[0].metrics["sharpe"]])
    assert sharpe["label"] == "Sharpe Ratio"

    unknown = api.get("/backtests/compare", headers=h, params={"ids": f"{a},nope"})
    assert (unknown.status_code, _loc(unknown)) == (404, ["query", "ids", 1])
    queued = _submit(api, h, _body(dataset_id, cash=123))["job_id"]
    unfinished = api.get("/backtests/compare", headers=h, params={"ids": f"{queued}"})
    assert (unfinished.status_code, _loc(unfinished)) == (409, ["query", "ids", 0])


def test_another_tenant_sees_none_of_it(
    api: TestClient, h: dict[str, str], other: dict[str, str], data: tuple[str, Any]
) -> None:
    dataset_id, frames = data
    job = _submit(api, h, _body(dataset_id))
    finish_backtest("acme", job["job_id"], frames)
    url, results = f"/jobs/{job['job_id']}", f"/backtests/{job['job_id']}"
    for method, path in [
        ("GET", url),
        ("GET", f"{results}/results"),
        ("GET", f"{results}/trades"),
        ("POST", f"{url}/cancel"),
        ("DELETE", url),
    ]:
        assert api.request(method, path, headers=other).status_code == 404, path
    assert api.get("/backtests", headers=other).json()["items"] == []
    assert api.get("/backtests/compare", headers=other, params={"ids": job["job_id"]}).status_code == 404
    theirs = api.post("/backtests", json=_body(dataset_id), headers=other)  # not their dataset
    assert (theirs.status_code, _loc(theirs)) == (404, ["body", "dataset_id"])
    assert api.get(url, headers=h).status_code == 200


def test_a_workflow_that_cannot_start_leaves_a_failed_job_and_frees_the_key(
    api: TestClient, h: dict[str, str], machine: str, data: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TW_JOB_STATE_MACHINE_ARN", machine + "-gone")
    reset_clients()
    body = _body(data[0])
    r = api.post("/backtests", json=body, headers={**h, "Idempotency-Key": "k"})
    assert r.status_code == 500
    [failed] = api.get("/backtests", headers=h).json()["items"]
    assert failed["status"] == "failed"
    assert "could not be started" in failed["error"]

    monkeypatch.setenv("TW_JOB_STATE_MACHINE_ARN", machine)
    reset_clients()
    retried = _submit(api, h, body, **{"Idempotency-Key": "k"})
    assert retried["job_id"] != failed["job_id"]
    assert retried["status"] == "queued"


def test_a_cached_optimization_is_not_a_backtest(
    api: TestClient, h: dict[str, str], data: tuple[str, Any]
) -> None:
    dataset_id, frames = data
    body = {**_body(dataset_id), "space": {"fast": [5, 10], "slow": [20]}}
    job = api.post("/optimizations", json=body, headers=h).json()
    finish_optimization("acme", job["job_id"], frames)
    assert api.get(f"/backtests/{job['job_id']}/results", headers=h).status_code == 404
