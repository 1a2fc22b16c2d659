"""``POST /pipeline/runs``: check the request, record the run, write its spec, queue its batches.

Everything is checked first (:mod:`resolve`; 4xx naming the field, nothing written). Then, as for any
job (docs/jobs.md, Submission): the tenant's caps, ``spec.json``, the record (taking a running slot
in the caps' transaction), and one SQS message per batch of symbols. A run has no planning step: it
is ``running`` from the moment it is recorded. If its batches cannot all be queued, the run is
marked ``failed`` with the reason (batches already queued find it final and do nothing) and the
request answers 500.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tradewind import aws
from tradewind.jobs import caps, store
from tradewind.jobs.artifacts import spec_key
from tradewind.jobs.events import announce
from tradewind.jobs.logs import log
from tradewind.jobs.records import finish
from tradewind.jobs.submit import request_hash, save_new_job, submit_once
from tradewind.jobs.timeline import entry
from tradewind.jobs.views import PROGRESS, progress_payload
from tradewind.pipeline import resolve
from tradewind.pipeline.config import pipeline_config
from tradewind.pipeline.spec import BatchMessage, BatchSymbol, PipelineRunRequest, PipelineSpec

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord
    from tradewind.data.marketdata import SymbolRecord

SQS_BATCH = 10  # messages per SendMessageBatch


def resolve_run(tenant_id: str, request: PipelineRunRequest) -> tuple[PipelineSpec, str, list[SymbolRecord]]:
    """The run's spec, its strategy's name and the symbol rows, or every bad field (404/409/422)."""
    chosen = resolve.strategy(tenant_id, request)
    universe = resolve.universe(tenant_id, request)
    spec = PipelineSpec(
        strategy=chosen.strategy,
        strategy_id=chosen.strategy_id,
        strategy_version=chosen.strategy_version,
        template=chosen.template,
        params=dict(request.params),
        dataset_id=universe.dataset_id,
        universe=universe.key,
        mode=request.mode,
        timeframe=request.timeframe,
        start=request.start,
        end=request.end,
        symbols=[row.symbol for row in universe.rows],
        batch_size=pipeline_config().batch_symbols,
    )
    return spec, chosen.name, universe.rows


def batches(tenant_id: str, job_id: str, spec: PipelineSpec, rows: list[SymbolRecord]) -> list[BatchMessage]:
    """The run's messages: ``spec.batch_size`` symbols each, in the universe's order."""
    size = spec.batch_size
    return [
        BatchMessage(
            tenant_id=tenant_id,
            job_id=job_id,
            batch=number,
            symbols=[BatchSymbol(symbol=r.symbol, key=r.object_key) for r in rows[start : start + size]],
        )
        for number, start in enumerate(range(0, len(rows), size))
    ]


def submit_run(tenant_id: str, request: PipelineRunRequest, idempotency_key: str | None = None) -> JobRecord:
    """Record the run and queue its batches; 429 at a cap (nothing written). With an
    ``idempotency_key``, a second submission answers the first one's run (``jobs.submit.submit_once``)."""
    fingerprint = request_hash("pipeline", request.model_dump(mode="json"))

    def prepare() -> tuple[PipelineSpec, str, list[SymbolRecord]]:
        resolved = resolve_run(tenant_id, request)
        caps.check(tenant_id)
        return resolved

    def create(job_id: str, resolved: tuple[PipelineSpec, str, list[SymbolRecord]]) -> JobRecord:
        return _start(tenant_id, job_id, request, *resolved)

    return submit_once(tenant_id, idempotency_key, fingerprint, prepare, create)


def _start(
    tenant_id: str,
    job_id: str,
    request: PipelineRunRequest,
    spec: PipelineSpec,
    strategy_name: str,
    rows: list[SymbolRecord],
) -> JobRecord:
    messages = batches(tenant_id, job_id, spec, rows)
    record = new_record(tenant_id, job_id, spec, strategy_name, request.name, len(messages))
    body = spec.model_dump_json().encode()
    save_new_job(
        record,
        lambda: store.put_bytes(spec_key(tenant_id, job_id), body, "application/json"),
        caps.create_running,
    )
    try:
        send(messages)
    except Exception as exc:
        now = datetime.now(UTC)
        reason = f"the batches could not be queued: {type(exc).__name__}: {exc}"[:1000]
        finish(record, "failed", ("running",), error=reason, finished_at=now, updated_at=now)
        raise
    log(
        tenant_id,
        job_id,
        "info",
        f"queued {len(messages)} batches of {len(spec.symbols)} symbols",
        batches=len(messages),
        symbols=len(spec.symbols),
    )
    announce(tenant_id, job_id, PROGRESS, progress_payload(record))
    return record


def new_record(
    tenant_id: str, job_id: str, spec: PipelineSpec, strategy_name: str, name: str | None, batch_count: int
) -> JobRecord:
    from tradewind.data.jobs import JobRecord

    now = datetime.now(UTC)
    gsi1pk, gsi1sk = JobRecord.kind_index_key(tenant_id, "pipeline", job_id)
    return JobRecord(
        *JobRecord.key(tenant_id, job_id),
        gsi1pk=gsi1pk,
        gsi1sk=gsi1sk,
        tenant_id=tenant_id,
        job_id=job_id,
        kind="pipeline",
        status="running",
        name=name,
        strategy_id=spec.strategy_id,
        strategy_version=spec.strategy_version,
        strategy_name=strategy_name,
        dataset_id=spec.dataset_id,
        symbols=list(spec.symbols),
        request_hash=spec.content_hash(),
        shards_total=batch_count,
        combos_total=len(spec.symbols),
        signals_found=0,
        batches_skipped=0,
        mode=spec.mode,
        timeframe=spec.timeframe,
        universe=spec.universe,
        created_at=now,
        started_at=now,
        updated_at=now,
        timeline=[entry("running", f"queued {batch_count} batches of {len(spec.symbols)} symbols", now)],
    )


def send(messages: list[BatchMessage]) -> None:
    """One SQS message per batch (ten per call); raises when any is refused."""
    sqs, url = aws.client("sqs"), pipeline_config().queue_url
    for start in range(0, len(messages), SQS_BATCH):
        chunk = messages[start : start + SQS_BATCH]
        entries = [{"Id": str(i), "MessageBody": json.dumps(m.model_dump())} for i, m in enumerate(chunk)]
        answer = sqs.send_message_batch(QueueUrl=url, Entries=entries)
        if answer.get("Failed"):
            failed = answer["Failed"][0]
            raise RuntimeError(f"SQS refused a batch: {failed.get('Code')}: {failed.get('Message')}")
