"""``tradewind schedules`` and ``tradewind commands`` against a fake API client: the bodies they send,
``--param k=v`` read as JSON when it parses, and ``commands run --follow`` printing the run's log
(the jobs CLI's follow) and exiting with the run's outcome."""

from __future__ import annotations

from typing import Any

import pytest
from tradewind.cli import commands, jobs, schedules
from tradewind.cli.main import main

SCHEDULE = {
    "schedule_id": "s1",
    "name": "nightly",
    "expression": "rate(1 day)",
    "timezone": "UTC",
    "target": {"kind": "command", "command": "prune-jobs", "params": {"days": 30}},
    "enabled": True,
    "next_fire_times": ["2030-01-02T00:00:00Z"],
    "fires": 0,
    "last_fire": None,
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
    for module in (commands, jobs, schedules):
        monkeypatch.setattr(module, "Client", FakeClient)
    FakeClient.calls, FakeClient.answers = [], {}
    return FakeClient


def test_params_are_json_when_they_parse() -> None:
    assert commands.parse_params(["days=30", "dry_run=true", 'symbols=["A"]', "queue=import"]) == {
        "days": 30,
        "dry_run": True,
        "symbols": ["A"],
        "queue": "import",
    }
    with pytest.raises(SystemExit):
        commands.parse_params(["days"])


def test_create_a_command_schedule(fake: type[FakeClient], capsys: pytest.CaptureFixture[str]) -> None:
    fake.answers["POST /schedules"] = SCHEDULE
    argv = ["schedules", "create", "--name", "nightly", "--expression", "rate(1 day)"]
    assert main([*argv, "--command", "prune-jobs", "--param", "days=30"]) == 0
    [(_, _, sent)] = fake.calls
    assert sent["json"] == {
        "name": "nightly",
        "expression": "rate(1 day)",
        "timezone": "UTC",
        "target": {"kind": "command", "command": "prune-jobs", "params": {"days": 30}},
        "enabled": True,
    }
    assert "2030-01-02T00:00:00Z" in capsys.readouterr().out


def test_list_show_pause_resume_delete(fake: type[FakeClient], capsys: pytest.CaptureFixture[str]) -> None:
    fake.answers.update(
        {
            "GET /schedules": {"items": [SCHEDULE], "next_token": None},
            "GET /schedules/s1": SCHEDULE,
            "GET /schedules/s1/fires": {
                "items": [
                    {
                        "scheduled_time": "2030-01-01T00:00:00Z",
                        "status": "submitted",
                        "job_id": "j9",
                        "job_status": "succeeded",
                    }
                ]
            },
            "POST /schedules/s1/pause": {**SCHEDULE, "enabled": False, "next_fire_times": []},
            "POST /schedules/s1/resume": SCHEDULE,
            "DELETE /schedules/s1": None,
        }
    )
    for argv in (["list"], ["show", "s1"], ["pause", "s1"], ["resume", "s1"], ["delete", "s1"]):
        assert main(["schedules", *argv]) == 0
    out = capsys.readouterr().out
    assert "nightly" in out
    assert "j9" in out
    assert "succeeded" in out
    assert "paused" in out
    assert [c[:2] for c in fake.calls][-3:] == [
        ("POST", "/schedules/s1/pause"),
        ("POST", "/schedules/s1/resume"),
        ("DELETE", "/schedules/s1"),
    ]


def test_commands_list_and_run(fake: type[FakeClient], capsys: pytest.CaptureFixture[str]) -> None:
    schema = {
        "properties": {"days": {"type": "integer"}, "dry_run": {"type": "boolean"}},
        "required": ["days"],
    }
    fake.answers["GET /commands"] = [
        {"name": "prune-jobs", "title": "Prune", "description": "Delete old jobs", "params_schema": schema}
    ]
    fake.answers["POST /commands/prune-jobs/runs"] = {"job_id": "c1", "status": "queued"}
    assert main(["commands", "list"]) == 0
    assert main(["commands", "run", "prune-jobs", "--param", "days=30"]) == 0
    out = capsys.readouterr().out
    assert "prune-jobs  days=integer [dry_run=boolean]" in out
    assert "command c1 queued" in out
    assert fake.calls[-1] == ("POST", "/commands/prune-jobs/runs", {"json": {"params": {"days": 30}}})


def test_run_follow_prints_the_log_and_the_outcome(
    fake: type[FakeClient], capsys: pytest.CaptureFixture[str]
) -> None:
    fake.answers["POST /commands/prune-jobs/runs"] = {"job_id": "c1", "status": "queued"}
    fake.answers["GET /jobs/c1"] = {"job_id": "c1", "kind": "command", "status": "failed", "error": "boom"}
    line = {
        "job_id": "c1",
        "seq": "1",
        "time": "t",
        "level": "error",
        "message": "failed: boom",
        "fields": {},
    }
    fake.answers["GET /jobs/c1/logs"] = {"items": [line], "next_token": None}
    assert main(["commands", "run", "prune-jobs", "-p", "days=1", "--follow"]) == 1
    out = capsys.readouterr().out
    assert "failed: boom" in out
    assert "command c1 failed: boom" in out
