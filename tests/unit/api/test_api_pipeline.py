"""The pipeline routes on moto: validation (each 4xx names its field), a run played through its worker
in-process, its signals (filters, sort, pages, export), breadth, stats, stop, and the one-call scan."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind.aws import client, reset_clients
from tradewind.pipeline.spec import BatchMessage
from tradewind.pipeline.worker import handle

from tests.unit.api.jobs_support import SYMBOLS, provision, ready_dataset

PARAMS = {"fast": 5, "slow": 20}


@pytest.fixture
def queue(aws: None, monkeypatch: pytest.MonkeyPatch) -> str:
    provision(monkeypatch)
    url = str(client("sqs").create_queue(QueueName="tw-test-pipeline")["QueueUrl"])
    monkeypatch.setenv("TW_PIPELINE_QUEUE_URL", url)
    monkeypatch.setenv("TW_PIPELINE_BATCH_SYMBOLS", "2")
    reset_clients()
    return url


@pytest.fixture
def dataset(queue: str) -> str:
    return ready_dataset("acme")[0]


def body(dataset_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "template": "sma_cross",
        "params": PARAMS,
        "universe": {"kind": "dataset", "dataset_id": dataset_id},
        **extra,
    }


def locs(r: Any) -> list[list[Any]]:
    return [list(e["loc"]) for e in r.json()["errors"]]


def work(queue: str) -> int:
    """Play the worker: every queued message, as the Lambda would get it (first receive)."""
    sqs, handled = client("sqs"), 0
    while messages := sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", []):
        for m in messages:
            handle(BatchMessage.model_validate(json.loads(m["Body"])), receive_count=1)
            sqs.delete_message(QueueUrl=queue, ReceiptHandle=m["ReceiptHandle"])
            handled += 1
    return handled


def run(api: TestClient, h: dict[str, str], dataset_id: str, queue: str, **extra: Any) -> dict[str, Any]:
    r = api.post("/pipeline/runs", json=body(dataset_id, **extra), headers=h)
    assert r.status_code == 202, r.text
    assert r.headers["Location"] == f"/pipeline/runs/{r.json()['job_id']}"
    work(queue)
    return dict(api.get(r.headers["Location"], headers=h).json())


def test_a_run_queues_one_message_per_batch_and_ends_with_its_signals(
    api: TestClient, h: dict[str, str], dataset: str, queue: str
) -> None:
    r = api.post("/pipeline/runs", json=body(dataset, name="daily scan"), headers=h)
    assert r.status_code == 202, r.text
    started = r.json()
    assert started["status"] == "running"
    assert (started["kind"], started["mode"], started["timeframe"]) == ("pipeline", "full", "1d")
    assert (started["symbols_total"], started["batches_total"]) == (3, 2)
    assert started["universe"] == f"dataset-{dataset}"
    assert work(queue) == 2
    done = api.get(f"/pipeline/runs/{started['job_id']}", headers=h).json()
    assert done["status"] == "succeeded"
    assert (done["batches_done"], done["symbols_done"]) == (2, 3)
    assert done["signals_found"] == done["summary"]["signals"] > 0
    assert done["progress"]["percent"] == 100.0


def test_signals_filter_sort_page_and_export(
    api: TestClient, h: dict[str, str], dataset: str, queue: str
) -> None:
    job = run(api, h, dataset, queue)
    path = f"/pipeline/runs/{job['job_id']}/signals"
    everything = api.get(path, params={"limit": 200}, headers=h).json()
    assert everything["total"] == job["signals_found"] == len(everything["items"])
    times = [s["time"] for s in everything["items"]]
    assert times == sorted(times, reverse=True)  # newest first by default
    first = everything["items"][0]
    assert set(first) >= {"symbol", "time", "rule", "action", "side", "strength", "close", "values"}
    assert set(first["values"]) == {"fast_ma", "slow_ma"}

    one = api.get(
        path, params={"symbol": SYMBOLS[1], "action": "buy", "sort": "strength", "order": "asc"}, headers=h
    ).json()
    assert one["items"]
    assert {(s["symbol"], s["action"], s["side"]) for s in one["items"]} == {(SYMBOLS[1], "buy", "long")}
    strengths = [s["strength"] for s in one["items"]]
    assert strengths == sorted(strengths)
    strong = api.get(
        path, params={"min_strength": 0.01, "start": "2021-01-01", "end": "2021-06-30"}, headers=h
    ).json()
    assert all(
        s["strength"] >= 0.01 and "2021-01-01" <= s["time"][:10] <= "2021-06-30" for s in strong["items"]
    )

    pages, token = [], None
    while True:
        page = api.get(
            path, params={"limit": 7, **({"next_token": token} if token else {})}, headers=h
        ).json()
        pages += page["items"]
        token = page["next_token"]
        if token is None:
            break
    assert pages == everything["items"]
    other = api.get(f"/pipeline/signals?next_token={page_token(api, h, path)}", headers=h)
    assert other.status_code == 422
    assert locs(other) == [["query", "next_token"]]

    csv = api.get(f"{path}/export", params={"format": "csv", "symbol": SYMBOLS[0]}, headers=h)
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.strip().splitlines()
    assert lines[0].startswith("symbol,time,bar,rule,action,side,strength,close,values")
    as_json = api.get(f"{path}/export", params={"format": "json", "symbol": SYMBOLS[0]}, headers=h).json()
    assert len(as_json) == len(lines) - 1
    assert {s["symbol"] for s in as_json} == {SYMBOLS[0]}


def page_token(api: TestClient, h: dict[str, str], path: str) -> str:
    return str(api.get(path, params={"limit": 1}, headers=h).json()["next_token"])


def test_a_large_export_redirects_to_a_presigned_download(
    api: TestClient, h: dict[str, str], dataset: str, queue: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tradewind.pipeline import results

    job = run(api, h, dataset, queue)
    monkeypatch.setattr(results, "EXPORT_INLINE_ROWS", 3)
    r = api.get(
        f"/pipeline/runs/{job['job_id']}/signals/export",
        params={"format": "json"},
        headers=h,
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "X-Amz-Signature" in r.headers["location"]


def test_latest_signals_merge_the_newest_runs(
    api: TestClient, h: dict[str, str], dataset: str, queue: str
) -> None:
    a = run(api, h, dataset, queue)
    b = run(api, h, dataset, queue, mode="demo")
    one = api.get("/pipeline/signals", params={"limit": 200}, headers=h).json()
    assert {s["run_id"] for s in one["items"]} == {b["job_id"]}
    both = api.get("/pipeline/signals", params={"runs": 2, "limit": 200}, headers=h).json()
    assert both["total"] == a["signals_found"] + b["signals_found"]
    export = api.get("/pipeline/signals/export", params={"runs": 2, "format": "csv"}, headers=h)
    assert export.status_code == 200
    assert len(export.text.strip().splitlines()) == both["total"] + 1


def test_breadth_of_a_run_and_of_its_universe(
    api: TestClient, h: dict[str, str], dataset: str, queue: str
) -> None:
    job = run(api, h, dataset, queue)
    own = api.get(f"/pipeline/runs/{job['job_id']}/breadth", params={"max_points": 10}, headers=h).json()
    assert len(own["time"]) == 10
    assert set(own["series"]) >= {
        "ad_line",
        "pct_above_50",
        "mcclellan_oscillator",
        "trin",
        "highs_minus_lows",
    }
    histories = api.get("/pipeline/breadth", headers=h).json()
    assert [(x["universe"], x["timeframe"]) for x in histories] == [(job["universe"], "1d")]
    series = api.get(
        f"/pipeline/breadth/{job['universe']}", params={"start": "2021-01-01", "max_points": 20}, headers=h
    ).json()
    assert len(series["time"]) == 20
    assert series["time"][0] >= "2021-01-01"
    missing = api.get("/pipeline/breadth/nope", headers=h)
    assert missing.status_code == 404
    assert locs(missing) == [["path", "universe"]]


def test_list_filters_stats_and_stop(api: TestClient, h: dict[str, str], dataset: str, queue: str) -> None:
    done = run(api, h, dataset, queue, mode="demo")
    running = api.post("/pipeline/runs", json=body(dataset, mode="small"), headers=h).json()
    listed = api.get("/pipeline/runs", headers=h).json()["items"]
    assert [r["job_id"] for r in listed] == [running["job_id"], done["job_id"]]
    assert [
        r["job_id"]
        for r in api.get("/pipeline/runs", params={"status": "succeeded"}, headers=h).json()["items"]
    ] == [done["job_id"]]
    assert [
        r["job_id"] for r in api.get("/pipeline/runs", params={"mode": "small"}, headers=h).json()["items"]
    ] == [running["job_id"]]
    today = done["created_at"][:10]
    assert len(api.get("/pipeline/runs", params={"date": today}, headers=h).json()["items"]) == 2
    assert api.get("/pipeline/runs", params={"date": "2001-01-01"}, headers=h).json()["items"] == []

    early = api.get(f"/pipeline/runs/{running['job_id']}/signals", headers=h)
    assert early.status_code == 409
    stopped = api.post(f"/pipeline/runs/{running['job_id']}/stop", headers=h)
    assert stopped.status_code == 200
    assert stopped.json()["stop_requested"] is True
    work(queue)
    final = api.get(f"/pipeline/runs/{running['job_id']}", headers=h).json()
    assert (final["status"], final["batches_skipped"], final["batches_done"]) == ("stopped", 2, 0)
    again = api.post(f"/pipeline/runs/{running['job_id']}/stop", headers=h)
    assert again.status_code == 409
    assert locs(again) == [["path", "job_id"]]

    stats = api.get("/pipeline/stats", headers=h).json()
    assert stats["total_runs"] == 2
    assert stats["by_status"] == {"succeeded": 1, "stopped": 1}
    assert stats["success_rate"] == 0.5
    assert stats["runs_last_24h"] == 2
    assert stats["average_duration_seconds"] is not None


def test_another_tenant_sees_none_of_it(
    api: TestClient, h: dict[str, str], other_key: str, dataset: str, queue: str
) -> None:
    job = run(api, h, dataset, queue)
    other = {"X-Api-Key": other_key}
    assert api.get(f"/pipeline/runs/{job['job_id']}", headers=other).status_code == 404
    assert api.get("/pipeline/runs", headers=other).json()["items"] == []
    assert api.get("/pipeline/signals", headers=other).json()["total"] == 0
    assert api.get("/pipeline/breadth", headers=other).json() == []


@pytest.mark.parametrize(
    ("change", "status", "where"),
    [
        ({"template": None}, 422, [["body", "strategy_id"]]),
        ({"strategy_id": "s1"}, 422, [["body", "strategy_id"], ["body", "template"]]),
        ({"template": "nope"}, 422, [["body", "template"]]),
        ({"params": {"fast": 500}}, 422, [["body", "params", "fast"]]),
        ({"params": {"zzz": 1}}, 422, [["body", "params", "zzz"]]),
        ({"strategy_version": 2}, 422, [["body", "strategy_version"]]),
        ({"universe": {"kind": "dataset"}}, 422, [["body", "universe", "dataset_id"]]),
        ({"universe": {"kind": "symbols", "dataset_id": "DS"}}, 422, [["body", "universe", "symbols"]]),
        ({"universe": {"kind": "sample", "dataset_id": "DS"}}, 422, [["body", "universe", "dataset_id"]]),
        (
            {"universe": {"kind": "dataset", "dataset_id": "missing"}},
            404,
            [["body", "universe", "dataset_id"]],
        ),
        ({"universe": {"kind": "sample"}}, 404, [["body", "universe", "kind"]]),
        (
            {"universe": {"kind": "watchlist", "dataset_id": "DS", "watchlist_id": "w1"}},
            404,
            [["body", "universe", "watchlist_id"]],
        ),
        (
            {
                "universe": {
                    "kind": "symbols",
                    "dataset_id": "DS",
                    "symbols": [SYMBOLS[0], "NOPE", SYMBOLS[0]],
                }
            },
            422,
            [["body", "universe", "symbols", 1], ["body", "universe", "symbols", 2]],
        ),
        ({"start": "2021-06-01", "end": "2021-01-01"}, 422, [["body", "end"]]),
        ({"start": "2030-01-01"}, 422, [["body", "start"]]),
        ({"timeframe": "intraday"}, 422, [["body", "timeframe"]]),
        ({"timeframe": "5m"}, 422, [["body", "timeframe"]]),
        ({"mode": "huge"}, 422, [["body", "mode"]]),
        ({"name": "a\nb"}, 422, [["body", "name"]]),
        (
            {"universe": {"kind": "symbols", "dataset_id": "DS", "symbols": ["x" * 30]}},
            422,
            [["body", "universe", "symbols", 0]],
        ),
    ],
)
def test_bad_requests_name_their_field(
    api: TestClient,
    h: dict[str, str],
    dataset: str,
    change: dict[str, Any],
    status: int,
    where: list[list[Any]],
) -> None:
    request = body(dataset)
    for name, value in change.items():
        if value is None:
            request.pop(name)
        else:
            request[name] = json.loads(json.dumps(value).replace('"DS"', json.dumps(dataset)))
    r = api.post("/pipeline/runs", json=request, headers=h)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert locs(r) == where


def test_a_non_finite_parameter_is_refused_at_its_field(
    api: TestClient, h: dict[str, str], dataset: str
) -> None:
    text = json.dumps(body(dataset)).replace('"fast": 5', '"fast": NaN')
    r = api.post("/pipeline/runs", content=text, headers={**h, "Content-Type": "application/json"})
    assert r.status_code == 422
    assert locs(r)[0][:3] == ["body", "params", "fast"]


def test_scan_a_dataset_in_one_call(api: TestClient, h: dict[str, str], dataset: str) -> None:
    r = api.post(
        "/pipeline/scan",
        json={"dataset_id": dataset, "template": "sma_cross", "params": PARAMS, "limit": 5},
        headers=h,
    )
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["symbols"] == sorted(SYMBOLS)
    assert answer["truncated"] is True
    assert len(answer["signals"]) == 5
    assert answer["total"] == sum(answer["by_symbol"].values()) == sum(answer["by_action"].values())
    missing = api.post("/pipeline/scan", json={"dataset_id": "nope", "template": "sma_cross"}, headers=h)
    assert missing.status_code == 404
    assert locs(missing) == [["body", "dataset_id"]]
    unknown = api.post(
        "/pipeline/scan",
        json={"dataset_id": dataset, "template": "sma_cross", "symbols": ["NOPE"]},
        headers=h,
    )
    assert locs(unknown) == [["body", "symbols", 0]]


def test_an_export_asked_as_a_link_answers_a_presigned_download_whatever_its_size(
    api: TestClient, h: dict[str, str], dataset: str, queue: str
) -> None:
    job = run(api, h, dataset, queue)
    path = f"/pipeline/runs/{job['job_id']}/signals/export"
    r = api.get(path, params={"format": "csv", "link": "true", "side": "long"}, headers=h)
    assert r.status_code == 200, r.text
    link = r.json()
    assert "X-Amz-Signature" in link["url"]
    assert link["filename"] == f"signals-{job['job_id']}.csv"
    inline = api.get(path, params={"format": "csv", "side": "long"}, headers=h)
    assert link["rows"] == len(inline.text.strip().splitlines()) - 1
    latest = api.get("/pipeline/signals/export", params={"format": "json", "link": "true"}, headers=h)
    assert latest.json()["filename"] == "signals-latest-1.json"
