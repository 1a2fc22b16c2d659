"""``tradewind pipeline run|list|status|stop|pause|resume|signals|export``: runs on a deployment.

``run`` starts a scan and follows it with a progress bar fed by the run's WebSocket topic
(``job:<id>``: symbols done, signals found, rate, ETA), then prints its summary. The strategy is a
template (``--template``), a stored one (``--strategy-id``) or a file (``--strategy``).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tradewind.cli.cloud import _add_connection, _cell, _endpoint, _strategy_file, report_unfinished
from tradewind.cli.common import parse_param
from tradewind.cli.remote import Client, follow, subscription
from tradewind.jobs.spec import FINAL_STATUSES
from tradewind.jobs.views import topic
from tradewind.pipeline.spec import MODE_SYMBOLS
from tradewind.strategy.templates import TEMPLATES

RUNS = "/pipeline/runs"
SIGNAL_COLUMNS = ("symbol", "time", "rule", "action", "side", "strength", "close")
CONTROLS = {
    "stop": "stop a run: it ends stopped with what it finished",
    "pause": "pause a run: no new batch starts, running ones finish and count",
    "resume": "resume a paused run over exactly the batches not counted yet",
}
"""The run controls and their help; each is ``control_run``."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("pipeline", help="signal pipeline runs: scans, signals, breadth")
    commands = parser.add_subparsers(dest="pipeline_command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="start a run over a universe and follow it")
    _add_connection(run)
    source = run.add_mutually_exclusive_group(required=True)
    source.add_argument("--template", choices=sorted(TEMPLATES), help="a built-in strategy")
    source.add_argument("--strategy-id", help="a stored strategy (latest version unless --version)")
    source.add_argument("--strategy", type=Path, help="a strategy document (JSON)")
    run.add_argument("--version", type=int, help="the stored strategy's version")
    run.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a parameter value")
    run.add_argument("--universe", choices=("sample", "dataset", "watchlist", "symbols"), default="sample")
    run.add_argument("--dataset", help="the dataset (universes dataset, watchlist, symbols)")
    run.add_argument("--watchlist", help="a watchlist id (universe watchlist)")
    run.add_argument("--symbols", help="comma-separated symbols (universe symbols)")
    run.add_argument("--mode", choices=tuple(MODE_SYMBOLS), default="full", help="demo 5, small 50, full all")
    run.add_argument("--timeframe", choices=("1d", "1w", "1mo", "intraday"), default="1d")
    run.add_argument("--start", help="first date (YYYY-MM-DD)")
    run.add_argument("--end", help="last date (YYYY-MM-DD)")
    run.add_argument("--name", help="a name for the run")
    run.add_argument("--no-wait", action="store_true", help="start it and print it, do not follow")
    run.set_defaults(func=run_pipeline)

    listing = commands.add_parser("list", help="your runs, newest first")
    _add_connection(listing)
    listing.add_argument("--status", help="only runs with this status")
    listing.add_argument("--mode", choices=tuple(MODE_SYMBOLS))
    listing.add_argument("--strategy-id")
    listing.add_argument("--date", help="only runs started on this UTC date (YYYY-MM-DD)")
    listing.add_argument("--limit", type=int, default=20)
    listing.set_defaults(func=list_runs)

    status_parser = commands.add_parser("status", help="a run's status, progress and summary")
    _add_connection(status_parser)
    status_parser.add_argument("run_id")
    status_parser.set_defaults(func=show_status)
    for control, helptext in CONTROLS.items():
        sub = commands.add_parser(control, help=helptext)
        _add_connection(sub)
        sub.add_argument("run_id")
        sub.set_defaults(func=control_run, control=control)

    for name, helptext, func in (
        ("signals", "a run's signals (or the latest runs'), filtered and sorted", show_signals),
        ("export", "a run's signals (or the latest runs') as a CSV or JSON file", export_signals),
    ):
        sub = commands.add_parser(name, help=helptext)
        _add_connection(sub)
        sub.add_argument("run_id", nargs="?", help="a run; omit for the latest runs' signals")
        sub.add_argument("--runs", type=int, default=1, help="without run_id: how many newest runs to merge")
        for flag in ("--symbol", "--side", "--action", "--rule", "--start", "--end"):
            sub.add_argument(flag)
        sub.add_argument("--min-strength", type=float)
        sub.add_argument(
            "--sort", choices=("time", "symbol", "strength", "rule", "action", "side"), default="time"
        )
        sub.add_argument("--order", choices=("asc", "desc"), default="desc")
        if name == "signals":
            sub.add_argument("--limit", type=int, default=50)
        else:
            sub.add_argument("--format", choices=("csv", "json"), default="csv")
            sub.add_argument("-o", "--output", type=Path, help="the file to write (default: signals.FORMAT)")
        sub.set_defaults(func=func)


def run_body(args: argparse.Namespace) -> dict[str, Any]:
    """The ``POST /pipeline/runs`` body of the command line."""
    body: dict[str, Any] = {"mode": args.mode, "timeframe": args.timeframe}
    if args.template:
        body["template"] = args.template
    elif args.strategy_id:
        body["strategy_id"] = args.strategy_id
        if args.version:
            body["strategy_version"] = args.version
    else:
        body["strategy"] = _strategy_file(args.strategy)
    body["params"] = dict(parse_param(p) for p in args.param)
    universe: dict[str, Any] = {"kind": args.universe}
    if args.dataset:
        universe["dataset_id"] = args.dataset
    if args.watchlist:
        universe["watchlist_id"] = args.watchlist
    if args.symbols:
        universe["symbols"] = [s.strip().upper() for s in args.symbols.split(",") if s.strip()]
    body["universe"] = universe
    body.update({k: v for k, v in (("start", args.start), ("end", args.end), ("name", args.name)) if v})
    return body


@contextmanager
def progress_bar() -> Iterator[Callable[[dict[str, Any]], None]]:
    """A rich progress bar fed by ``job.progress``: symbols done of total, signals found, rate, ETA."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("scan"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[info]}"))
    with Progress(*columns, TimeElapsedColumn()) as bar:
        task = bar.add_task("scan", total=None, info="")

        def update(message: dict[str, Any]) -> None:
            payload = message.get("payload", {})
            if message.get("type") == "job.progress":
                rate, eta = payload.get("symbols_per_second"), payload.get("eta_seconds")
                info = f"{payload.get('signals_found', 0):,} signals"
                info += f"  {rate:,.1f} symbols/s" if rate else ""
                info += f"  ETA {eta:.0f} s" if eta is not None else ""
                info += "  stopping" if payload.get("stop_requested") else ""
                total = payload.get("symbols_total") or None
                bar.update(task, completed=payload.get("symbols_done", 0), total=total, info=info)
            elif message.get("type") == "job.completed":
                total = bar.tasks[0].total or 1
                bar.update(task, completed=total, total=total)

        yield update


def run_pipeline(args: argparse.Namespace) -> int:
    endpoint = _endpoint(args)
    with Client(endpoint) as client:
        run: dict[str, Any] = client.call("POST", RUNS, json=run_body(args))
        if not args.no_wait and run["status"] not in FINAL_STATUSES:
            with subscription(endpoint, topic(run["job_id"])) as socket:
                if args.json:
                    follow(socket, run["job_id"], lambda _message: None)
                else:
                    with progress_bar() as update:
                        follow(socket, run["job_id"], update)
            run = client.call("GET", f"{RUNS}/{run['job_id']}")
    _print_run(run, args.json)
    return 0 if run["status"] in ("running", "succeeded", "stopped") else report_unfinished(run)


def list_runs(args: argparse.Namespace) -> int:
    params = {
        k: v
        for k, v in (
            ("status", args.status),
            ("mode", args.mode),
            ("strategy_id", args.strategy_id),
            ("date", args.date),
        )
        if v
    }
    with Client(_endpoint(args)) as client:
        page = client.call("GET", RUNS, params={**params, "limit": args.limit})
    if args.json:
        print(json.dumps(page, indent=2))
        return 0
    columns = (
        "job_id",
        "status",
        "mode",
        "timeframe",
        "universe",
        "strategy_name",
        "symbols_done",
        "signals_found",
        "created_at",
    )
    _table("Pipeline runs", columns, page["items"])
    return 0


def show_status(args: argparse.Namespace) -> int:
    with Client(_endpoint(args)) as client:
        _print_run(client.call("GET", f"{RUNS}/{args.run_id}"), args.json)
    return 0


def control_run(args: argparse.Namespace) -> int:
    """Stop (``POST /pipeline/runs/{id}/stop``), pause or resume (``POST /jobs/{id}/<control>``, as
    ``tradewind jobs pause|resume`` does) a run, and print it as it is afterwards."""
    path = f"{RUNS}/{args.run_id}/stop" if args.control == "stop" else f"/jobs/{args.run_id}/{args.control}"
    with Client(_endpoint(args)) as client:
        _print_run(client.call("POST", path), args.json)
    return 0


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    names = ("symbol", "side", "action", "rule", "start", "end", "min_strength", "sort", "order")
    params = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    if not args.run_id:
        params["runs"] = args.runs
    return params


def _signals_path(args: argparse.Namespace) -> str:
    return f"{RUNS}/{args.run_id}/signals" if args.run_id else "/pipeline/signals"


def show_signals(args: argparse.Namespace) -> int:
    with Client(_endpoint(args)) as client:
        page = client.call("GET", _signals_path(args), params={**_filters(args), "limit": args.limit})
    if args.json:
        print(json.dumps(page, indent=2))
    else:
        _table(f"{len(page['items'])} of {page['total']} signals", SIGNAL_COLUMNS, page["items"])
    return 0


def export_signals(args: argparse.Namespace) -> int:
    target = args.output or Path(f"signals.{args.format}")
    with Client(_endpoint(args)) as client:
        body = client.download(
            f"{_signals_path(args)}/export", params={**_filters(args), "format": args.format}
        )
    target.write_bytes(body)
    print(f"wrote {len(body):,} bytes to {target}")
    return 0


def _print_run(run: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(run, indent=2))
        return
    fields = (
        "job_id",
        "status",
        "mode",
        "timeframe",
        "universe",
        "strategy_name",
        "symbols_done",
        "symbols_total",
    )
    rows = [(name, run.get(name)) for name in fields]
    rows += [
        ("batches", f"{run['batches_done']} done, {run['batches_skipped']} skipped of {run['batches_total']}")
    ]
    rows += [("signals", run.get("signals_found")), ("error", run.get("error"))]
    summary = run.get("summary") or {}
    rows += [(f"summary.{k}", v) for k, v in summary.items() if not isinstance(v, dict)]
    _table(
        f"Pipeline run {run['job_id']}",
        ("field", "value"),
        [dict(zip(("field", "value"), r, strict=True)) for r in rows],
    )


def _table(title: str, columns: tuple[str, ...], items: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for name in columns:
        table.add_column(name)
    for item in items:
        table.add_row(*(_cell(item.get(name)) for name in columns))
    Console().print(table)
