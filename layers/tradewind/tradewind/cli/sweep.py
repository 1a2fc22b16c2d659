"""``tradewind sweep``: a parameter space on a local file, the top of the leaderboard, a progress bar."""

from __future__ import annotations

import argparse
from typing import Any

from tradewind.cli.common import add_inputs, dump_json, parse_param, read_frames, read_strategy
from tradewind.errors import FieldProblem, InvalidInput


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("sweep", help="evaluate a parameter space and print the leaderboard")
    add_inputs(parser)
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=SPEC",
        help="a value, a,b,c choices or min:max[:step]",
    )
    parser.add_argument(
        "--level", choices=("screening", "full"), default="screening", help="which metrics to compute"
    )
    parser.add_argument("--sort", default="sharpe", help="metric to rank by (default sharpe)")
    parser.add_argument("--ascending", action="store_true", help="rank lowest first")
    parser.add_argument("--top", type=int, default=20, help="rows to show (default 20)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tradewind.engine.api import sweep

    frames = read_frames(args.data, args.symbol)
    if len(frames) > 1:
        raise InvalidInput(
            "Pick one symbol.",
            [FieldProblem(["--symbol"], f"the file holds {len(frames)} symbols", "missing")],
        )
    data = next(iter(frames.values()))
    strategy = read_strategy(args)
    space = dict(parse_param(p) for p in args.param)
    if args.json:
        table = sweep(data, strategy, space=space, cash=args.cash, level=args.level)
    else:
        table = _with_progress(
            lambda progress: sweep(
                data, strategy, space=space, cash=args.cash, level=args.level, progress=progress
            )
        )
    if args.sort not in table.columns:
        known = ", ".join(c for c in table.columns if c not in strategy.parameters)
        raise InvalidInput(
            "Unknown metric.",
            [FieldProblem(["--sort"], f"'{args.sort}' is not a column ({known})", "unknown")],
        )
    top = table.sort_values(args.sort, ascending=args.ascending, na_position="last").head(args.top)
    if args.json:
        print(dump_json({"combinations": len(table), "sort": args.sort, "top": top.to_dict("records")}))
    else:
        _print(top, len(table), args.sort)
    return 0


def _with_progress(job: Any) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("sweeping"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()) as bar:
        task = bar.add_task("sweep", total=None)
        return job(lambda done, total: bar.update(task, completed=done, total=total))


def _print(top: Any, total: int, sort: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Top {len(top)} of {total} combinations by {sort}")
    for col in top.columns:
        table.add_column(str(col), justify="right")
    for row in top.itertuples(index=False):
        table.add_row(*(f"{v:.4g}" if isinstance(v, float) else str(v) for v in row))
    Console().print(table)
