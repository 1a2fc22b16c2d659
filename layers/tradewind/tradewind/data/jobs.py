"""Main-table records of jobs (keys in docs/architecture.md, Data design, and docs/jobs.md).

- ``TENANT#{t}`` / ``JOB#{id}``: the job (status, progress, summary). Ids are time-sortable, so a
  descending query on ``JOB#`` lists newest first; ``gsi1`` ``TENANT#{t}`` / ``JOBS#{kind}#{id}``
  lists one kind.
- ``TENANT#{t}`` / ``JOBSHARD#{id}#{n:05d}``: written once per finished shard with a condition, so a
  retried shard is counted once (the counter on the job moves only when the marker is new).
- ``TENANT#{t}`` / ``JOBHASH#{kind}#{sha256}``: the job that holds the result of that exact work.
- ``TENANT#{t}`` / ``IDEMP#{key}``: an ``Idempotency-Key`` seen at submit, for 24 hours (TTL).
- ``TENANT#{t}`` / ``JOBCOUNT#RUNNING``: how many of the tenant's jobs hold a running slot (the
  concurrency cap); ``TENANT#{t}`` / ``JOBCOUNT#DAY#{yyyy-mm-dd}``: jobs started that UTC day (the
  daily cap), removed by TTL two days later. See :mod:`tradewind.jobs.caps`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from tradewind.data.table import Gsi1, MainTableModel, tenant_pk


class JobRecord(MainTableModel):
    """One backtest or optimization of a tenant.

    No version attribute: workers bump the counters with atomic ``ADD`` updates from many Lambdas at
    once; status changes are conditional on the current status instead (a final status is final).
    """

    SORT_PREFIX: ClassVar[str] = "JOB#"

    tenant_id = UnicodeAttribute()
    job_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # import | backtest | optimization | pipeline | command | workflow
    status = UnicodeAttribute()  # queued | running | paused | succeeded | failed | cancelled | stopped
    name = UnicodeAttribute(null=True)
    strategy_id = UnicodeAttribute(null=True)
    strategy_version = NumberAttribute(null=True)
    strategy_name = UnicodeAttribute(null=True)
    dataset_id = UnicodeAttribute()
    symbols = ListAttribute(of=UnicodeAttribute)
    request_hash = UnicodeAttribute()
    shards_total = NumberAttribute(default=0)
    shards_done = NumberAttribute(default=0)
    combos_total = NumberAttribute(default=0)  # combinations x symbols (x windows); backtest: symbols
    combos_done = NumberAttribute(default=0)
    progress_published_at = NumberAttribute(default=0)  # epoch seconds: throttles progress messages
    progress_sampled_at = NumberAttribute(null=True)  # epoch seconds of the last progress sample
    progress_samples = NumberAttribute(null=True)  # samples in JOBPROGRESS#{id} (jobs.timeline)
    summary = JSONAttribute(null=True)
    error = UnicodeAttribute(null=True)  # a readable reason when failed
    cached = BooleanAttribute(default=False)  # answered from an identical earlier job
    # Set at creation when the job took one of the tenant's running slots (jobs.caps); removed in the
    # same write that makes the job final, which releases the slot exactly once.
    holds_slot = BooleanAttribute(null=True)
    # Pipeline runs (kind ``pipeline``, docs/pipeline.md): shards are symbol batches and combos are
    # symbols; these say what else the run is and found.
    mode = UnicodeAttribute(null=True)  # demo | small | full
    timeframe = UnicodeAttribute(null=True)  # 1d | 1w | 1mo | intraday
    universe = UnicodeAttribute(null=True)  # the universe key its breadth history is kept under
    signals_found = NumberAttribute(null=True)  # ADDed by each counted batch
    batches_skipped = NumberAttribute(null=True)  # batches counted without running (a stop)
    stop_requested = BooleanAttribute(null=True)  # POST /pipeline/runs/{id}/stop
    aggregating_at = NumberAttribute(null=True)  # epoch seconds: the aggregation's claim (a lease)
    # Every status change after submission, oldest first: {"at": ISO time, "status", "cause"}
    # (jobs.timeline). Appended by the same write that changes the status; a handful of entries.
    timeline: ListAttribute[Any] = ListAttribute(null=True)
    # Pause and resume (jobs.pause): how many times the job was resumed (its current workflow
    # execution is named after it: jobs.lifecycle.execution_name) and when it was last paused.
    resumes = NumberAttribute(null=True)
    paused_at = UTCDateTimeAttribute(null=True)
    # Workflow runs (kind ``workflow``, docs/workflows.md): the workflow, each step's state
    # ([{"index", "kind", "label", "name", "command", "job_id", "error"}]) and the step that failed
    # the run.
    workflow_id = UnicodeAttribute(null=True)
    steps: ListAttribute[Any] = ListAttribute(null=True)
    failed_step = NumberAttribute(null=True)
    # A workflow step's job: the Step Functions task token its run waits on, sent when the job ends
    # (tradewind.workflows.callback, called by records.finish).
    callback_token = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    started_at = UTCDateTimeAttribute(null=True)
    finished_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()
    gsi1: Gsi1[JobRecord] = Gsi1()

    @classmethod
    def key(cls, tenant_id: str, job_id: str = "") -> tuple[str, str]:
        """``pk``/``sk`` of a job (an empty id gives the prefix of all of them)."""
        return tenant_pk(tenant_id), f"{cls.SORT_PREFIX}{job_id}"

    @staticmethod
    def kind_index_key(tenant_id: str, kind: str, job_id: str = "") -> tuple[str, str]:
        return tenant_pk(tenant_id), f"JOBS#{kind}#{job_id}"


class ShardMarker(MainTableModel):
    """A finished shard; put with ``attribute_not_exists`` so that only its first finish counts."""

    tenant_id = UnicodeAttribute()
    job_id = UnicodeAttribute()
    shard = NumberAttribute()
    combos = NumberAttribute()
    finished_at = UTCDateTimeAttribute()

    @staticmethod
    def key(tenant_id: str, job_id: str, shard: int | None = None) -> tuple[str, str]:
        suffix = "" if shard is None else f"{shard:05d}"
        return tenant_pk(tenant_id), f"JOBSHARD#{job_id}#{suffix}"


class JobHashRecord(MainTableModel):
    """The job holding the result of one content hash (overwritten by a newer successful job)."""

    tenant_id = UnicodeAttribute()
    job_id = UnicodeAttribute()

    @staticmethod
    def key(tenant_id: str, kind: str, content_hash: str) -> tuple[str, str]:
        return tenant_pk(tenant_id), f"JOBHASH#{kind}#{content_hash}"


class IdempotencyRecord(MainTableModel):
    """An ``Idempotency-Key`` and the job it created, with the request's hash to catch key reuse."""

    tenant_id = UnicodeAttribute()
    job_id = UnicodeAttribute()
    request_hash = UnicodeAttribute()

    @staticmethod
    def key(tenant_id: str, idempotency_key: str) -> tuple[str, str]:
        return tenant_pk(tenant_id), f"IDEMP#{idempotency_key}"


