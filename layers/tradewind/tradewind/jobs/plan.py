"""Plan: the workflow's first step. Expand the space, cut it into shards, write the manifest, start.

A shard is one symbol x one slice ``[lo, hi)`` of at most ``settings.shard_combinations``
combinations x one walk-forward window's train bars (or the whole period); a backtest has one shard
per symbol that carries weight. The manifest is a JSON array of small items that the Distributed
Map's ItemReader reads from S3; each item is everything a worker needs besides the cached spec.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tradewind.data.table import condition_failed
from tradewind.errors import TradewindError
from tradewind.jobs.artifacts import manifest_key, remaining_key
from tradewind.jobs.errors import JobInputError
from tradewind.jobs.events import announce
from tradewind.jobs.failure import describe
from tradewind.jobs.inputs import (
    Job,
    Shard,
    iso,
    load_job,
    object_keys,
    period,
    timeline,
    windows,
)
from tradewind.jobs.logs import log
from tradewind.jobs.records import get_record
from tradewind.jobs.spec import FINAL_STATUSES
from tradewind.jobs.tables import JSON_TYPE, strict_json
from tradewind.jobs.timeline import append_action, entry
from tradewind.jobs.views import PROGRESS, progress_payload
from tradewind.metrics.catalog import SCREENING, rankable
from tradewind.settings import get_settings

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord


def plan(event: dict[str, Any]) -> dict[str, Any]:
    """Write ``manifest.json`` and set the job ``running`` with its totals (unless it is final).

    An execution started by a resume (``resumes`` > 0 in its input, :mod:`tradewind.jobs.pause`)
    plans only what is left: :func:`plan_resume`. ``resumes`` is passed on to reduce and MarkFailed,
    which do nothing for an execution that a later resume superseded.
    """
    from pynamodb.exceptions import UpdateError

    from tradewind.data.jobs import JobRecord
    from tradewind.jobs.store import put_intermediate

    tenant_id, job_id = str(event["tenant_id"]), str(event["job_id"])
    resumes = int(event.get("resumes") or 0)
    record = get_record(tenant_id, job_id)
    if record is None:
        raise JobInputError(f"job {job_id} does not exist")
    # A resumed job's plan lists what is left; a job still ``queued`` (its first execution was lost
    # before it planned: jobs.recovery) is planned whole, as the first plan would have.
    left_only = bool(resumes) and record.status != "queued"
    key = remaining_key(tenant_id, job_id, resumes) if left_only else manifest_key(tenant_id, job_id)
    out = {"tenant_id": tenant_id, "job_id": job_id, "manifest_key": key, "resumes": resumes}
    stale = int(record.resumes or 0) != resumes  # a later resume owns the job now
    if record.status in FINAL_STATUSES or stale:  # cancelled before it started: an empty Map, a no-op reduce
        if resumes or stale:  # never overwrite the manifest the job's current execution reads
            key = remaining_key(tenant_id, job_id, resumes)
        put_intermediate(key, b"[]", JSON_TYPE)
        return {**out, "manifest_key": key, "shards": 0, "combinations": 0}
    if left_only:
        return {**out, **plan_resume(record, key)}
    try:
        job = load_job(tenant_id, job_id)
        shards = make_shards(job)
    except TradewindError as exc:
        raise JobInputError(describe(exc)) from exc
    put_intermediate(key, strict_json([shard.as_item() for shard in shards]), JSON_TYPE)
    combos = sum(shard.combos for shard in shards)
    now = datetime.now(UTC)
    try:
        record.update(
            actions=[
                JobRecord.status.set("running"),
                JobRecord.shards_total.set(len(shards)),
                JobRecord.combos_total.set(combos),
                JobRecord.shards_done.set(0),
                JobRecord.combos_done.set(0),
                JobRecord.started_at.set(now),
                JobRecord.updated_at.set(now),
                append_action(entry("running", f"planned {len(shards)} shards, {combos} runs", now)),
            ],
            condition=JobRecord.status.is_in("queued", "running"),
        )
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        return {**out, "shards": len(shards), "combinations": job.n_combinations}  # workers will skip
    log(
        tenant_id,
        job_id,
        "info",
        f"planned {len(shards)} shards, {combos} runs",
        shards=len(shards),
        runs=combos,
        combinations=job.n_combinations,
    )
    announce(tenant_id, job_id, PROGRESS, progress_payload(record, now))
    return {**out, "shards": len(shards), "combinations": job.n_combinations}


def plan_resume(record: JobRecord, key: str) -> dict[str, Any]:
    """A resumed job's plan: the shards of its manifest that have no marker yet, written to ``key``.

    The counters and totals stay as they are (every counted shard stays counted); the full
    ``manifest.json`` stays what reduce merges. The manifest the first plan wrote is read back rather
    than cut again, so a changed shard size setting cannot change what the shards are. A shard that
    was running when the job was paused and counts after this plan runs again in the new execution,
    finds its marker and is not counted twice.
    """
    from tradewind.jobs.pause import counted_shards
    from tradewind.jobs.store import get_json, put_intermediate

    tenant_id, job_id = record.tenant_id, record.job_id
    items = get_json(manifest_key(tenant_id, job_id))
    if items is None:  # the first plan's manifest is gone (expired): cut the same shards again
        try:
            items = [shard.as_item() for shard in make_shards(load_job(tenant_id, job_id))]
        except TradewindError as exc:
            raise JobInputError(describe(exc)) from exc
        put_intermediate(manifest_key(tenant_id, job_id), strict_json(items), JSON_TYPE)
    counted = counted_shards(tenant_id, job_id)
    left = [item for item in items if int(item["shard"]) not in counted]
    put_intermediate(key, strict_json(left), JSON_TYPE)
    announce(tenant_id, job_id, PROGRESS, progress_payload(record))
    return {"shards": len(left), "combinations": sum(int(item["hi"]) - int(item["lo"]) for item in left)}


def make_shards(job: Job) -> list[Shard]:
    """Every shard of the job, numbered from 0; raises ``JobInputError`` for work that cannot run."""
    spec = job.spec
    keys = object_keys(job.tenant_id, spec)
    first, last = period(spec)
    whole = (None if first is None else iso(first), None if last is None else iso(last))
    if spec.kind == "backtest":
        from tradewind.engine.api import single_params
        from tradewind.strategy.weights import normalized_weights

        single_params(job.strategy, spec.params)  # bad parameters fail the job before any shard runs
        weights = normalized_weights(spec.symbols, spec.weights)
        symbols = [symbol for symbol in spec.symbols if weights[symbol] > 0]
        return [Shard(n, s, keys[s], 0, 1, *whole) for n, s in enumerate(symbols)]
    check_objective(spec.objective.metric, spec.metrics)
    size = job.n_combinations
    spans: list[tuple[int | None, str | None, str | None]] = [(None, *whole)]
    if spec.walk_forward is not None:
        found = windows(timeline(spec, keys), spec.walk_forward)
        spans = [(w.number, iso(w.train_first), iso(w.train_last)) for w in found]
    settings = get_settings()
    total = size * len(spec.symbols) * len(spans)
    if total > settings.max_sweep_combinations:
        raise JobInputError(
            f"{total} combinations x symbols x windows exceed the limit of {settings.max_sweep_combinations}"
        )
    step = max(1, settings.shard_combinations)
    shards: list[Shard] = []
    for window, lo_time, hi_time in spans:
        for symbol in spec.symbols:
            for lo in range(0, size, step):
                hi = min(size, lo + step)
                shards.append(Shard(len(shards), symbol, keys[symbol], lo, hi, lo_time, hi_time, window))
    return shards


def check_objective(metric: str, level: str) -> None:
    """The objective must be a number the sweep computes at its metrics level."""
    known = SCREENING if level == "screening" else tuple(rankable())
    if metric not in known:
        raise JobInputError(
            f"objective metric '{metric}' is not one of the {level} metrics: {', '.join(known)}"
        )
