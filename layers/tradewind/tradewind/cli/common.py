"""What the subcommands share: reading bars and strategies from files, parsing --param, printing."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tradewind.errors import FieldProblem, InvalidInput
from tradewind.strategy.models import Strategy
from tradewind.strategy.templates import TEMPLATES
from tradewind.strategy.validation import parse_strategy


def add_inputs(parser: argparse.ArgumentParser) -> None:
    """The options every engine command takes."""
    parser.add_argument(
        "--data",
        required=True,
        type=Path,
        help="bars as .csv or .parquet (open, high, low, close[, volume], time)",
    )
    parser.add_argument("--symbol", help="pick one symbol when the file has a 'symbol' column")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--strategy", type=Path, help="a strategy document (JSON)")
    source.add_argument("--template", choices=sorted(TEMPLATES), help="a built-in strategy")
    parser.add_argument("--cash", type=float, default=10_000.0, help="starting cash (default 10000)")
    parser.add_argument(
        "--commission", type=float, help="commission per side as a fraction of the notional (0.001 = 0.1%%)"
    )
    parser.add_argument("--slippage-bps", type=float, help="slippage in basis points")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")


def read_frames(path: Path, symbol: str | None) -> dict[str, pd.DataFrame]:
    """Bars by symbol (one unnamed entry for a single-instrument file)."""
    if not path.exists():
        raise InvalidInput(
            "The data file does not exist.", [FieldProblem(["--data"], f"no such file: {path}", "missing")]
        )
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame = pd.read_csv(path)
    elif suffix in (".parquet", ".pq"):
        frame = pd.read_parquet(path)
    else:
        raise InvalidInput(
            "Unsupported data file.", [FieldProblem(["--data"], "use a .csv or .parquet file", "format")]
        )
    frame.columns = [str(c).lower() for c in frame.columns]
    if "symbol" not in frame.columns:
        return {path.stem: frame}
    groups = {str(k): g.drop(columns="symbol") for k, g in frame.groupby("symbol", sort=True)}
    if symbol is not None:
        if symbol not in groups:
            raise InvalidInput(
                "Unknown symbol.", [FieldProblem(["--symbol"], f"'{symbol}' is not in the file", "missing")]
            )
        return {symbol: groups[symbol]}
    return groups


def read_strategy(args: argparse.Namespace) -> Strategy:
    """The strategy from --strategy or --template, with --commission/--slippage-bps applied."""
    if args.template:
        strategy = TEMPLATES[args.template]()
    else:
        try:
            text = args.strategy.read_text()
        except OSError as exc:
            raise InvalidInput(
                "Cannot read the strategy.", [FieldProblem(["--strategy"], str(exc), "missing")]
            ) from exc
        strategy = parse_strategy(text)
    costs: dict[str, float] = {}
    if args.commission is not None:
        costs["commission"] = args.commission
    if args.slippage_bps is not None:
        costs["slippage_bps"] = args.slippage_bps
    if costs:
        document = strategy.model_dump()
        document["costs"].update(costs)
        strategy = parse_strategy(document)
    return strategy


def parse_param(text: str) -> tuple[str, Any]:
    """``k=v`` (a value), ``k=a,b,c`` (choices) or ``k=min:max[:step]`` (a range)."""
    name, sep, value = text.partition("=")
    if not sep or not name or not value:
        raise InvalidInput(
            "Bad --param.", [FieldProblem(["--param"], f"expected name=value, got '{text}'", "format")]
        )
    try:
        if ":" in value:
            parts = [float(p) for p in value.split(":")]
            if len(parts) not in (2, 3):
                raise ValueError(value)
            return name, {
                "min": _num(parts[0]),
                "max": _num(parts[1]),
                "step": _num(parts[2] if len(parts) == 3 else 1),
            }
        if "," in value:
            return name, [_num(float(v)) for v in value.split(",")]
        return name, _num(float(value))
    except ValueError:
        raise InvalidInput(
            "Bad --param.", [FieldProblem(["--param", name], f"not a number: '{value}'", "format")]
        ) from None


def _num(value: float) -> int | float:
    return int(value) if value == int(value) else value


def jsonable(value: Any) -> Any:
    """Values of metric rows and trade tables as plain JSON types (NaN -> null, times -> ISO)."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, pd.Timedelta):
        return value.total_seconds() / 86400.0
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def dump_json(payload: dict[str, Any]) -> str:
    return json.dumps(jsonable(payload), indent=2)
