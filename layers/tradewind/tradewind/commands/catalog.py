"""The commands themselves (docs/commands.md): each a parameter model and a function of a
:class:`~tradewind.commands.Context`. Parameters never name a tenant: the run's job carries it.

Every function is bounded (a page limit, a message cap) and writes a log line at each step.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tradewind.commands import Command, Context
from tradewind.commands.data import (
    RecomputeBreadth,
    ReimportDataset,
    check_breadth,
    check_reimport,
    recompute_breadth,
    reimport_dataset,
)
from tradewind.errors import FieldProblem, InvalidInput
from tradewind.marketdata.universe import SYMBOL_PATTERN

JOB_ID = r"^[A-Za-z0-9_-]{1,64}$"
PRUNE_LIMIT = 1000  # jobs deleted by one run of prune-jobs
REDRIVE_LIMIT = 1000


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- refresh-sample -----------------------------------------------------------------------------


class RefreshSample(_Params):
    force: bool = Field(
        default=False,
        description="delete the sample dataset and generate it again even when it is ready",
    )


def refresh_sample(ctx: Context, params: RefreshSample) -> dict[str, Any]:
    from tradewind.marketdata.universe import SAMPLE_DATASET_ID
    from tradewind.services import datasets, imports, sample

    existing = imports.load(ctx.tenant_id, SAMPLE_DATASET_ID)
    if existing is not None and params.force and existing.status in ("ready", "failed"):
        ctx.log("info", "deleting the sample dataset", status=existing.status)
        datasets.delete_dataset(ctx.tenant_id, SAMPLE_DATASET_ID)
    record, started = sample.seed_sample(ctx.tenant_id)
    if started:
        ctx.log("info", "started the sample seed; the dataset is ready in about 20 seconds")
    else:
        ctx.log("info", f"the sample dataset is {record.status}: nothing to do (force re-seeds it)")
    return {"dataset_id": record.dataset_id, "started": started, "status": record.status}


# --- prune-jobs -----------------------------------------------------------------------------------


class PruneJobs(_Params):
    days: int = Field(ge=1, le=3650, description="delete final jobs created more than this many days ago")
    kind: Literal["backtest", "optimization", "pipeline", "import", "command"] | None = Field(
        default=None, description="only jobs of this kind"
    )
    dry_run: bool = Field(default=False, description="only count what would be deleted")


def prune_jobs(ctx: Context, params: PruneJobs) -> dict[str, Any]:
    from tradewind.errors import Conflict, NotFound
    from tradewind.jobs import lifecycle
    from tradewind.jobs.spec import FINAL_STATUSES

    cutoff = datetime.now(UTC) - timedelta(days=params.days)
    ctx.log("info", f"looking for final jobs created before {cutoff:%Y-%m-%d %H:%M} UTC", days=params.days)
    deleted = skipped = 0
    start: dict[str, Any] | None = None
    while True:
        rows, start = lifecycle.search_jobs(
            ctx.tenant_id, 100, start, kind=params.kind, created_to=cutoff - timedelta(milliseconds=1)
        )
        for row in rows:
            if row.status not in FINAL_STATUSES or row.job_id == ctx.job_id:
                skipped += 1
                continue
            if deleted >= PRUNE_LIMIT:
                ctx.log("warning", f"stopped at {PRUNE_LIMIT} jobs: run the command again for the rest")
                return {"deleted": deleted, "skipped": skipped, "dry_run": params.dry_run, "complete": False}
            if not params.dry_run:
                ctx.check_cancelled()
                try:
                    lifecycle.delete_job(ctx.tenant_id, row.job_id, by="the prune-jobs command")
                except (NotFound, Conflict):
                    continue  # deleted meanwhile
            deleted += 1
            if deleted % 25 == 0:
                ctx.log("info", f"{'would delete' if params.dry_run else 'deleted'} {deleted} jobs so far")
        if start is None:
            break
    verb = "would delete" if params.dry_run else "deleted"
    ctx.log(
        "info", f"{verb} {deleted} jobs; {skipped} not final left alone", deleted=deleted, skipped=skipped
    )
    return {"deleted": deleted, "skipped": skipped, "dry_run": params.dry_run, "complete": True}


# --- redrive-dead-letters -----------------------------------------------------------------------


class RedriveDeadLetters(_Params):
    queue: Literal["import", "pipeline"] = Field(description="whose dead-letter queue")
    max_messages: int = Field(default=100, ge=1, le=REDRIVE_LIMIT, description="move at most this many")


def _queues(queue: str) -> tuple[str, str]:
    import os

    env = os.environ
    if queue == "import":
        return env.get("TW_IMPORT_DEAD_LETTER_URL", ""), env.get("TW_IMPORT_QUEUE_URL", "")
    return env.get("TW_PIPELINE_DEAD_LETTER_URL", ""), env.get("TW_PIPELINE_QUEUE_URL", "")


def _owner(body: str) -> str | None:
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    return parsed.get("tenant_id") if isinstance(parsed, dict) else None


def redrive(ctx: Context, params: RedriveDeadLetters) -> dict[str, Any]:
    """Move the tenant's messages from the dead-letter queue back to the source queue. The queues are
    shared by every tenant: another tenant's message is made visible again at once and left there."""
    from tradewind import aws

    dead, source = _queues(params.queue)
    if not dead or not source:
        raise RuntimeError(f"the {params.queue} queues are not configured")
    sqs = aws.client("sqs")
    moved = others = 0
    seen: set[str] = set()
    ctx.log("info", f"redriving up to {params.max_messages} messages of the {params.queue} dead-letter queue")
    while moved < params.max_messages:
        ctx.check_cancelled()
        answer = sqs.receive_message(
            QueueUrl=dead,
            MaxNumberOfMessages=min(10, params.max_messages - moved),
            WaitTimeSeconds=0,
            VisibilityTimeout=30,
        )
        messages = answer.get("Messages", [])
        fresh = [m for m in messages if m["MessageId"] not in seen]
        if not fresh:
            for message in messages:
                sqs.change_message_visibility(
                    QueueUrl=dead, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
            break
        for message in messages:
            seen.add(message["MessageId"])
            if _owner(message["Body"]) != ctx.tenant_id:
                others += 1
                sqs.change_message_visibility(
                    QueueUrl=dead, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
                continue
            sqs.send_message(QueueUrl=source, MessageBody=message["Body"])
            sqs.delete_message(QueueUrl=dead, ReceiptHandle=message["ReceiptHandle"])
            moved += 1
    ctx.log("info", f"moved {moved} messages back to the {params.queue} queue", moved=moved)
    return {"queue": params.queue, "moved": moved, "other_tenants_left": others}


# --- export-job-results ---------------------------------------------------------------------------


class ExportJobResults(_Params):
    job_id: str = Field(pattern=JOB_ID, description="a succeeded job of yours")


def _succeeded(tenant_id: str, job_id: str) -> Any:
    from tradewind.jobs import lifecycle

    record = lifecycle.get_job(tenant_id, job_id, loc=["body", "params", "job_id"])
    if record.status != "succeeded":
        raise InvalidInput(
            f"job {job_id} is {record.status}",
            [FieldProblem(["body", "params", "job_id"], f"the job is {record.status}, not succeeded")],
        )
    return record


def _check_succeeded(tenant_id: str, params: Any) -> None:
    _succeeded(tenant_id, params.job_id)


def export_results(ctx: Context, params: ExportJobResults) -> dict[str, Any]:
    from tradewind.jobs import store
    from tradewind.jobs.artifacts import job_prefix
    from tradewind.settings import get_settings

    _succeeded(ctx.tenant_id, params.job_id)
    prefix = f"{job_prefix(ctx.tenant_id, params.job_id).rstrip('/')}/results/"
    expires = get_settings().presign_expiry_seconds
    links = []
    for key in sorted(store.list_keys(prefix)):
        name = key[len(prefix) :]
        links.append({"name": name, "url": store.presigned_get(key, f"{params.job_id}-{name}", expires)})
    ctx.log("info", f"signed {len(links)} download links, valid {expires // 60} minutes", files=len(links))
    return {"job_id": params.job_id, "expires_in": expires, "links": links}


# --- rebuild-cache-entry --------------------------------------------------------------------------


class RebuildCacheEntry(_Params):
    job_id: str = Field(pattern=JOB_ID, description="a succeeded backtest or optimization of yours")


def _check_cacheable(tenant_id: str, params: Any) -> None:
    record = _succeeded(tenant_id, params.job_id)
    if record.kind not in ("backtest", "optimization") or not record.request_hash:
        raise InvalidInput(
            f"job {params.job_id} is a {record.kind}",
            [FieldProblem(["body", "params", "job_id"], "only backtests and optimizations are cached")],
        )


def rebuild_cache(ctx: Context, params: RebuildCacheEntry) -> dict[str, Any]:
    """Point the result cache's entry for this job's exact work at this job again (after the entry
    was lost, or to prefer this job over a newer identical one)."""
    from tradewind.data.jobs import JobHashRecord
    from tradewind.jobs import store
    from tradewind.jobs.artifacts import job_prefix

    _check_cacheable(ctx.tenant_id, params)
    record = _succeeded(ctx.tenant_id, params.job_id)
    if not store.list_keys(f"{job_prefix(ctx.tenant_id, record.job_id).rstrip('/')}/results/"):
        raise RuntimeError(f"job {record.job_id} has no results left to cache")
    JobHashRecord(
        *JobHashRecord.key(ctx.tenant_id, record.kind, record.request_hash),
        tenant_id=ctx.tenant_id,
        job_id=record.job_id,
    ).save()
    ctx.log("info", f"identical {record.kind} requests are answered from {record.job_id} again")
    return {"job_id": record.job_id, "kind": record.kind, "content_hash": record.request_hash}


# --- fetch-bars -----------------------------------------------------------------------------------


class FetchBars(_Params):
    provider: Literal["yfinance"] = "yfinance"
    symbols: list[str] = Field(
        min_length=1, max_length=50, json_schema_extra={"items": {"pattern": SYMBOL_PATTERN.pattern}}
    )
    start: date
    end: date
    name: str | None = Field(default=None, max_length=200)


def _check_provider(tenant_id: str, params: Any) -> None:
    import importlib.util

    from tradewind.services.providers import ProviderUnavailable

    problems = [
        FieldProblem(["body", "params", "symbols", i], "not a valid symbol")
        for i, s in enumerate(params.symbols)
        if not SYMBOL_PATTERN.match(s.strip().upper())
    ]
    if params.start > params.end:
        problems.append(FieldProblem(["body", "params", "start"], "must not be after end"))
    if problems:
        raise InvalidInput("fetch-bars parameters are invalid", problems)
    if importlib.util.find_spec("yfinance") is None:
        raise ProviderUnavailable("yfinance is not installed: pip install 'tradewind[yfinance]'")


def fetch_bars(ctx: Context, params: FetchBars) -> dict[str, Any]:
    from tradewind.services.providers import import_yfinance

    ctx.log("info", f"fetching daily bars of {len(params.symbols)} symbols from Yahoo Finance")
    record = import_yfinance(ctx.tenant_id, params.symbols, params.start, params.end, params.name)
    ctx.log("info", f"queued the import of dataset {record.dataset_id}", dataset_id=record.dataset_id)
    return {"dataset_id": record.dataset_id, "status": record.status}


COMMANDS: dict[str, Command] = {
    c.name: c
    for c in (
        Command(
            "refresh-sample",
            "Refresh the sample universe",
            "Seed the synthetic sample dataset if it is missing or failed; with force, delete it and "
            "generate it again.",
            RefreshSample,
            refresh_sample,
        ),
        Command(
            "prune-jobs",
            "Prune old jobs",
            "Delete your final jobs (and their results, logs and cache entries) created more than N "
            f"days ago, at most {PRUNE_LIMIT} per run.",
            PruneJobs,
            prune_jobs,
        ),
        Command(
            "redrive-dead-letters",
            "Redrive a dead-letter queue",
            "Move your messages from the import or pipeline dead-letter queue back to its source queue "
            "(GET /health/system shows the depth).",
            RedriveDeadLetters,
            redrive,
        ),
        Command(
            "export-job-results",
            "Export a job's results",
            "Presigned download links of every result file of a succeeded job.",
            ExportJobResults,
            export_results,
            _check_succeeded,
        ),
        Command(
            "rebuild-cache-entry",
            "Rebuild a result cache entry",
            "Answer identical backtest or optimization requests from this succeeded job again.",
            RebuildCacheEntry,
            rebuild_cache,
            _check_cacheable,
        ),
        Command(
            "fetch-bars",
            "Fetch bars from a provider",
            "Download daily bars from Yahoo Finance into a new dataset (needs the yfinance extra: "
            "503 without it).",
            FetchBars,
            fetch_bars,
            _check_provider,
        ),
        Command(
            "reimport-dataset",
            "Re-import a dataset",
            "Import a dataset again from its stored source file (an upload or a provider's fetch), as a "
            "new import job; the dataset is unavailable until that import ends.",
            ReimportDataset,
            reimport_dataset,
            check_reimport,
        ),
        Command(
            "recompute-breadth",
            "Recompute a universe's breadth history",
            "Compute the stored breadth history of a pipeline universe again over a date range, from "
            "the current bars of the symbols its last run scanned.",
            RecomputeBreadth,
            recompute_breadth,
            check_breadth,
        ),
    )
}
