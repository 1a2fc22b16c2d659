"""``tradewind jobs list|show|logs|cancel|pause|resume``: every kind of job on a deployment, through
``/jobs``.

``logs --follow`` prints the stored lines, then the live ``job.log`` messages of the job's topic
(``job:<id>``, a WebSocket opened with a ticket) until the job ends.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from tradewind.cli.cloud import _add_connection, _cell, _endpoint
from tradewind.cli.remote import FINAL_TYPES, Client, subscription
from tradewind.jobs.spec import FINAL_STATUSES
from tradewind.jobs.views import topic

LIST_COLUMNS = ("job_id", "kind", "status", "name", "percent", "created_at")
LOG = "job.log"
CONTROLS = {
    "cancel": "cancel a queued, running or paused job",
    "pause": "pause an optimization or pipeline run: nothing new starts, running work finishes and counts",
    "resume": "resume a paused job over exactly what is not counted yet",
}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("jobs", help="every job (imports, backtests, sweeps, pipeline runs)")
    commands = parser.add_subparsers(dest="jobs_command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="your jobs of every kind, newest first")
    _add_connection(listing)
    listing.add_argument("--kind", choices=("import", "backtest", "optimization", "pipeline", "command"))
    listing.add_argument("--status", help="only jobs with this status")
    listing.add_argument("--name", help="the name contains this (any case)")
    listing.add_argument("--from", dest="created_from", help="created on or after (YYYY-MM-DD)")
    listing.add_argument("--to", dest="created_to", help="created on or before (YYYY-MM-DD)")
    listing.add_argument("--limit", type=int, default=20)
    listing.set_defaults(func=list_jobs)

    show = commands.add_parser("show", help="a job: status, progress, summary and timeline")
    _add_connection(show)
    show.add_argument("job_id")
    show.set_defaults(func=show_job)

    logs = commands.add_parser("logs", help="a job's log lines (--follow: live until it ends)")
    _add_connection(logs)
    logs.add_argument("job_id")
    logs.add_argument("--tail", type=int, help="only the last N lines")
    logs.add_argument(
        "--follow", "-f", action="store_true", help="keep printing new lines until the job ends"
    )
    logs.set_defaults(func=job_logs)

    for action, help_text in CONTROLS.items():
        control = commands.add_parser(action, help=help_text)
        _add_connection(control)
        control.add_argument("job_id")
        control.set_defaults(func=control_job, action=action)


def _row(job: dict[str, Any]) -> dict[str, Any]:
    return {**job, "percent": f"{job['progress']['percent']:.0f}%", "name": job.get("name") or ""}


def list_jobs(args: argparse.Namespace) -> int:
    names = ("kind", "status", "name", "created_from", "created_to")
    params = {name: getattr(args, name) for name in names if getattr(args, name)}
    with Client(_endpoint(args)) as client:
        page = client.call("GET", "/jobs", params={**params, "limit": args.limit})
    if args.json:
        print(json.dumps(page, indent=2))
        return 0
    rows = [_row(job) for job in page["items"]]
    widths = {c: max([len(c), *(len(_cell(r.get(c))) for r in rows)]) for c in LIST_COLUMNS}
    print("  ".join(c.ljust(widths[c]) for c in LIST_COLUMNS))
    for row in rows:
        print("  ".join(_cell(row.get(c)).ljust(widths[c]) for c in LIST_COLUMNS))
    if page.get("next_token"):
        print("(more: narrow the filters or raise --limit)")
    return 0


def show_job(args: argparse.Namespace) -> int:
    with Client(_endpoint(args)) as client:
        job = client.call("GET", f"/jobs/{args.job_id}")
        steps = client.call("GET", f"/jobs/{args.job_id}/timeline")
    if args.json:
        print(json.dumps({"job": job, "timeline": steps}, indent=2))
        return 0
    progress = job["progress"]
    print(f"{job['kind']} {job['job_id']}  {job['status']}  {job.get('name') or ''}".rstrip())
    print(f"progress  {progress['combos_done']}/{progress['combos_total']} ({progress['percent']:.0f}%)")
    if job.get("error"):
        print(f"error     {job['error']}")
    if job.get("summary"):
        print(f"summary   {json.dumps(job['summary'])}")
    for entry in steps["entries"]:
        print(f"  {entry['at']}  {entry['status']:<10} {entry['cause']}")
    return 0


def _print_line(line: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(line))
        return
    fields = " ".join(f"{k}={v}" for k, v in (line.get("fields") or {}).items())
    print(f"{line['time']}  {line['level'].upper():<7} {line['message']}{'  ' + fields if fields else ''}")
    sys.stdout.flush()


def job_logs(args: argparse.Namespace) -> int:
    """Print the stored lines (all, or the last ``--tail``); with ``--follow``, subscribe first (so
    no line falls between the read and the subscription), then print live lines not seen yet."""
    endpoint = _endpoint(args)
    with Client(endpoint) as client:
        job = client.call("GET", f"/jobs/{args.job_id}")
        if not args.follow or job["status"] in FINAL_STATUSES:
            _print_stored(client, args, set())
            return 0
        with subscription(endpoint, topic(args.job_id)) as socket:
            seen: set[str] = set()
            _print_stored(client, args, seen)
            return _follow(socket, args, seen)


def _print_stored(client: Client, args: argparse.Namespace, seen: set[str]) -> None:
    params: dict[str, Any] = {"tail": args.tail} if args.tail else {"limit": 200}
    while True:
        page = client.call("GET", f"/jobs/{args.job_id}/logs", params=params)
        for line in page["items"]:
            seen.add(line["seq"])
            _print_line(line, args.json)
        if args.tail or not page.get("next_token"):
            return
        params = {"limit": 200, "next_token": page["next_token"]}


def _follow(socket: Any, args: argparse.Namespace, seen: set[str], timeout: float = 3600.0) -> int:
    job_topic = topic(args.job_id)
    while True:
        message = json.loads(socket.recv(timeout=timeout))
        if message.get("topic") != job_topic:
            continue
        kind, payload = message.get("type"), message.get("payload") or {}
        if kind == LOG and payload.get("seq") not in seen:
            seen.add(str(payload.get("seq")))
            _print_line(payload, args.json)
        elif kind in FINAL_TYPES:
            return 0


def control_job(args: argparse.Namespace) -> int:
    """``POST /jobs/{id}/<action>`` (cancel, pause, resume): the job as it is afterwards."""
    with Client(_endpoint(args)) as client:
        job = client.call("POST", f"/jobs/{args.job_id}/{args.action}")
    print(json.dumps(job, indent=2) if args.json else f"{job['kind']} {job['job_id']} {job['status']}")
    return 0
