"""A command run is a job of kind ``command`` (docs/commands.md).

:func:`start` (the API, and a schedule's fire) validates the parameters against the command's model
(every problem located at ``["body", "params", ...]``) and its submit-time check, then, as for any
job, checks the tenant's caps, writes ``spec.json`` (``{"command", "params"}``), creates the
``queued`` record taking a running slot, and sends one message to the commands queue. The command
runner Lambda (:func:`execute`, behind ``functions/command_runner``) moves the job to ``running``,
calls the command with a :class:`~tradewind.commands.Context` that writes ``job.log`` lines, and
finishes it ``succeeded`` with the command's result as the summary, or ``failed`` with the reason.

A message delivered twice runs the command once: only a ``queued`` job is started; a job found
``running`` on a redelivery (the runner died mid-run) is failed, not run again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from tradewind.commands import Cancelled, Command, Context, catalogue
from tradewind.errors import FieldProblem, InvalidInput, NotFound, TradewindError

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord

KIND = "command"
logger = logging.getLogger(__name__)


def queue_url() -> str:
    return os.environ.get("TW_COMMAND_QUEUE_URL", "")


def command(name: str, loc: list[str | int] | None = None) -> Command:
    found = catalogue().get(name)
    if found is None:
        where = loc or ["path", "name"]
        raise NotFound(f"command {name!r} not found", [FieldProblem(where, "no such command", "not_found")])
    return found


def validate(
    name: str, params: dict[str, Any], loc: list[str | int] | None = None
) -> tuple[Command, BaseModel]:
    """The command and its parameters, or 404/422 naming the field (``loc`` + the parameter's path)."""
    base: list[str | int] = list(loc or ["body", "params"])
    chosen = command(name, None if loc is None else [*base[:-1], "command"])
    try:
        model = chosen.params.model_validate(params)
    except ValidationError as exc:
        problems = [
            FieldProblem([*base, *error["loc"]], error["msg"], error["type"]) for error in exc.errors()
        ]
        raise InvalidInput(f"the parameters of {name} are invalid", problems) from None
    return chosen, model


def check(tenant_id: str, name: str, params: dict[str, Any], loc: list[str | int] | None = None) -> BaseModel:
    """Everything :func:`start` checks, writing nothing: the validated parameters."""
    chosen, model = validate(name, params, loc)
    if chosen.check is not None:
        if loc is None:
            chosen.check(tenant_id, model)
        else:
            try:
                chosen.check(tenant_id, model)
            except TradewindError as exc:
                exc.problems = [
                    FieldProblem([*loc, *p.loc[2:]], p.msg, p.type) if p.loc[:2] == ["body", "params"] else p
                    for p in exc.problems
                ]
                raise
    return model


def start(
    tenant_id: str,
    name: str,
    params: dict[str, Any],
    *,
    run_name: str | None = None,
    idempotency_key: str | None = None,
) -> JobRecord:
    """Check, record and queue a run; 404/422 naming the field, 429 at a cap (nothing written). With
    an ``idempotency_key``, a second start answers the first one's run (``jobs.submit.submit_once``)."""
    from tradewind.jobs import caps
    from tradewind.jobs.submit import request_hash, submit_once

    def prepare() -> BaseModel:
        model = check(tenant_id, name, params)
        caps.check(tenant_id)
        return model

    def create(job_id: str, model: BaseModel) -> JobRecord:
        return _queue(tenant_id, job_id, name, model, run_name)

    fingerprint = request_hash(KIND, {"command": name, "params": params, "name": run_name})
    return submit_once(tenant_id, idempotency_key, fingerprint, prepare, create)


def _queue(tenant_id: str, job_id: str, name: str, model: BaseModel, run_name: str | None) -> JobRecord:
    from tradewind import aws
    from tradewind.jobs import caps, store
    from tradewind.jobs.artifacts import spec_key
    from tradewind.jobs.logs import log
    from tradewind.jobs.records import finish
    from tradewind.jobs.submit import save_new_job

    clean = model.model_dump(mode="json")
    record = _new_record(tenant_id, job_id, name, run_name, clean)
    body = json.dumps({"command": name, "params": clean}).encode()
    save_new_job(
        record,
        lambda: store.put_bytes(spec_key(tenant_id, job_id), body, "application/json"),
        caps.create_running,
    )
    try:
        aws.client("sqs").send_message(
            QueueUrl=queue_url(), MessageBody=json.dumps({"tenant_id": tenant_id, "job_id": job_id})
        )
    except Exception as exc:
        now = datetime.now(UTC)
        reason = f"the run could not be queued: {type(exc).__name__}: {exc}"[:1000]
        finish(record, "failed", ("queued",), error=reason, finished_at=now, updated_at=now)
        raise
    log(tenant_id, job_id, "info", f"queued {name}", command=name, params=clean)
    return record


def _new_record(
    tenant_id: str, job_id: str, name: str, run_name: str | None, params: dict[str, Any]
) -> JobRecord:
    from tradewind.data.jobs import JobRecord

    now = datetime.now(UTC)
    gsi1pk, gsi1sk = JobRecord.kind_index_key(tenant_id, KIND, job_id)
    text = json.dumps({"command": name, "params": params}, sort_keys=True)
    return JobRecord(
        *JobRecord.key(tenant_id, job_id),
        gsi1pk=gsi1pk,
        gsi1sk=gsi1sk,
        tenant_id=tenant_id,
        job_id=job_id,
        kind=KIND,
        status="queued",
        name=run_name or name,
        strategy_name=name,  # the command's name: what the jobs list shows and filters by
        dataset_id="",
        symbols=[],
        request_hash=hashlib.sha256(text.encode()).hexdigest(),
        shards_total=1,
        combos_total=1,
        created_at=now,
        updated_at=now,
    )


def execute(tenant_id: str, job_id: str, receive_count: int = 1) -> str:
    """Run a queued run's command (the runner Lambda); the job's final status, or what was skipped."""
    from tradewind.data.jobs import JobRecord
    from tradewind.jobs import store
    from tradewind.jobs.artifacts import spec_key
    from tradewind.jobs.events import announce
    from tradewind.jobs.records import finish, get_record
    from tradewind.jobs.spec import FINAL_STATUSES
    from tradewind.jobs.timeline import append_action, entry
    from tradewind.jobs.views import PROGRESS, job_message, progress_payload

    ctx = Context(tenant_id, job_id)
    record = get_record(tenant_id, job_id)
    if record is None or record.kind != KIND or record.status in FINAL_STATUSES:
        return "skipped"
    now = datetime.now(UTC)
    if record.status == "running":
        reason = "the command runner stopped during the run; it was not run again"
        if finish(record, "failed", ("running",), error=reason, finished_at=now, updated_at=now):
            ctx.log("error", reason, receive_count=receive_count)
            announce(tenant_id, job_id, *job_message(record))
        return "failed"
    try:
        record.update(
            actions=[
                JobRecord.status.set("running"),
                JobRecord.started_at.set(now),
                JobRecord.updated_at.set(now),
                append_action(entry("running", "the command runner took it", now)),
            ],
            condition=JobRecord.status == "queued",
        )
    except Exception as exc:
        if "ConditionalCheckFailed" in repr(exc):
            return "skipped"  # another delivery took it, or it was cancelled
        raise
    announce(tenant_id, job_id, PROGRESS, progress_payload(record))
    spec = store.get_json(spec_key(tenant_id, job_id)) or {}
    name = str(spec.get("command", record.strategy_name or ""))
    ctx.log("info", f"running {name}")
    status = "succeeded"
    summary: dict[str, Any] = {}
    values: dict[str, Any] = {}
    try:
        chosen, model = validate(name, dict(spec.get("params") or {}))
        summary = chosen.run(ctx, model)
        values = {"summary": summary, "shards_done": 1, "combos_done": 1}
    except Cancelled as exc:
        ctx.log("warning", f"stopped: {exc}")
        return "cancelled"
    except Exception as exc:
        status = "failed"
        reason = str(exc) if isinstance(exc, TradewindError) else f"{type(exc).__name__}: {exc}"
        values = {"error": reason[:1000]}
        logger.exception("command %s of job %s failed", name, job_id)
    done = datetime.now(UTC)
    if finish(record, status, ("running",), finished_at=done, updated_at=done, **values):
        if status == "succeeded":
            ctx.log("info", "done", **{k: v for k, v in summary.items() if _small(v)})
        else:
            ctx.log("error", f"failed: {values['error']}")
        announce(tenant_id, job_id, *job_message(record))
    return record.status


def _small(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None
