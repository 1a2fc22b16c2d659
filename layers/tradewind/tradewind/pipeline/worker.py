"""The SQS worker's use case: one batch of a run, counted once, and the aggregation after the last.

A batch (docs/pipeline.md, How it runs):

1. does nothing when its run is final (failed, or done already: a late redelivery), nor when it is
   paused: the message is deleted uncounted (no receive burnt towards the DLQ) and resume sends the
   batches without a marker again (:mod:`tradewind.jobs.pause`);
2. when the run was asked to stop, is counted as skipped without running;
3. else runs (:mod:`batch`) and writes its signals and breadth components under deterministic keys
   (a redelivery overwrites them), then puts its marker (``JOBSHARD#{run}#{batch}``, once) and adds to
   the run's counters in ONE transaction: a redelivered batch is counted once;
4. after counting, the worker that sees every batch counted claims the aggregation (a conditional
   update: one claim at a time, a lease in case it dies) and runs it (:mod:`aggregate`).

A batch that raises is retried by SQS; on its last receive (the queue's ``maxReceiveCount``) the
failure also fails the run, naming the batch's symbols and the reason, before the message moves to
the dead-letter queue.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tradewind.data.table import condition_failed
from tradewind.jobs.events import announce
from tradewind.jobs.failure import describe
from tradewind.jobs.logs import log
from tradewind.jobs.records import failed_conditions, finish, get_record, transact
from tradewind.jobs.spec import FINAL_STATUSES
from tradewind.jobs.views import FAILED, failed_payload
from tradewind.jobs.worker import report
from tradewind.pipeline.config import pipeline_config
from tradewind.pipeline.spec import BatchMessage, PipelineSpec

if TYPE_CHECKING:
    from pynamodb.expressions.update import Action

    from tradewind.data.jobs import JobRecord

LEASE_SECONDS = 300
"""An aggregation claim older than this (the worker's timeout) is taken over by a redelivery."""
ACTIVE = ("queued", "running")
COUNTING = (*ACTIVE, "paused")
"""A batch that was running when its run was paused still counts."""
_SPECS: OrderedDict[str, PipelineSpec] = OrderedDict()
_SPEC_ENTRIES = 16

logger = logging.getLogger(__name__)


def handle(message: BatchMessage, receive_count: int) -> str:
    """Process one message; returns what happened (``skipped``, ``counted``, ``duplicate``...)."""
    record = get_record(message.tenant_id, message.job_id)
    if record is None or record.status in FINAL_STATUSES:
        return "final"
    if record.status == "paused":
        return "paused"
    try:
        outcome = _process(record, message)
        _aggregate_if_complete(record)
    except Exception as exc:
        log(
            record.tenant_id,
            record.job_id,
            "warning",
            f"batch {message.batch} failed (receive {receive_count}): {describe(exc)}",
            batch=message.batch,
            receive=receive_count,
        )
        if receive_count >= pipeline_config().max_receives:
            fail_run(record, message, exc)
        raise
    return outcome


def _process(record: JobRecord, message: BatchMessage) -> str:
    if record.stop_requested:
        counted = count(record, message, symbols=0, signals=0)
        if counted:
            log(
                record.tenant_id,
                record.job_id,
                "info",
                f"batch {message.batch} skipped: stop requested",
                batch=message.batch,
            )
        return "stopped" if counted else "duplicate"
    from tradewind.data.bars import read_bars
    from tradewind.jobs.store import put_intermediate
    from tradewind.jobs.tables import PARQUET_TYPE
    from tradewind.marketdata.parquet import to_parquet_bytes
    from tradewind.pipeline import batch
    from tradewind.pipeline.keys import batch_key

    spec = load_spec(record.tenant_id, record.job_id)
    found, components = batch.run(spec, ((s.symbol, s.key) for s in message.symbols), read_bars)
    for part, frame in (("signals", found), ("breadth", components.reset_index())):
        key = batch_key(record.tenant_id, record.job_id, message.batch, part)
        put_intermediate(key, to_parquet_bytes(frame, columns=None), PARQUET_TYPE)
    counted = count(record, message, symbols=len(message.symbols), signals=len(found))
    if counted:
        log(
            record.tenant_id,
            record.job_id,
            "info",
            f"batch {message.batch} done: {len(message.symbols)} symbols, {len(found)} signals",
            batch=message.batch,
            symbols=len(message.symbols),
            signals=len(found),
        )
        report(record)
    return "counted" if counted else "duplicate"


def load_spec(tenant_id: str, job_id: str) -> PipelineSpec:
    """The run's spec (cached while the Lambda is warm: a spec never changes)."""
    from tradewind.jobs import store
    from tradewind.jobs.artifacts import spec_key

    key = spec_key(tenant_id, job_id)
    cached = _SPECS.get(key)
    if cached is None:
        raw = store.get_bytes(key)
        if raw is None:
            raise RuntimeError(f"run {job_id} has no spec.json")
        cached = _SPECS[key] = PipelineSpec.model_validate_json(raw)
        while len(_SPECS) > _SPEC_ENTRIES:
            _SPECS.popitem(last=False)
    return cached


def count(record: JobRecord, message: BatchMessage, *, symbols: int, signals: int) -> bool:
    """The batch's marker and the run's counters in one transaction; False when already counted (or
    the run went final). ``symbols`` 0: a batch skipped because the run was asked to stop."""
    from pynamodb.exceptions import TransactWriteError
    from pynamodb.transactions import TransactWrite

    from tradewind.data.jobs import JobRecord, ShardMarker

    now = datetime.now(UTC)
    marker = ShardMarker(
        *ShardMarker.key(record.tenant_id, record.job_id, message.batch),
        tenant_id=record.tenant_id,
        job_id=record.job_id,
        shard=message.batch,
        combos=symbols,
        finished_at=now,
    )
    actions: list[Action] = [
        JobRecord.shards_done.add(1),
        JobRecord.combos_done.add(symbols),
        JobRecord.signals_found.add(signals),
        JobRecord.updated_at.set(now),
    ]
    if symbols == 0:
        actions.append(JobRecord.batches_skipped.add(1))

    def fill(transaction: TransactWrite) -> None:
        transaction.save(marker, condition=ShardMarker.pk.does_not_exist())
        transaction.update(record, actions=actions, condition=JobRecord.status.is_in(*COUNTING))

    try:
        transact(fill)
    except TransactWriteError as exc:
        if failed_conditions(exc):
            return False
        raise
    return True


def _aggregate_if_complete(record: JobRecord) -> None:
    """Claim and run the aggregation when every batch is counted (at most one claim at a time)."""
    from tradewind.data.jobs import JobRecord
    from tradewind.pipeline import aggregate

    record.refresh(consistent_read=True)
    total = int(record.shards_total)
    if record.status not in ACTIVE or int(record.shards_done) < total:
        return
    now = time.time()
    try:
        record.update(
            actions=[JobRecord.aggregating_at.set(now)],
            condition=JobRecord.status.is_in(*ACTIVE)
            & (JobRecord.shards_done == total)
            & (JobRecord.aggregating_at.does_not_exist() | (JobRecord.aggregating_at < now - LEASE_SECONDS)),
        )
    except Exception as exc:
        if condition_failed(exc):
            return  # another worker holds the claim, or the run is final
        raise
    try:
        aggregate.aggregate(record)
    except Exception:
        _release(record, now)
        raise


def _release(record: JobRecord, claimed: float) -> None:
    """Give the claim back (so the redelivered message can aggregate at once); best effort."""
    from tradewind.data.jobs import JobRecord

    try:
        record.update(
            actions=[JobRecord.aggregating_at.remove()], condition=JobRecord.aggregating_at == claimed
        )
    except Exception:
        logger.exception("could not release the aggregation claim of run %s", record.job_id)


def fail_run(record: JobRecord, message: BatchMessage, exc: BaseException) -> None:
    """The batch failed for good: the run fails, naming the batch's symbols and the reason."""
    from tradewind.pipeline.events import notify_failed

    symbols = [s.symbol for s in message.symbols]
    listed = ", ".join(symbols[:10]) + (f" and {len(symbols) - 10} more" if len(symbols) > 10 else "")
    reason = f"batch {message.batch} ({listed}) failed after its retries: {describe(exc)}"[:1000]
    now = datetime.now(UTC)
    if finish(record, "failed", ACTIVE, error=reason, finished_at=now, updated_at=now):
        log(record.tenant_id, record.job_id, "error", f"failed: {reason}")
        announce(record.tenant_id, record.job_id, FAILED, failed_payload(record))
        notify_failed(record)
