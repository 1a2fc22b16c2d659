"""``tradewind`` entry point: one argparse subparser per module in ``SUBCOMMANDS``.

Each subcommand module exposes ``register(subparsers)``, which adds its parser and sets ``func``
(``args -> exit code``); adding a command is adding a module to the list.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tradewind.cli import backtest, cloud, commands, jobs, login, pipeline, schedules, sweep, workflows
from tradewind.errors import TradewindError
from tradewind.version import __version__

SUBCOMMANDS = (backtest, sweep, cloud, pipeline, jobs, schedules, commands, workflows, login)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tradewind", description="Tradewind trading research from the terminal."
    )
    parser.add_argument("--version", action="version", version=f"tradewind {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand; bad input prints each problem with its location and exits with 2."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except TradewindError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        for problem in exc.problems:
            where = ".".join(str(part) for part in problem.loc)
            print(f"  {where}: {problem.msg}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
