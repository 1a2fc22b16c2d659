"""Work: run one shard (a Distributed Map child), store its result, count it once, report progress.

Idempotent under retries: the shard object has a deterministic key (a retry overwrites it), and the
shard marker and the job's counters are written in one transaction whose marker put requires that
the marker does not exist, so a shard moves the counters exactly once. Progress messages are
throttled per job with a conditional update on ``progress_published_at`` (at most one per
``PROGRESS_INTERVAL``, always one for the last shard).
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from tradewind.data.table import condition_failed
from tradewind.engine.trades import TradeArrays
from tradewind.errors import TradewindError
from tradewind.jobs.artifacts import shard_key
from tradewind.jobs.errors import JobInputError
from tradewind.jobs.events import announce
from tradewind.jobs.failure import describe
from tradewind.jobs.inputs import Job, Shard, load_job
from tradewind.jobs.logs import log
from tradewind.jobs.records import get_record
from tradewind.jobs.spec import FINAL_STATUSES
from tradewind.jobs.tables import JSON_TYPE, PARQUET_TYPE, exact_json
from tradewind.jobs.views import PROGRESS, progress_payload
from tradewind.marketdata.parquet import to_parquet_bytes

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord

PROGRESS_INTERVAL = 0.5
"""Seconds between two progress messages of one job (about 2 per second)."""
COUNT_ATTEMPTS = 8
"""Tries of the counting transaction when it conflicts with another worker's."""
CONFLICT_BACKOFF = 0.05
"""Seconds: the first retry waits up to this (uniformly random), each further one up to twice as long."""
COUNTING = ("running", "paused")
"""Statuses in which a finished shard is counted (a paused job's running shards finish and count)."""

logger = logging.getLogger(__name__)


def work(event: dict[str, Any]) -> dict[str, Any]:
    """Run the shard in ``event["shard"]`` unless the job is already final (cancelled, failed) or
    paused: a paused job starts no shard, and one skipped here has no marker, so resume runs it."""
    tenant_id, job_id = str(event["tenant_id"]), str(event["job_id"])
    shard = Shard.from_item(event["shard"])
    out: dict[str, Any] = {"job_id": job_id, "shard": shard.shard}
    record = get_record(tenant_id, job_id)
    if record is None or record.status in FINAL_STATUSES or record.status == "paused":
        return {**out, "skipped": True}
    from tradewind.jobs.store import put_intermediate

    try:
        job = load_job(tenant_id, job_id)
        body, ext, content_type = run(job, shard)
        put_intermediate(shard_key(tenant_id, job_id, shard.shard, ext), body, content_type)
    except Exception as exc:
        message = describe(exc)
        note_error(record, f"shard {shard.shard} ({shard.symbol}): {message}")
        log(
            tenant_id,
            job_id,
            "warning",
            f"shard {shard.shard} ({shard.symbol}) failed: {message}",
            shard=shard.shard,
            symbol=shard.symbol,
        )
        if isinstance(exc, TradewindError):
            raise JobInputError(message) from exc
        raise
    counted = count(record, shard)
    if counted:
        log(
            tenant_id,
            job_id,
            "info",
            f"shard {shard.shard} ({shard.symbol}) done",
            shard=shard.shard,
            symbol=shard.symbol,
            runs=shard.combos,
        )
        report(record)
    return {**out, "counted": counted}


def run(job: Job, shard: Shard) -> tuple[bytes, str, str]:
    """The shard's result object: ``(body, extension, content type)``."""
    bars = shard.bars()
    spec = job.spec
    if spec.kind == "backtest":
        from tradewind.engine.api import backtest_one
        from tradewind.engine.portfolio import normalized_weights

        weight = normalized_weights(spec.symbols, spec.weights)[shard.symbol]
        result = backtest_one(bars, job.strategy, spec.params, spec.cash * weight)
        return exact_json(backtest_shard(shard.symbol, result)), "json", JSON_TYPE
    from tradewind.engine.api import sweep_columns

    columns = {name: col[shard.lo : shard.hi] for name, col in job.combinations.items()}
    metrics = sweep_columns(bars, job.strategy, columns, spec.cash, spec.metrics)
    metrics.insert(0, "combination", np.arange(shard.lo, shard.hi, dtype=np.int64))
    return to_parquet_bytes(metrics, columns=None), "parquet", PARQUET_TYPE


