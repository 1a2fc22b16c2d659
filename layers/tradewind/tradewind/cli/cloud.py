"""``tradewind remote backtest|optimize|job``: run jobs on a Tradewind deployment, follow them live.

The same options as the local commands where they mean the same thing; the strategy is a stored one
(``--strategy-id``), a built-in (``--template``, sent inline) or a file. Progress comes over the
WebSocket (the job's ``job:<id>`` topic), never by polling.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from tradewind.cli.common import parse_param
from tradewind.cli.remote import Client, Endpoint, follow, progress_bar, subscription
from tradewind.errors import FieldProblem, InvalidInput
from tradewind.jobs.spec import FINAL_STATUSES
from tradewind.jobs.views import topic
from tradewind.strategy.templates import TEMPLATES

LEADERBOARD_COLUMNS = ("return_pct", "sharpe", "max_drawdown_pct", "trades")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("remote", help="run backtests and optimizations on a deployment")
    commands = parser.add_subparsers(dest="remote_command", required=True, metavar="COMMAND")
    for name, helptext, func in (
        ("backtest", "submit a backtest and print its metrics", run_backtest),
        ("optimize", "submit an optimization and print its leaderboard", run_optimize),
    ):
        sub = commands.add_parser(name, help=helptext)
        _add_connection(sub)
        _add_job_inputs(sub)
        sub.set_defaults(func=func)
        if name == "optimize":
            sub.add_argument("--objective", default="sharpe", help="metric to rank by (default sharpe)")
            sub.add_argument("--minimize", action="store_true", help="lower objective is better")
            sub.add_argument(
                "--min-trades", type=int, default=0, help="ignore combinations with fewer trades"
            )
            sub.add_argument("--top", type=int, default=10, help="leaderboard rows to print (default 10)")
    job = commands.add_parser("job", help="show a job's status and summary")
    _add_connection(job)
    job.add_argument("job_id")
    job.add_argument("--kind", choices=("backtests", "optimizations"), default="optimizations")
    job.set_defaults(func=run_job)


def _add_connection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--api-url", help="the API (TW_API_URL; default make run's http://127.0.0.1:8000)")
    parser.add_argument("--api-key", help="an API key (TW_API_KEY; default make run's .tradewind/api-key)")
    parser.add_argument(
        "--ws-url", help="the WebSocket URL (TW_WS_URL; default: the one the API gives with each ticket)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")


def _add_job_inputs(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--strategy-id", help="a stored strategy (latest version unless --version)")
    source.add_argument("--template", choices=sorted(TEMPLATES), help="a built-in strategy, sent inline")
    source.add_argument("--strategy", type=Path, help="a strategy document (JSON), sent inline")
    parser.add_argument("--version", type=int, help="the stored strategy's version")
    parser.add_argument("--dataset", required=True, help="dataset id (the sample universe is 'sample')")
    symbols = parser.add_mutually_exclusive_group(required=True)
    symbols.add_argument("--symbols", help="comma-separated symbols")
    symbols.add_argument("--watchlist", help="a watchlist id")
    parser.add_argument("--start", help="first date (YYYY-MM-DD)")
    parser.add_argument("--end", help="last date (YYYY-MM-DD)")
    parser.add_argument("--cash", type=float, default=10_000.0, help="starting cash (default 10000)")
    parser.add_argument(
        "--param", action="append", default=[], metavar="NAME=SPEC", help="a value, a,b,c or min:max[:step]"
    )
    parser.add_argument("--force", action="store_true", help="run even if an identical result is stored")


def job_body(args: argparse.Namespace) -> dict[str, Any]:
    """The request fields shared by backtests and optimizations."""
    body: dict[str, Any] = {"dataset_id": args.dataset, "cash": args.cash, "force": args.force}
    if args.strategy_id:
        body["strategy_id"] = args.strategy_id
        if args.version:
            body["strategy_version"] = args.version
    elif args.template:
        body["strategy"] = TEMPLATES[args.template]().model_dump(mode="json")
    else:
        body["strategy"] = _strategy_file(args.strategy)
    if args.symbols:
        body["symbols"] = [s.strip().upper() for s in args.symbols.split(",") if s.strip()]
    else:
        body["watchlist_id"] = args.watchlist
    body.update({k: v for k, v in (("start", args.start), ("end", args.end)) if v})
    return body


def _strategy_file(path: Path) -> Any:
    """The JSON document in ``--strategy`` (the API validates it); unreadable or not JSON is bad input."""
    try:
        return json.loads(path.read_text())
    except OSError as exc:
        raise InvalidInput(
            "Cannot read the strategy.", [FieldProblem(["--strategy"], str(exc), "missing")]
        ) from exc
    except ValueError as exc:
        raise InvalidInput(
            "The strategy is not JSON.", [FieldProblem(["--strategy"], f"{path}: {exc}", "json_invalid")]
        ) from exc


def submit_and_follow(
    client: Client, endpoint: Endpoint, path: str, body: dict[str, Any], quiet: bool
) -> dict[str, Any]:
    """POST the job, then follow its topic to the end; returns the job as the API reports it last."""
    job: dict[str, Any] = client.call("POST", path, json=body)
    if job.get("status") in FINAL_STATUSES:
        return job
    with subscription(endpoint, topic(job["job_id"])) as socket:
        if quiet:
            follow(socket, job["job_id"], lambda _message: None)
        else:
            with progress_bar(path.strip("/")) as update:
                follow(socket, job["job_id"], update)
    final: dict[str, Any] = client.call("GET", f"/jobs/{job['job_id']}")  # one route reads every kind
    return final


def _endpoint(args: argparse.Namespace) -> Endpoint:
    return Endpoint.from_env(args.api_url, args.api_key, args.ws_url)


def run_backtest(args: argparse.Namespace) -> int:
    endpoint = _endpoint(args)
    body = {**job_body(args), "params": dict(parse_param(p) for p in args.param)}
    with Client(endpoint) as client:
        job = submit_and_follow(client, endpoint, "/backtests", body, quiet=args.json)
        if job["status"] != "succeeded":
            return report_unfinished(job)
        results = client.call("GET", f"/backtests/{job['job_id']}/results")
    if args.json:
        print(json.dumps({"job": job, "results": results}, indent=2))
    else:
        _print_metrics(job, results)
    return 0


def run_optimize(args: argparse.Namespace) -> int:
    endpoint = _endpoint(args)
    body = {
        **job_body(args),
        "space": dict(parse_param(p) for p in args.param),
        "objective": {"metric": args.objective, "direction": "minimize" if args.minimize else "maximize"},
        "min_trades": args.min_trades,
        "top_n": max(args.top, 1),
    }
    with Client(endpoint) as client:
        job = submit_and_follow(client, endpoint, "/optimizations", body, quiet=args.json)
        if job["status"] != "succeeded":
            return report_unfinished(job)
        show_leaderboard(client, job, args.top, as_json=args.json)
    return 0


def run_job(args: argparse.Namespace) -> int:
    with Client(_endpoint(args)) as client:
        print(json.dumps(client.call("GET", f"/{args.kind}/{args.job_id}"), indent=2))
    return 0


def report_unfinished(job: dict[str, Any]) -> int:
    """Say how a job that did not succeed ended (with its error, if any); the exit code is 1."""
    reason = job.get("error") or ""
    print(f"job {job['job_id']} ended {job['status']}{': ' + reason if reason else ''}")
    return 1


def show_leaderboard(client: Client, job: dict[str, Any], top: int, *, as_json: bool = False) -> None:
    """Fetch an optimization's ``top`` leaderboard rows and print them (a table, or JSON with the job)."""
    board = client.call("GET", f"/optimizations/{job['job_id']}/leaderboard", params={"limit": top})
    if as_json:
        print(json.dumps({"job": job, "leaderboard": board}, indent=2))
    else:
        _print_leaderboard(job, board)


def _print_leaderboard(job: dict[str, Any], board: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    rows = board.get("rows", [])
    objective = board.get("objective", {}).get("metric", "")
    cached = " (cached result)" if job.get("cached") else ""
    table = Table(title=f"Top {len(rows)} by {objective}: job {job['job_id']}{cached}")
    params = list(rows[0]["params"]) if rows else []
    metrics = [objective, *(m for m in LEADERBOARD_COLUMNS if m != objective)]
    for name in ("rank", *params, *metrics):
        table.add_column(name, justify="right")
    for row in rows:
        values = [row["rank"], *(row["params"][p] for p in params), *(row["metrics"].get(m) for m in metrics)]
        table.add_row(*(_cell(v) for v in values))
    Console().print(table)


def _print_metrics(job: dict[str, Any], results: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    portfolio = results.get("portfolio", {})
    table = Table(title=f"Backtest {job['job_id']}: portfolio")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, value in portfolio.items():
        table.add_row(name, _cell(value))
    Console().print(table)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return "" if value is None else str(value)