class JobCounter(MainTableModel):
    """A per-tenant count behind a job cap: jobs holding a running slot, or jobs started on one UTC day.

    Moved only by ``ADD`` inside the transactions that create a job or make it final (jobs.caps), so
    concurrent API and workflow Lambdas never lose or double an increment.
    """

    tenant_id = UnicodeAttribute()
    jobs = NumberAttribute(default=0)

    RUNNING: ClassVar[str] = "JOBCOUNT#RUNNING"

    @classmethod
    def running_key(cls, tenant_id: str) -> tuple[str, str]:
        return tenant_pk(tenant_id), cls.RUNNING

    @staticmethod
    def day_key(tenant_id: str, day: str) -> tuple[str, str]:
        """``day`` is the UTC date, ``yyyy-mm-dd``."""
        return tenant_pk(tenant_id), f"JOBCOUNT#DAY#{day}"


class JobStats(MainTableModel):
    """A tenant's counters of one job kind (``TENANT#{t}`` / ``JOBSTATS#{kind}``), for ``GET /jobs/stats``.

    ``created`` moves in the transaction that creates a job, the others in the one that makes it
    final (:func:`tradewind.jobs.records.finish`), so the figures never need a scan of the jobs.
    """

    PREFIX: ClassVar[str] = "JOBSTATS#"

    tenant_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    created = NumberAttribute(null=True)
    succeeded = NumberAttribute(null=True)
    failed = NumberAttribute(null=True)
    cancelled = NumberAttribute(null=True)
    stopped = NumberAttribute(null=True)
    duration_seconds = NumberAttribute(null=True)  # summed over final jobs that had started
    timed = NumberAttribute(null=True)  # how many jobs ``duration_seconds`` sums

    @classmethod
    def key(cls, tenant_id: str, kind: str = "") -> tuple[str, str]:
        return tenant_pk(tenant_id), f"{cls.PREFIX}{kind}"


class JobProgressHistory(MainTableModel):
    """A job's progress samples over time (``TENANT#{t}`` / ``JOBPROGRESS#{id}``): bounded, written in
    the same transaction as the progress report that takes them (:mod:`tradewind.jobs.timeline`)."""

    tenant_id = UnicodeAttribute()
    job_id = UnicodeAttribute()
    samples: ListAttribute[Any] = ListAttribute(
        null=True
    )  # [{"at": ISO time, "done", "total", "rate"}], oldest first
    sampled_at = NumberAttribute(null=True)  # epoch seconds of the last sample

    @staticmethod
    def key(tenant_id: str, job_id: str) -> tuple[str, str]:
        return tenant_pk(tenant_id), f"JOBPROGRESS#{job_id}"


class JobLogLine(MainTableModel):
    """One structured log line of a job (``TENANT#{t}`` / ``JOBLOG#{id}#{seq}``), kept for
    ``TW``'s log retention (TTL) and removed with the job (:mod:`tradewind.jobs.logs`)."""

    tenant_id = UnicodeAttribute()
    job_id = UnicodeAttribute()
    time = UnicodeAttribute()  # ISO 8601 UTC
    level = UnicodeAttribute()  # debug | info | warning | error
    message = UnicodeAttribute()
    fields = JSONAttribute(null=True)

    @staticmethod
    def key(tenant_id: str, job_id: str, seq: str = "") -> tuple[str, str]:
        return tenant_pk(tenant_id), f"JOBLOG#{job_id}#{seq}"
