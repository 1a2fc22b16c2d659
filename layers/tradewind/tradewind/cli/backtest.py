"""``tradewind backtest``: one run on a local file, a metrics table (or JSON with metrics and trades)."""

from __future__ import annotations

import argparse
from typing import Any

from tradewind.cli.common import add_inputs, dump_json, parse_param, read_frames, read_strategy


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("backtest", help="run one backtest and print its metrics")
    add_inputs(parser)
    parser.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="override a parameter"
    )
    parser.add_argument(
        "--trades", type=int, default=10, metavar="N", help="show the last N trades (default 10)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tradewind.engine.api import backtest

    frames = read_frames(args.data, args.symbol)
    strategy = read_strategy(args)
    params = dict(parse_param(p) for p in args.param)
    data: Any = next(iter(frames.values())) if len(frames) == 1 else frames
    result = backtest(data, strategy, params=params, cash=args.cash)
    if args.json:
        print(dump_json(_payload(result)))
    else:
        _print(result, args.trades)
    return 0


def _payload(result: Any) -> dict[str, Any]:
    if hasattr(result, "symbols"):
        return {
            "metrics": result.metrics.to_dict(),
            "weights": result.weights,
            "symbols": {s: _payload(r) for s, r in result.symbols.items()},
        }
    return {
        "params": result.params,
        "metrics": result.metrics.to_dict(),
        "trades": result.trades.to_dict("records"),
    }


def _print(result: Any, last: int) -> None:
    from rich.console import Console
    from rich.table import Table

    from tradewind.metrics import format_metrics

    console = Console()
    title = "Portfolio" if hasattr(result, "symbols") else f"{result.strategy.name} {result.params}"
    table = Table(title=title, show_header=False)
    table.add_column("metric")
    table.add_column("value", justify="right")
    for label, value in format_metrics(result.metrics):
        table.add_row(label, value)
    console.print(table)
    if hasattr(result, "symbols") or last <= 0 or result.trades.empty:
        return
    trades = Table(title=f"Last {min(last, len(result.trades))} of {len(result.trades)} trades")
    for col in ("entry", "exit", "size", "in", "out", "pnl", "ret %", "reason"):
        trades.add_column(col, justify="right", no_wrap=True)
    for row in result.trades.tail(last).itertuples():
        trades.add_row(
            str(row.entry_time.date()),
            str(row.exit_time.date()) + (" (open)" if row.is_open else ""),
            f"{row.size:g}",
            f"{row.entry_price:.2f}",
            f"{row.exit_price:.2f}",
            f"{row.pnl:.2f}",
            f"{row.return_pct:.2f}",
            row.exit_reason,
        )
    console.print(trades)
