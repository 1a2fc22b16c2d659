"""``tradewind pipeline``: the request the command line makes, the progress bar, list and export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tradewind.cli import pipeline
from tradewind.cli.main import build_parser, main


def parse(*argv: str) -> Any:
    return build_parser().parse_args(["pipeline", *argv])


def test_run_builds_the_request_of_the_flags() -> None:
    flags = "run --template sma_cross --param fast=10 --universe symbols --dataset d1 --symbols aaa,bbb"
    args = parse(
        *flags.split(), "--mode", "small", "--timeframe", "1w", "--start", "2020-01-01", "--name", "weekly"
    )
    assert pipeline.run_body(args) == {
        "mode": "small",
        "timeframe": "1w",
        "template": "sma_cross",
        "params": {"fast": 10},
        "universe": {"kind": "symbols", "dataset_id": "d1", "symbols": ["AAA", "BBB"]},
        "start": "2020-01-01",
        "name": "weekly",
    }


def test_the_progress_bar_follows_symbols_and_signals() -> None:
    with pipeline.progress_bar() as update:
        payload = {
            "symbols_done": 50,
            "symbols_total": 500,
            "signals_found": 1234,
            "symbols_per_second": 100.0,
        }
        update({"type": "job.progress", "payload": {**payload, "eta_seconds": 4.5, "stop_requested": False}})
        update({"type": "job.completed", "payload": {}})


class FakeClient:
    calls: list[tuple[str, str, dict[str, Any]]] = []

    def __init__(self, endpoint: Any) -> None:
        pass

    def __enter__(self) -> FakeClient:
        return self

    def __exit__(self, *_: object) -> None:
        pass

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        self.calls.append((method, path, kwargs))
        return {"items": [{"job_id": "r1", "status": "succeeded", "symbols_done": 5}], "next_token": None}

    def download(self, path: str, **kwargs: Any) -> bytes:
        self.calls.append(("GET", path, kwargs))
        return b"symbol,time\nAAA,2024-01-02T00:00:00Z\n"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> type[FakeClient]:
    monkeypatch.setenv("TW_API_KEY", "k")
    monkeypatch.setattr(pipeline, "Client", FakeClient)
    FakeClient.calls = []
    return FakeClient


def test_list_passes_the_filters(fake: type[FakeClient], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pipeline", "list", "--status", "succeeded", "--mode", "demo", "--limit", "5"]) == 0
    assert fake.calls == [
        ("GET", "/pipeline/runs", {"params": {"status": "succeeded", "mode": "demo", "limit": 5}})
    ]
    assert "r1" in capsys.readouterr().out


def test_export_writes_the_file(fake: type[FakeClient], tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    assert main(["pipeline", "export", "--symbol", "AAA", "-o", str(target)]) == 0
    assert target.read_bytes().startswith(b"symbol,time")
    method, path, kwargs = fake.calls[0]
    assert (method, path) == ("GET", "/pipeline/signals/export")
    assert kwargs["params"] == {"symbol": "AAA", "sort": "time", "order": "desc", "runs": 1, "format": "csv"}
    assert main(["pipeline", "export", "r9", "--format", "json", "-o", str(target)]) == 0
    assert fake.calls[1][1] == "/pipeline/runs/r9/signals/export"
