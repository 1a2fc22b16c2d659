"""``tradewind schedules list|create|show|pause|resume|delete`` (docs/schedules.md).

``create`` takes the target as JSON (``--target '{"kind": "pipeline", "request": {...}}'`` or
``--target @file.json``) or a command (``--command prune-jobs --param days=30``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from tradewind.cli.cloud import _add_connection, _cell, _endpoint
from tradewind.cli.commands import parse_params
from tradewind.cli.remote import Client

COLUMNS = ("schedule_id", "name", "expression", "timezone", "enabled", "next_fire", "last_fire")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("schedules", help="your schedules: job requests on a clock")
    commands = parser.add_subparsers(dest="schedules_command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="your schedules with their next fire time")
    _add_connection(listing)
    listing.set_defaults(func=list_schedules)

    create = commands.add_parser("create", help="create a schedule (its target is checked now)")
    _add_connection(create)
    create.add_argument("--name", required=True)
    create.add_argument("--expression", required=True, help="rate(1 day), cron(30 17 ? * MON-FRI *), at(...)")
    create.add_argument("--timezone", default="UTC", help="IANA zone of cron and at (default UTC)")
    target = create.add_mutually_exclusive_group(required=True)
    target.add_argument("--target", help="the job request as JSON, or @file.json")
    target.add_argument("--command", help="a command from `tradewind commands list`")
    create.add_argument("--param", "-p", action="append", default=[], metavar="K=V", help="the command's")
    create.add_argument("--paused", action="store_true", help="create it paused")
    create.set_defaults(func=create_schedule)

    for name, help_text, func in (
        ("show", "a schedule, its next 5 fire times and its fire history", show_schedule),
        ("pause", "pause a schedule", pause_schedule),
        ("resume", "resume a paused schedule", resume_schedule),
        ("delete", "delete a schedule (its jobs stay)", delete_schedule),
    ):
        sub = commands.add_parser(name, help=help_text)
        _add_connection(sub)
        sub.add_argument("schedule_id")
        sub.set_defaults(func=func)


def _target(args: argparse.Namespace) -> dict[str, Any]:
    if args.command:
        return {"kind": "command", "command": args.command, "params": parse_params(args.param)}
    text = Path(args.target[1:]).read_text() if args.target.startswith("@") else args.target
    target: dict[str, Any] = json.loads(text)
    return target


def _row(schedule: dict[str, Any]) -> dict[str, Any]:
    last = schedule.get("last_fire") or {}
    upcoming = schedule.get("next_fire_times") or []
    return {
        **schedule,
        "enabled": "yes" if schedule["enabled"] else "paused",
        "next_fire": upcoming[0] if upcoming else "",
        "last_fire": f"{last.get('at', '')} {last.get('status', '')}".strip(),
    }


def list_schedules(args: argparse.Namespace) -> int:
    with Client(_endpoint(args)) as client:
        page = client.call("GET", "/schedules", params={"limit": 100})
    if args.json:
        print(json.dumps(page, indent=2))
        return 0
    rows = [_row(s) for s in page["items"]]
    widths = {c: max([len(c), *(len(_cell(r.get(c))) for r in rows)]) for c in COLUMNS}
    print("  ".join(c.ljust(widths[c]) for c in COLUMNS))
    for row in rows:
        print("  ".join(_cell(row.get(c)).ljust(widths[c]) for c in COLUMNS))
    return 0


def _print(schedule: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(schedule, indent=2))
        return
    state = "enabled" if schedule["enabled"] else "paused"
    print(f"schedule {schedule['schedule_id']}  {schedule['name']}  {state}")
    print(f"  {schedule['expression']} ({schedule['timezone']})  target: {json.dumps(schedule['target'])}")
    for moment in schedule["next_fire_times"]:
        print(f"  next  {moment}")


def create_schedule(args: argparse.Namespace) -> int:
    body = {
        "name": args.name,
        "expression": args.expression,
        "timezone": args.timezone,
        "target": _target(args),
        "enabled": not args.paused,
    }
    with Client(_endpoint(args)) as client:
        _print(client.call("POST", "/schedules", json=body), args.json)
    return 0


def show_schedule(args: argparse.Namespace) -> int:
    with Client(_endpoint(args)) as client:
        schedule = client.call("GET", f"/schedules/{args.schedule_id}")
        fires = client.call("GET", f"/schedules/{args.schedule_id}/fires", params={"limit": 20})
    if args.json:
        print(json.dumps({"schedule": schedule, "fires": fires["items"]}, indent=2))
        return 0
    _print(schedule, False)
    for fire in fires["items"]:
        outcome = fire.get("job_status") or fire.get("error") or ""
        print(
            f"  fire  {fire['scheduled_time']}  {fire['status']:<9} {fire.get('job_id') or '':<22} {outcome}"
        )
    return 0


def pause_schedule(args: argparse.Namespace) -> int:
    with Client(_endpoint(args)) as client:
        _print(client.call("POST", f"/schedules/{args.schedule_id}/pause"), args.json)
    return 0


def resume_schedule(args: argparse.Namespace) -> int:
    with Client(_endpoint(args)) as client:
        _print(client.call("POST", f"/schedules/{args.schedule_id}/resume"), args.json)
    return 0


def delete_schedule(args: argparse.Namespace) -> int:
    with Client(_endpoint(args)) as client:
        client.call("DELETE", f"/schedules/{args.schedule_id}")
    if not args.json:
        print(f"deleted schedule {args.schedule_id}")
    return 0
