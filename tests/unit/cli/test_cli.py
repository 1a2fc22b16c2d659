"""The command line on local files: tables, JSON, progress, and errors that name the option."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tradewind.cli.main import main
from tradewind.strategy import template, to_json

from tests.unit.engine.conftest import random_walk


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "bars.csv"
    random_walk(400, seed=3).rename_axis("time").reset_index().to_csv(path, index=False)
    return path


def test_backtest_json_has_metrics_and_trades(csv_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["backtest", "--data", str(csv_file), "--template", "sma_cross", "--param", "fast=5", "--json"])
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["params"] == {"fast": 5, "slow": 30}
    assert out["metrics"]["trades"] >= 1
    assert {"entry_time", "exit_price", "pnl", "exit_reason"} <= set(out["trades"][0])


def test_backtest_table_from_strategy_file_and_parquet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "bars.parquet"
    random_walk(300, seed=5).rename_axis("time").reset_index().to_parquet(data)
    doc = tmp_path / "s.json"
    doc.write_text(to_json(template("rsi_mean_reversion")))
    assert main(["backtest", "--data", str(data), "--strategy", str(doc), "--commission", "0.001"]) == 0
    out = capsys.readouterr().out
    assert "Sharpe Ratio" in out
    assert "Return [%]" in out


def test_multi_symbol_file_gives_a_portfolio(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    frames = []
    for seed, symbol in ((1, "AAA"), (2, "BBB")):
        f = random_walk(250, seed=seed).rename_axis("time").reset_index()
        f["symbol"] = symbol
        frames.append(f)
    path = tmp_path / "two.csv"
    import pandas as pd

    pd.concat(frames).to_csv(path, index=False)
    assert main(["backtest", "--data", str(path), "--template", "sma_cross", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["symbols"]) == {"AAA", "BBB"}
    assert out["weights"] == {"AAA": 0.5, "BBB": 0.5}


def test_sweep_prints_leaderboard(csv_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "sweep",
        "--data",
        str(csv_file),
        "--template",
        "sma_cross",
        "--param",
        "fast=2:10:2",
        "--param",
        "slow=20,40",
    ]
    assert main([*args, "--json", "--top", "3", "--sort", "return_pct"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["combinations"] == 10
    assert len(out["top"]) == 3
    returns = [row["return_pct"] for row in out["top"]]
    assert returns == sorted(returns, reverse=True)
    assert main(args) == 0
    assert "Top 10 of 10 combinations by sharpe" in capsys.readouterr().out


def test_bad_input_names_the_option(csv_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backtest", "--data", str(csv_file), "--template", "sma_cross", "--param", "fast=999"]) == 2
    assert "params.fast" in capsys.readouterr().err
    assert main(["backtest", "--data", "nope.csv", "--template", "sma_cross"]) == 2
    assert "--data" in capsys.readouterr().err
    assert main(["sweep", "--data", str(csv_file), "--template", "sma_cross", "--param", "fast=x"]) == 2
    assert "--param.fast" in capsys.readouterr().err
