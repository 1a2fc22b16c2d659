"""``tradewind workflows list|show|create|run|runs`` (docs/workflows.md).

``create --file workflow.json`` posts ``{"name", "description", "steps": [{"name", "target"}]}`` (each
target a job request, as schedules take them); ``run ID --follow`` follows the run's ``job:<id>``
topic with a progress bar (steps done of total) and prints each step's outcome and job.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from tradewind.cli.cloud import _add_connection, _endpoint, submit_and_follow
from tradewind.cli.remote import Client
from tradewind.errors import FieldProblem, InvalidInput


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("workflows", help="named sequences of job requests, and their runs")
    commands = parser.add_subparsers(dest="workflows_command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="your workflows")
    _add_connection(listing)
    listing.set_defaults(func=list_workflows)

    show = commands.add_parser("show", help="one workflow and its steps")
    _add_connection(show)
    show.add_argument("workflow_id")
    show.set_defaults(func=show_workflow)

    create = commands.add_parser("create", help="create a workflow from a JSON file")
    _add_connection(create)
    create.add_argument("--file", "-f", type=Path, required=True, help="{name, description, steps: [...]}")
    create.set_defaults(func=create_workflow)

    run = commands.add_parser("run", help="run a workflow (a job of kind workflow)")
    _add_connection(run)
    run.add_argument("workflow_id")
    run.add_argument("--follow", action="store_true", help="a progress bar until the run ends")
    run.set_defaults(func=run_workflow)

    runs = commands.add_parser("runs", help="a workflow's runs with each step's status")
    _add_connection(runs)
    runs.add_argument("workflow_id")
    runs.set_defaults(func=list_runs)


def _read(path: Path) -> dict[str, Any]:
    try:
        body = json.loads(path.read_text())
    except OSError as exc:
        raise InvalidInput(
            "Cannot read the workflow.", [FieldProblem(["--file"], str(exc), "missing")]
        ) from exc
    except ValueError as exc:
        raise InvalidInput(
            "The workflow is not JSON.", [FieldProblem(["--file"], f"{path}: {exc}", "json_invalid")]
        ) from exc
    if not isinstance(body, dict):
        raise InvalidInput(
            "The workflow is not a JSON object.", [FieldProblem(["--file"], "expected an object")]
        )
    return body


def _steps_line(workflow: dict[str, Any]) -> str:
    return " -> ".join(
        str(step.get("name") or step["target"].get("command") or step["target"]["kind"])
        for step in workflow["steps"]
    )


def list_workflows(args: argparse.Namespace) -> int:
    with Client(_endpoint(args)) as client:
        items = client.call("GET", "/workflows")["items"]
    if args.json:
        print(json.dumps(items, indent=2))
        return 0
    for workflow in items:
        print(
            f"{workflow['workflow_id']}  v{workflow['version']}  {workflow['name']}: {_steps_line(workflow)}"
        )
    return 0


def show_workflow(args: argparse.Namespace) -> int:
    with Client(_endpoint(args)) as client:
        workflow = client.call("GET", f"/workflows/{args.workflow_id}")
    print(json.dumps(workflow, indent=2))
    return 0


def create_workflow(args: argparse.Namespace) -> int:
    body = _read(args.file)
    with Client(_endpoint(args)) as client:
        workflow = client.call("POST", "/workflows", json=body)
    print(json.dumps(workflow, indent=2) if args.json else f"workflow {workflow['workflow_id']} created")
    return 0


def _print_run(run: dict[str, Any]) -> None:
    reason = f": {run['error']}" if run.get("error") else ""
    print(f"run {run['job_id']} {run['status']}{reason}")
    for step in run.get("steps", []):
        job = f"  job {step['job_id']}" if step.get("job_id") else ""
        print(f"  {step['index'] + 1}. {step['name']}: {step['status']}{job}")


def run_workflow(args: argparse.Namespace) -> int:
    path = f"/workflows/{args.workflow_id}/runs"
    with Client(_endpoint(args)) as client:
        if args.follow:
            job = submit_and_follow(client, _endpoint(args), path, {}, quiet=args.json)
        else:
            job = client.call("POST", path)
        run = client.call("GET", f"/workflows/runs/{job['job_id']}")
    if args.json:
        print(json.dumps(run, indent=2))
    else:
        _print_run(run)
    return 1 if run["status"] in ("failed", "cancelled") else 0


def list_runs(args: argparse.Namespace) -> int:
    with Client(_endpoint(args)) as client:
        items = client.call("GET", f"/workflows/{args.workflow_id}/runs")["items"]
    if args.json:
        print(json.dumps(items, indent=2))
        return 0
    for run in items:
        _print_run(run)
    return 0
