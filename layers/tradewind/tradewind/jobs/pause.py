"""Pause and resume an optimization or a pipeline run (docs/jobs.md, Pause and resume).

A paused job starts no new shard (pipeline: batch), lets the running ones finish and count, and keeps
everything counted. Resume runs exactly what is left: the shards without a marker
(``JOBSHARD#{id}#{n}``, put once per counted shard), so nothing is lost or counted twice.

- **pause**: ``running`` -> ``paused`` (one conditional write; 409 naming the status otherwise).
  Optimization workers that meet a paused job skip their shard without counting it; reduce ends the
  execution (the workflow's Choice goes to ``Paused``). Pipeline workers delete a paused run's
  messages without counting them (no receive is burnt towards the DLQ).
- **resume**: ``paused`` -> ``running`` and ``resumes`` + 1 (one conditional write), then an
  optimization gets a new execution named ``{job_id}-r{resumes}`` whose plan lists only the shards
  without a marker; a pipeline run gets one message per batch without a marker (or, when every batch
  counted while it was paused, its last batch again: a counted batch only triggers the aggregation).
  If that start fails, the job is set back to ``paused`` and the request fails (500).

A paused job keeps its running slot (:mod:`tradewind.jobs.caps`): resume never meets a 429; cancel
(or delete) a paused job to free its slot. Issue #13 (resume after a restart) reuses
:func:`restart`: the same "what is left" for a job whose execution is gone.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tradewind import aws
from tradewind.data.table import condition_failed
from tradewind.errors import Conflict, FieldProblem, NotFound
from tradewind.jobs.events import announce
from tradewind.jobs.lifecycle import execution_name, get_job
from tradewind.jobs.timeline import append_action, entry
from tradewind.jobs.views import PAUSED, RESUMED, progress_payload
from tradewind.settings import get_settings

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord
    from tradewind.pipeline.spec import BatchMessage

PAUSABLE_KINDS = ("optimization", "pipeline")
LOC: list[str | int] = ["path", "job_id"]


def pause(tenant_id: str, job_id: str, kind: str | None = None) -> JobRecord:
    """Pause the tenant's running job (404 when it has none with this id, of ``kind`` when given;
    409 naming the status unless it is ``running``)."""
    from tradewind.data.jobs import JobRecord

    record = _pausable(_job(tenant_id, job_id, kind))
    now = datetime.now(UTC)
    condition = JobRecord.status == "running"
    if record.kind == "pipeline":  # once a run aggregates, its results are being written: let it end
        condition &= JobRecord.aggregating_at.does_not_exist()
        condition &= JobRecord.stop_requested.does_not_exist() | (JobRecord.stop_requested == False)  # noqa: E712
    try:
        record.update(
            actions=[
                JobRecord.status.set("paused"),
                JobRecord.paused_at.set(now),
                JobRecord.updated_at.set(now),
                append_action(entry("paused", "paused", now)),
            ],
            condition=condition,
        )
    except Exception as exc:
        if not condition_failed(exc):
            raise
        record.refresh(consistent_read=True)
        raise _refused(record, "paused", "only a running job can be paused") from None
    announce(tenant_id, job_id, PAUSED, progress_payload(record))
    return record


def resume(tenant_id: str, job_id: str, kind: str | None = None) -> JobRecord:
    """Resume the tenant's paused job over what is left (404 as :func:`pause`; 409 naming the status
    unless it is ``paused``)."""
    record = _pausable(_job(tenant_id, job_id, kind))
    if record.status != "paused":
        raise _refused(record, "resumed", "only a paused job can be resumed")
    messages = _pipeline_messages(record) if record.kind == "pipeline" else None
    _mark_resumed(record)
    restart(record, messages)
    announce(tenant_id, job_id, RESUMED, progress_payload(record))
    return record


def restart(record: JobRecord, messages: list[BatchMessage] | None = None) -> None:
    """Start what is left of a ``running`` job whose ``resumes`` was just moved on: a new execution
    (optimization) or the batches without a marker (pipeline run). On failure the job goes back to
    ``paused`` (so the user can resume it again) and the error is raised."""
    try:
        if record.kind == "pipeline":
            from tradewind.pipeline.submit import send

            send(messages if messages is not None else _pipeline_messages(record))
        else:
            resumes = int(record.resumes or 0)
            aws.client("stepfunctions").start_execution(
                stateMachineArn=get_settings().job_state_machine_arn,
                name=execution_name(record.job_id, resumes),
                input=json.dumps(
                    {"tenant_id": record.tenant_id, "job_id": record.job_id, "resumes": resumes}
                ),
            )
    except Exception:
        _back_to_paused(record)
        raise


def _job(tenant_id: str, job_id: str, kind: str | None) -> JobRecord:
    """The tenant's job (of ``kind`` when given: the per-kind routes); 404 otherwise."""
    if kind is not None:
        return get_job(tenant_id, job_id, kind, LOC)
    from tradewind.jobs.records import get_record

    record = get_record(tenant_id, job_id)
    if record is None:
        raise NotFound(f"job {job_id!r} not found", [FieldProblem(LOC, "no such job", "not_found")])
    return record


