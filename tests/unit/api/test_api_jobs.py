"""The one job control surface under moto (docs/jobs.md, One control surface): every kind listed with
filters and pages, the stats, get/cancel/delete for every kind, the timeline, the progress history
and the log of a job run through the real workflow steps, and another tenant's job a 404 everywhere."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind.data.jobs import JobLogLine, JobProgressHistory
from tradewind.jobs import logs, timeline

from tests.unit.api.job_workflow import run_workflow
from tests.unit.api.jobs_support import SYMBOLS, sma_cross


def _backtest(dataset_id: str, **extra: Any) -> dict[str, Any]:
    return {"strategy": sma_cross(), "dataset_id": dataset_id, "symbols": SYMBOLS[:2], **extra}


def _optimization(dataset_id: str, **extra: Any) -> dict[str, Any]:
    space = {"fast": {"min": 5, "max": 10, "step": 5}, "slow": {"min": 20, "max": 30, "step": 10}}
    return {
        "strategy": sma_cross(),
        "dataset_id": dataset_id,
        "symbols": SYMBOLS[:2],
        "space": space,
        **extra,
    }


def _submit(api: TestClient, h: dict[str, str], path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = api.post(path, json=body, headers=h)
    assert r.status_code == 202, r.text
    assert r.headers["Location"] == f"/jobs/{r.json()['job_id']}"
    return dict(r.json())


def test_the_list_holds_every_kind_newest_first_with_filters_and_pages(
    api: TestClient, h: dict[str, str], data: tuple[str, Any]
) -> None:
    dataset_id, _ = data
    first = _submit(api, h, "/backtests", _backtest(dataset_id, name="Alpha cross"))
    second = _submit(api, h, "/optimizations", _optimization(dataset_id, name="beta SWEEP"))
    third = _submit(api, h, "/backtests", _backtest(dataset_id, name="gamma", force=True))
    run_workflow("acme", first["job_id"])

    every = api.get("/jobs", headers=h).json()
    assert [j["job_id"] for j in every["items"]] == [third["job_id"], second["job_id"], first["job_id"]]
    assert {j["kind"] for j in every["items"]} == {"backtest", "optimization"}
    assert every["next_token"] is None

    page = api.get("/jobs", headers=h, params={"limit": 2}).json()
    assert [j["job_id"] for j in page["items"]] == [third["job_id"], second["job_id"]]
    rest = api.get("/jobs", headers=h, params={"limit": 2, "next_token": page["next_token"]}).json()
    assert [j["job_id"] for j in rest["items"]] == [first["job_id"]]

    def ids(**params: Any) -> list[str]:
        r = api.get("/jobs", headers=h, params=params)
        assert r.status_code == 200, r.text
        return [j["job_id"] for j in r.json()["items"]]

    assert ids(kind="optimization") == [second["job_id"]]
    assert ids(kind="backtest", limit=1) == [third["job_id"]]
    assert ids(status="succeeded") == [first["job_id"]]
    assert ids(name="SWEEP") == [second["job_id"]]
    assert ids(name="alpha") == [first["job_id"]]
    today = datetime.now(UTC).date()
    assert len(ids(created_from=today.isoformat(), created_to=today.isoformat())) == 3
    assert ids(created_to=(today - timedelta(days=1)).isoformat()) == []
    assert ids(created_from=(today + timedelta(days=1)).isoformat()) == []
    # a page of matches even when the matches are far apart; its token continues the same query
    one = api.get("/jobs", headers=h, params={"status": "queued", "limit": 1}).json()
    more = api.get(
        "/jobs", headers=h, params={"status": "queued", "limit": 1, "next_token": one["next_token"]}
    )
    assert [j["job_id"] for j in one["items"] + more.json()["items"]] == [third["job_id"], second["job_id"]]

    backwards = api.get(
        "/jobs", headers=h, params={"created_from": today.isoformat(), "created_to": "2000-01-01"}
    )
    assert backwards.status_code == 422
    kind_token = api.get("/jobs", headers=h, params={"kind": "backtest", "limit": 1}).json()["next_token"]
    wrong = api.get("/jobs", headers=h, params={"next_token": kind_token})  # a token of another list
    assert (wrong.status_code, wrong.json()["errors"][0]["loc"]) == (422, ["query", "next_token"])
    assert api.get("/jobs", headers=h, params={"kind": "nope"}).status_code == 422


def test_stats_count_created_and_final_jobs_per_kind(
    api: TestClient, h: dict[str, str], data: tuple[str, Any]
) -> None:
    empty = api.get("/jobs/stats", headers=h).json()
    assert (empty["total"], empty["success_rate"], empty["last_24h"]) == (0, None, 0)
    assert set(empty["by_kind"]) >= {"import", "backtest", "optimization", "pipeline"}
    dataset_id, _ = data
    done = _submit(api, h, "/backtests", _backtest(dataset_id))
    run_workflow("acme", done["job_id"])
    cancelled = _submit(api, h, "/optimizations", _optimization(dataset_id))
    assert api.post(f"/jobs/{cancelled['job_id']}/cancel", headers=h).status_code == 200
    cached = api.post("/backtests", json=_backtest(dataset_id), headers=h)  # a cached copy: succeeded
    assert (cached.status_code, cached.json()["cached"]) == (200, True)

    stats = api.get("/jobs/stats", headers=h).json()
    assert (stats["total"], stats["active"], stats["last_24h"]) == (3, 0, 3)
    assert stats["by_status"] == {"succeeded": 2, "failed": 0, "cancelled": 1, "stopped": 0}
    assert stats["success_rate"] == round(2 / 3, 4)
    assert stats["average_duration_seconds"] is not None
    backtests, sweeps = stats["by_kind"]["backtest"], stats["by_kind"]["optimization"]
    assert (backtests["total"], backtests["success_rate"], backtests["last_24h"]) == (2, 1.0, 2)
    assert (sweeps["total"], sweeps["success_rate"], sweeps["by_status"]["cancelled"]) == (1, 0.0, 1)
    # a retried final transition counts nothing more
    assert api.post(f"/jobs/{cancelled['job_id']}/cancel", headers=h).status_code == 409
    assert api.get("/jobs/stats", headers=h).json()["by_status"]["cancelled"] == 1


def test_one_get_cancel_and_delete_serve_every_kind(
    api: TestClient, h: dict[str, str], data: tuple[str, Any]
) -> None:
    dataset_id, _ = data
    backtest = _submit(api, h, "/backtests", _backtest(dataset_id))
    sweep = _submit(api, h, "/optimizations", _optimization(dataset_id))
    assert api.get(f"/jobs/{backtest['job_id']}", headers=h).json()["kind"] == "backtest"
    got = api.get(f"/jobs/{sweep['job_id']}", headers=h).json()
    assert (got["kind"], got["status"]) == ("optimization", "queued")
    cancelled = api.post(f"/jobs/{sweep['job_id']}/cancel", headers={**h, "User-Agent": "tradewind-cli/1"})
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    again = api.post(f"/jobs/{sweep['job_id']}/cancel", headers=h)
    assert (again.status_code, again.json()["errors"][0]["loc"]) == (409, ["path", "job_id"])
    steps = api.get(f"/jobs/{sweep['job_id']}/timeline", headers=h).json()["entries"]
    assert [s["status"] for s in steps] == ["submitted", "cancelled"]
    assert steps[-1]["cause"] == "cancelled by a request to the API (tradewind-cli/1)"
    lines = api.get(f"/jobs/{sweep['job_id']}/logs", headers=h).json()["items"]
    assert lines[-1]["message"] == "cancelled by a request to the API (tradewind-cli/1)"
    assert api.delete(f"/jobs/{sweep['job_id']}", headers=h).status_code == 204
    assert api.get(f"/jobs/{sweep['job_id']}", headers=h).status_code == 404
    pk, prefix = logs.prefix("acme", sweep["job_id"])
    assert JobLogLine.count(pk, JobLogLine.sk.startswith(prefix)) == 0  # its log went with it
    # the per-kind copies are gone; creation and results stay per kind
    assert api.get(f"/backtests/{backtest['job_id']}", headers=h).status_code in (404, 405)
    assert api.post(f"/backtests/{backtest['job_id']}/cancel", headers=h).status_code in (404, 405)
    assert api.delete(f"/optimizations/{backtest['job_id']}", headers=h).status_code in (404, 405)


def test_a_finished_job_keeps_its_timeline_progress_history_and_log(
    api: TestClient, h: dict[str, str], data: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timeline, "SAMPLE_SECONDS", 0.0)
    monkeypatch.setattr("tradewind.jobs.worker.PROGRESS_INTERVAL", 0.0)
    dataset_id, _ = data
    job = _submit(api, h, "/optimizations", _optimization(dataset_id, name="traced"))
    run_workflow("acme", job["job_id"])
    url = f"/jobs/{job['job_id']}"

    trace = api.get(f"{url}/timeline", headers=h).json()
    assert trace["status"] == "succeeded"
    assert [s["status"] for s in trace["entries"]] == ["submitted", "running", "succeeded"]
    assert trace["entries"][1]["cause"].startswith("planned 2 shards")
    assert trace["entries"][2]["cause"] == "reduced 2 shards"
    times = [s["at"] for s in trace["entries"]]
    assert times == sorted(times)

    samples = api.get(f"{url}/progress", headers=h).json()["samples"]
    assert [s["done"] for s in samples] == [4, 8]  # one per counted shard (sampling every report here)
    assert all(s["total"] == 8 for s in samples)
    assert samples[-1]["shards_done"] == samples[-1]["shards_total"] == 2

    lines = api.get(f"{url}/logs", headers=h).json()
    messages = [line["message"] for line in lines["items"]]
    assert messages[0].startswith("planned 2 shards")
    assert sum(m.endswith(") done") for m in messages) == 2
    assert messages[-1] == "reduced 2 shards: succeeded"
    assert all(line["level"] == "info" and line["time"].endswith("Z") for line in lines["items"])
    assert lines["items"][0]["fields"]["shards"] == 2
    tail = api.get(f"{url}/logs", headers=h, params={"tail": 1}).json()
    assert [line["message"] for line in tail["items"]] == ["reduced 2 shards: succeeded"]
    assert api.get(f"{url}/logs", headers=h, params={"next_token": tail["next_token"]}).json()["items"] == []
    first = api.get(f"{url}/logs", headers=h, params={"limit": 2}).json()
    following = api.get(f"{url}/logs", headers=h, params={"limit": 10, "next_token": first["next_token"]})
    assert [x["message"] for x in first["items"] + following.json()["items"]] == messages


def test_progress_samples_are_spaced_and_capped() -> None:
    class Job:
        started_at = datetime.now(UTC) - timedelta(seconds=1000)

    now = datetime.now(UTC).timestamp()
    assert timeline.sample_due(Job(), None, 0, now, last=False)  # type: ignore[arg-type]
    assert not timeline.sample_due(Job(), now - 5, 1, now, last=False)  # type: ignore[arg-type]
    assert timeline.sample_due(Job(), now - 11, 1, now, last=False)  # type: ignore[arg-type]
    assert timeline.sample_due(Job(), now - 1, 1, now, last=True)  # type: ignore[arg-type]
    full = timeline.MAX_SAMPLES
    assert not timeline.sample_due(Job(), None, full, now, last=False)  # type: ignore[arg-type]
    assert timeline.sample_due(Job(), now, full, now, last=True)  # type: ignore[arg-type]
    assert not timeline.sample_due(Job(), now, full + 1, now, last=True)  # type: ignore[arg-type]


def test_another_tenants_job_is_404_on_every_route(
    api: TestClient, h: dict[str, str], other: dict[str, str], data: tuple[str, Any]
) -> None:
    dataset_id, _ = data
    job = _submit(api, h, "/backtests", _backtest(dataset_id))
    url = f"/jobs/{job['job_id']}"
    for method, path in [
        ("GET", url),
        ("POST", f"{url}/cancel"),
        ("DELETE", url),
        ("GET", f"{url}/timeline"),
        ("GET", f"{url}/progress"),
        ("GET", f"{url}/logs"),
    ]:
        assert api.request(method, path, headers=other).status_code == 404, path
    assert api.get("/jobs", headers=other).json()["items"] == []
    assert api.get("/jobs/stats", headers=other).json()["total"] == 0
    token = api.get("/jobs", headers=h, params={"limit": 1}).json()["next_token"]
    forged = api.get("/jobs", headers=other, params={"next_token": token})  # mine: not a start for them
    assert (forged.status_code, forged.json()["errors"][0]["loc"]) == (422, ["query", "next_token"])
    assert api.get(url, headers=h).json()["status"] == "queued"
    pk, sk = JobProgressHistory.key("acme", job["job_id"])
    assert JobProgressHistory.count(pk, JobProgressHistory.sk == sk) == 0  # queued: no report yet
