"""``tradewind jobs``: list with filters, show with the timeline, logs (tail, every page, --follow over
the job's topic without repeating a line), cancel."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from tradewind.cli import jobs
from tradewind.cli.main import main

JOB = {
    "job_id": "j1",
    "kind": "optimization",
    "status": "running",
    "name": "sweep",
    "progress": {"combos_done": 4, "combos_total": 8, "percent": 50.0},
    "error": None,
    "summary": None,
    "created_at": "2026-12-05T10:00:00Z",
}


def _line(seq: str, message: str) -> dict[str, Any]:
    return {
        "job_id": "j1",
        "seq": seq,
        "time": "2026-12-05T10:00:01.000Z",
        "level": "info",
        "message": message,
        "fields": {"shard": 1},
    }


class FakeClient:
    calls: list[tuple[str, str, dict[str, Any]]] = []
    answers: dict[str, Any] = {}

    def __init__(self, endpoint: Any) -> None:
        pass

    def __enter__(self) -> FakeClient:
        return self

    def __exit__(self, *_: object) -> None:
        pass

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        self.calls.append((method, path, kwargs))
        answer = self.answers[f"{method} {path}"]
        return answer(kwargs) if callable(answer) else answer


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> type[FakeClient]:
    monkeypatch.setenv("TW_API_KEY", "k")
    monkeypatch.setattr(jobs, "Client", FakeClient)
    FakeClient.calls, FakeClient.answers = [], {}
    return FakeClient


def test_list_passes_the_filters(fake: type[FakeClient], capsys: pytest.CaptureFixture[str]) -> None:
    fake.answers["GET /jobs"] = {"items": [JOB], "next_token": None}
    argv = [
        "jobs",
        "list",
        "--kind",
        "optimization",
        "--status",
        "running",
        "--name",
        "sw",
        "--from",
        "2026-12-01",
    ]
    assert main([*argv, "--limit", "5"]) == 0
    params = {
        "kind": "optimization",
        "status": "running",
        "name": "sw",
        "created_from": "2026-12-01",
        "limit": 5,
    }
    assert fake.calls == [("GET", "/jobs", {"params": params})]
    out = capsys.readouterr().out
    assert tuple(w for w in ("j1", "optimization", "50%") if w in out) == ("j1", "optimization", "50%")


def test_show_prints_the_timeline(fake: type[FakeClient], capsys: pytest.CaptureFixture[str]) -> None:
    fake.answers["GET /jobs/j1"] = JOB
    entries = [
        {"at": "2026-12-05T10:00:00.000Z", "status": "submitted", "cause": "submitted"},
        {"at": "2026-12-05T10:00:01.000Z", "status": "running", "cause": "planned 2 shards, 8 runs"},
    ]
    fake.answers["GET /jobs/j1/timeline"] = {"job_id": "j1", "status": "running", "entries": entries}
    assert main(["jobs", "show", "j1"]) == 0
    out = capsys.readouterr().out
    assert "planned 2 shards, 8 runs" in out
    assert "4/8 (50%)" in out


def test_logs_reads_every_page_or_the_tail(
    fake: type[FakeClient], capsys: pytest.CaptureFixture[str]
) -> None:
    fake.answers["GET /jobs/j1"] = {**JOB, "status": "succeeded"}

    def pages(kwargs: dict[str, Any]) -> dict[str, Any]:
        if kwargs["params"].get("next_token"):
            return {"items": [_line("2", "reduced")], "next_token": None}
        if kwargs["params"].get("tail"):
            return {"items": [_line("2", "reduced")], "next_token": "t"}
        return {"items": [_line("1", "planned")], "next_token": "n"}

    fake.answers["GET /jobs/j1/logs"] = pages
    assert main(["jobs", "logs", "j1", "--follow"]) == 0  # final already: nothing to follow
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[2:4] for line in out] == [["planned", "shard=1"], ["reduced", "shard=1"]]
    assert main(["jobs", "logs", "j1", "--tail", "1"]) == 0
    assert "reduced" in capsys.readouterr().out


class FakeSocket:
    def __init__(self, messages: list[dict[str, Any]]) -> None:
        self.messages = [json.dumps(m) for m in messages]

    def recv(self, timeout: float) -> str:
        return self.messages.pop(0)


def test_follow_prints_live_lines_once_until_the_job_ends(
    fake: type[FakeClient], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.answers["GET /jobs/j1"] = JOB
    fake.answers["GET /jobs/j1/logs"] = {"items": [_line("1", "planned")], "next_token": None}
    live = [
        {"topic": "job:j1", "type": "job.log", "payload": _line("1", "planned")},  # already printed
        {"topic": "job:other", "type": "job.log", "payload": _line("9", "not ours")},
        {"topic": "job:j1", "type": "job.progress", "payload": {}},
        {"topic": "job:j1", "type": "job.log", "payload": _line("2", "shard 1 done")},
        {"topic": "job:j1", "type": "job.completed", "payload": {}},
    ]
    subscribed: list[str] = []

    @contextmanager
    def subscription(endpoint: Any, topic: str) -> Iterator[FakeSocket]:
        subscribed.append(topic)
        yield FakeSocket(live)

    monkeypatch.setattr(jobs, "subscription", subscription)
    assert main(["jobs", "logs", "j1", "-f"]) == 0
    out = capsys.readouterr().out
    assert subscribed == ["job:j1"]
    assert out.count("planned") == 1
    assert "shard 1 done" in out
    assert "not ours" not in out


@pytest.mark.parametrize(
    ("action", "status"), [("cancel", "cancelled"), ("pause", "paused"), ("resume", "running")]
)
def test_cancel_pause_and_resume(
    fake: type[FakeClient], capsys: pytest.CaptureFixture[str], action: str, status: str
) -> None:
    fake.answers[f"POST /jobs/j1/{action}"] = {**JOB, "status": status}
    assert main(["jobs", action, "j1"]) == 0
    assert capsys.readouterr().out.strip() == f"optimization j1 {status}"
