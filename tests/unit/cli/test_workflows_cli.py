"""``tradewind workflows`` against a fake API client: create --file sends the file's workflow, a bad
file is an input error naming --file, list prints each workflow's steps, run prints each step's
status and job and exits with the run's outcome."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tradewind.cli import workflows
from tradewind.cli.main import main

from tests.unit.cli.test_schedules_cli import FakeClient

PRUNE = {"kind": "command", "command": "prune-jobs", "params": {"days": 30}}
WORKFLOW = {
    "workflow_id": "w1",
    "name": "evening",
    "version": 2,
    "steps": [{"name": "prune", "target": PRUNE}, {"target": {"kind": "backtest", "request": {}}}],
}
RUN = {
    "job_id": "r1",
    "status": "failed",
    "error": "step 2 (backtest) failed: no bars",
    "steps": [
        {
            "index": 0,
            "name": "prune",
            "kind": "command",
            "job_id": "j1",
            "status": "succeeded",
            "error": None,
        },
        {
            "index": 1,
            "name": "backtest",
            "kind": "backtest",
            "job_id": "j2",
            "status": "failed",
            "error": "no bars",
        },
    ],
}


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> type[FakeClient]:
    monkeypatch.setenv("TW_API_KEY", "k")
    monkeypatch.setattr(workflows, "Client", FakeClient)
    FakeClient.calls, FakeClient.answers = [], {}
    return FakeClient


def test_create_sends_the_file(
    fake: type[FakeClient], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = {"name": "evening", "steps": [{"target": PRUNE}]}
    path = tmp_path / "wf.json"
    path.write_text(json.dumps(body))
    fake.answers["POST /workflows"] = WORKFLOW
    assert main(["workflows", "create", "--file", str(path)]) == 0
    assert fake.calls == [("POST", "/workflows", {"json": body})]
    assert "workflow w1 created" in capsys.readouterr().out


def test_a_file_that_is_not_json_names_file(
    fake: type[FakeClient], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "wf.json"
    path.write_text("{nope")
    assert main(["workflows", "create", "--file", str(path)]) == 2
    assert "--file" in capsys.readouterr().err
    assert fake.calls == []


def test_list_prints_each_workflows_steps(fake: type[FakeClient], capsys: pytest.CaptureFixture[str]) -> None:
    fake.answers["GET /workflows"] = {"items": [WORKFLOW], "next_token": None}
    assert main(["workflows", "list"]) == 0
    assert capsys.readouterr().out.strip() == "w1  v2  evening: prune -> backtest"


def test_run_prints_each_step_and_exits_with_the_outcome(
    fake: type[FakeClient], capsys: pytest.CaptureFixture[str]
) -> None:
    fake.answers["POST /workflows/w1/runs"] = {"job_id": "r1", "status": "queued"}
    fake.answers["GET /workflows/runs/r1"] = RUN
    assert main(["workflows", "run", "w1"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "run r1 failed: step 2 (backtest) failed: no bars",
        "  1. prune: succeeded  job j1",
        "  2. backtest: failed  job j2",
    ]
