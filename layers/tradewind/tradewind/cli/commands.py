"""``tradewind commands list|run``: the command catalogue on a deployment (docs/commands.md).

``run NAME --param k=v`` (values read as JSON when they parse, else as text: ``--param days=30``,
``--param 'symbols=["AAPL","MSFT"]'``) starts a run, a job of kind ``command``; ``--follow`` prints
its log live over the WebSocket until it ends (as ``tradewind jobs logs --follow``).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from tradewind.cli import jobs
from tradewind.cli.cloud import _add_connection, _endpoint
from tradewind.cli.remote import Client


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("commands", help="the catalogue of safe operations, and running them")
    commands = parser.add_subparsers(dest="commands_command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="every command, its description and parameters")
    _add_connection(listing)
    listing.set_defaults(func=list_commands)

    run = commands.add_parser("run", help="run a command (a job of kind command)")
    _add_connection(run)
    run.add_argument("name")
    run.add_argument("--param", "-p", action="append", default=[], metavar="K=V", help="a parameter (repeat)")
    run.add_argument("--follow", "-f", action="store_true", help="print the run's log live until it ends")
    run.set_defaults(func=run_command)


def parse_params(pairs: list[str]) -> dict[str, Any]:
    """``k=v`` pairs; a value that parses as JSON is that value (30, true, ["A"]), else the text."""
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name:
            raise SystemExit(f"--param takes NAME=VALUE, got {pair!r}")
        try:
            params[name] = json.loads(text)
        except ValueError:
            params[name] = text
    return params


def _params_line(schema: dict[str, Any]) -> str:
    required = set(schema.get("required", []))
    parts = []
    for name, prop in (schema.get("properties") or {}).items():
        kind = prop.get("type") or "|".join(str(v) for v in prop.get("enum", [])) or "value"
        if "anyOf" in prop:
            kind = "|".join(
                str(p.get("type") or p.get("enum") or "") for p in prop["anyOf"] if p.get("type") != "null"
            )
        parts.append(f"{name}={kind}" if name in required else f"[{name}={kind}]")
    return " ".join(parts)


def list_commands(args: argparse.Namespace) -> int:
    with Client(_endpoint(args)) as client:
        catalogue = client.call("GET", "/commands")
    if args.json:
        print(json.dumps(catalogue, indent=2))
        return 0
    for command in catalogue:
        print(f"{command['name']}  {_params_line(command['params_schema'])}".rstrip())
        print(f"    {command['description']}")
    return 0


def run_command(args: argparse.Namespace) -> int:
    params = parse_params(args.param)
    with Client(_endpoint(args)) as client:
        job = client.call("POST", f"/commands/{args.name}/runs", json={"params": params})
    if not args.follow:
        print(json.dumps(job, indent=2) if args.json else f"command {job['job_id']} {job['status']}")
        return 0
    follow = argparse.Namespace(**{**vars(args), "job_id": job["job_id"], "tail": None})
    jobs.job_logs(follow)
    with Client(_endpoint(args)) as client:
        final = client.call("GET", f"/jobs/{job['job_id']}")
    if args.json:
        print(json.dumps(final, indent=2))
    else:
        reason = f": {final['error']}" if final.get("error") else ""
        print(f"command {final['job_id']} {final['status']}{reason}")
    return 0 if final["status"] == "succeeded" else 1