def _pausable(record: JobRecord) -> JobRecord:
    if record.kind not in PAUSABLE_KINDS:
        msg = f"a {record.kind} cannot be paused; optimizations and pipeline runs can"
        raise Conflict(
            f"{record.kind} {record.job_id!r} cannot be paused", [FieldProblem(LOC, msg, "not_pausable")]
        )
    return record


def _refused(record: JobRecord, verb: str, rule: str) -> Conflict:
    """409 naming the job's status (and why a running pipeline run may not pause)."""
    if record.status == "running" and record.aggregating_at is not None:
        msg = "the run is writing its results; it cannot be paused any more"
    elif record.status == "running" and record.stop_requested:
        msg = "the run is stopping; it cannot be paused"
    else:
        msg = f"the job is {record.status}; {rule}"
    return Conflict(
        f"{record.kind} {record.job_id!r} is {record.status}: it cannot be {verb}",
        [FieldProblem(LOC, msg, f"not_{'running' if verb == 'paused' else 'paused'}")],
    )


def _mark_resumed(record: JobRecord) -> None:
    """``paused`` -> ``running``, ``resumes`` + 1 (``record`` then holds the new values); 409 when the
    job left ``paused`` meanwhile (resumed or cancelled by another request)."""
    from tradewind.data.jobs import JobRecord

    now = datetime.now(UTC)
    try:
        record.update(
            actions=[
                JobRecord.status.set("running"),
                JobRecord.resumes.add(1),
                JobRecord.paused_at.remove(),
                JobRecord.updated_at.set(now),
                append_action(entry("running", "resumed over the shards left", now)),
            ],
            condition=JobRecord.status == "paused",
        )
    except Exception as exc:
        if not condition_failed(exc):
            raise
        record.refresh(consistent_read=True)
        raise _refused(record, "resumed", "only a paused job can be resumed") from None


def _back_to_paused(record: JobRecord) -> None:
    """Undo a resume whose start failed (only while nothing else changed the job)."""
    from tradewind.data.jobs import JobRecord

    now = datetime.now(UTC)
    try:
        record.update(
            actions=[
                JobRecord.status.set("paused"),
                JobRecord.paused_at.set(now),
                JobRecord.updated_at.set(now),
            ],
            condition=(JobRecord.status == "running") & (JobRecord.resumes == int(record.resumes or 0)),
        )
    except Exception as exc:
        if not condition_failed(exc):
            raise


def counted_shards(tenant_id: str, job_id: str) -> set[int]:
    """The numbers of the job's shards (batches) that have a marker: counted, never to run again."""
    from tradewind.data.jobs import ShardMarker

    pk, prefix = ShardMarker.key(tenant_id, job_id)
    return {int(m.shard) for m in ShardMarker.query(pk, ShardMarker.sk.startswith(prefix))}


def _pipeline_messages(record: JobRecord) -> list[BatchMessage]:
    """The run's batches without a marker, as submit cut them (the spec's symbols in order,
    ``batch_size`` each); when none is left, the last batch again: counted already, it only makes
    the worker check whether the run is complete and aggregate it. 409 when a symbol of a batch to
    run is no longer in the dataset (the run stays paused; cancel it)."""
    from tradewind.jobs import store
    from tradewind.jobs.artifacts import spec_key
    from tradewind.pipeline.resolve import listed_rows
    from tradewind.pipeline.spec import BatchMessage, BatchSymbol, PipelineSpec

    raw = store.get_bytes(spec_key(record.tenant_id, record.job_id))
    if raw is None:
        raise RuntimeError(f"run {record.job_id} has no spec.json")
    spec = PipelineSpec.model_validate_json(raw)
    size = spec.batch_size
    groups = [spec.symbols[start : start + size] for start in range(0, len(spec.symbols), size)]
    done = counted_shards(record.tenant_id, record.job_id)
    left = [n for n in range(len(groups)) if n not in done] or [len(groups) - 1]
    wanted = [symbol for n in left for symbol in groups[n]]
    rows, problems = listed_rows(record.tenant_id, spec.dataset_id, wanted, [[*LOC] for _ in wanted])
    if problems:
        missing = ", ".join(p.msg for p in problems[:5])
        raise Conflict(
            f"run {record.job_id!r} cannot be resumed: {missing}",
            [FieldProblem(LOC, f"the run's data changed: {missing}", "data_changed")],
        )
    keys = {row.symbol: row.object_key for row in rows}
    return [
        BatchMessage(
            tenant_id=record.tenant_id,
            job_id=record.job_id,
            batch=n,
            symbols=[BatchSymbol(symbol=s, key=keys[s]) for s in groups[n]],
        )
        for n in left
    ]
