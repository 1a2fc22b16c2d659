"""Plan: the workflow's first step. Expand the space, cut it into shards, write the manifest, start.

A shard is one symbol x one slice ``[lo, hi)`` of at most ``settings.shard_combinations``
combinations x one walk-forward window's train bars (or the whole period); a backtest has one shard
per symbol that carries weight. The manifest is a JSON array of small items that the Distributed
Map's ItemReader reads from S3; each item is everything a worker needs besides the cached spec.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tradewind.data.table import condition_failed
from tradewind.errors import TradewindError
from tradewind.jobs.artifacts import manifest_key
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


def plan(event: dict[str, Any]) -> dict[str, Any]:
    """Write ``manifest.json`` and set the job ``running`` with its totals (unless it is final)."""
    from pynamodb.exceptions import UpdateError

    from tradewind.data.jobs import JobRecord
    from tradewind.jobs.store import put_intermediate

    tenant_id, job_id = str(event["tenant_id"]), str(event["job_id"])
    record = get_record(tenant_id, job_id)
    if record is None:
        raise JobInputError(f"job {job_id} does not exist")
    key = manifest_key(tenant_id, job_id)
    out = {"tenant_id": tenant_id, "job_id": job_id, "manifest_key": key}
    if record.status in FINAL_STATUSES:  # cancelled before it started: an empty Map, a no-op reduce
        put_intermediate(key, b"[]", JSON_TYPE)
        return {**out, "shards": 0, "combinations": 0}
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