def backtest_shard(symbol: str, result: Any) -> dict[str, Any]:
    """One symbol's run as reduce needs it to rebuild the ``BacktestResult`` (times come from the bars)."""
    trades = result.trade_arrays
    return {
        "symbol": symbol,
        "params": result.params,
        "metrics": {
            name: (str(values[0]) if np.issubdtype(values.dtype, np.datetime64) else values[0].item())
            for name, values in result.metric_columns.items()
        },
        "equity": result.equity_values.tolist(),
        "units": result.units.tolist(),
        "trades": {name: getattr(trades, name).tolist() for name in TradeArrays.columns() if name != "combo"},
    }


def note_error(record: JobRecord, message: str) -> None:
    """Keep the failing shard's reason on the running job: a Map that gives up does not carry it."""
    from tradewind.data.jobs import JobRecord

    try:
        record.update(
            actions=[JobRecord.error.set(message[:1000])],
            condition=JobRecord.status == "running",
        )
    except Exception:  # the job went final meanwhile, or DynamoDB failed: the shard's own error wins
        return


def count(record: JobRecord, shard: Shard) -> bool:
    """Put the shard's marker and add to the job's counters, atomically; False if already counted
    (a retry) or the job is no longer running. A shard that was running when its job was paused is
    still counted: pause lets running shards finish and keeps their work.

    Every worker of a job updates the same record, and DynamoDB cancels a transaction that meets
    another one on the same item (``TransactionConflict``, not retried by botocore): that is retried
    here with jittered backoff, so finished work is not thrown away and recomputed."""
    from pynamodb.exceptions import TransactWriteError
    from pynamodb.transactions import TransactWrite

    from tradewind.data.jobs import JobRecord, ShardMarker
    from tradewind.jobs.records import failed_conditions, transact

    now = datetime.now(UTC)
    marker = ShardMarker(
        *ShardMarker.key(record.tenant_id, record.job_id, shard.shard),
        tenant_id=record.tenant_id,
        job_id=record.job_id,
        shard=shard.shard,
        combos=shard.combos,
        finished_at=now,
    )

    def fill(transaction: TransactWrite) -> None:
        transaction.save(marker, condition=ShardMarker.pk.does_not_exist())
        transaction.update(
            record,
            actions=[
                JobRecord.shards_done.add(1),
                JobRecord.combos_done.add(shard.combos),
                JobRecord.updated_at.set(now),
            ],
            condition=JobRecord.status.is_in(*COUNTING),
        )

    try:
        transact(fill, attempts=COUNT_ATTEMPTS, backoff=CONFLICT_BACKOFF)
    except TransactWriteError as exc:
        if failed_conditions(exc):
            return False  # the marker exists (an earlier attempt counted) or the job is not running
        raise
    return True


def report(record: JobRecord) -> None:
    """Publish progress if none went out in the last ``PROGRESS_INTERVAL`` seconds, or if this was
    the last shard; the conditional update elects one publisher among concurrent workers. Best effort:
    the shard is counted already, so nothing here may fail it (a retry would redo its work)."""

    from pynamodb.transactions import TransactWrite

    from tradewind.data.jobs import JobRecord
    from tradewind.jobs.records import failed_conditions, transact
    from tradewind.jobs.timeline import add_sample

    try:
        record.refresh(consistent_read=True)
        last = int(record.shards_done) >= int(record.shards_total)
        now = time.time()
        condition = JobRecord.status.is_in(*COUNTING)
        if not last:
            condition &= JobRecord.progress_published_at <= now - PROGRESS_INTERVAL

        def fill(transaction: TransactWrite) -> None:
            # The winner of the throttle also takes the progress sample when one is due
            # (jobs.timeline): one transaction, no extra round trip.
            sampled = add_sample(transaction, record, last)
            actions = [JobRecord.progress_published_at.set(now), *sampled]
            transaction.update(record, actions=actions, condition=condition)

        transact(fill, attempts=2)
    except Exception as exc:
        # A failed condition: one went out recently (or the job is no longer running), nothing to do.
        if not (condition_failed(exc) or _failed_condition(exc, failed_conditions)):
            logger.exception("could not report the progress of job %s", record.job_id)
        return
    announce(record.tenant_id, record.job_id, PROGRESS, progress_payload(record))


def _failed_condition(exc: Exception, failed_conditions: Any) -> bool:
    from pynamodb.exceptions import TransactWriteError

    return isinstance(exc, TransactWriteError) and bool(failed_conditions(exc))
