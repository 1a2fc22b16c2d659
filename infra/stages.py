"""Per-stage settings: the only knobs that differ between local, dev and prod.

The stack takes one ``StageSettings`` as a keyword argument, so a stage is data, not code paths.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import RemovalPolicy
from aws_cdk.aws_logs import RetentionDays

DEFAULT_STAGE = "dev"


@dataclass(frozen=True)
class StageSettings:
    """What changes per stage. ``throwaway`` stages delete their data with the stack."""

    name: str
    throwaway: bool
    api_rate_limit: float
    api_burst_limit: int
    log_retention: RetentionDays
    log_level: str
    seed_map_concurrency: int
    job_map_concurrency: int  # the job workflow's Distributed Map MaxConcurrency (parallel shards)
    # The API Lambda's reserved concurrency: job workers can never take the last of the account's
    # concurrency from it (and it can never take more than this).
    api_reserved_concurrency: int
    # Per-tenant job caps the API enforces (429 + Retry-After): TW_MAX_CONCURRENT_JOBS and
    # TW_MAX_JOB_RUNS_PER_DAY on the API Lambda.
    max_concurrent_jobs_per_tenant: int
    max_runs_per_day_per_tenant: int
    # Artifacts bucket lifecycle: days a replaced or deleted object's old version is kept, and days a
    # job's intermediates (objects tagged tw-retention=intermediate: shards, manifest) live.
    noncurrent_version_days: int
    intermediate_retention_days: int
    cors_origins: tuple[str, ...] = ()
    alarm_email: str | None = None
    # Days an audit record is kept in DynamoDB (TTL) after the call; the daily S3 export keeps a copy.
    audit_retention_days: int = 365

    @property
    def removal_policy(self) -> RemovalPolicy:
        """Throwaway stages clean up after ``cdk destroy``; real ones keep tables and buckets."""
        return RemovalPolicy.DESTROY if self.throwaway else RemovalPolicy.RETAIN


# Origins a developer's browser uses against a deployed dev API (Vite dev server, make run).
_DEV_ORIGINS = ("http://localhost:5173", "http://127.0.0.1:8000")

STAGES: dict[str, StageSettings] = {
    # `make run` reads this stage's template; nothing is deployed, so it mirrors dev.
    "local": StageSettings(
        name="local",
        throwaway=True,
        api_rate_limit=100,
        api_burst_limit=200,
        log_retention=RetentionDays.ONE_WEEK,
        log_level="INFO",
        seed_map_concurrency=4,
        job_map_concurrency=4,
        api_reserved_concurrency=10,
        # tradewind.settings' own defaults: make run and the tests see the same caps as a bare import.
        max_concurrent_jobs_per_tenant=10,
        max_runs_per_day_per_tenant=500,
        noncurrent_version_days=7,
        intermediate_retention_days=7,
        cors_origins=_DEV_ORIGINS,
    ),
    "dev": StageSettings(
        name="dev",
        throwaway=True,
        api_rate_limit=50,
        api_burst_limit=100,
        log_retention=RetentionDays.TWO_WEEKS,
        log_level="DEBUG",
        seed_map_concurrency=8,
        job_map_concurrency=50,
        api_reserved_concurrency=10,
        max_concurrent_jobs_per_tenant=5,
        max_runs_per_day_per_tenant=200,
        noncurrent_version_days=7,
        intermediate_retention_days=3,
        cors_origins=_DEV_ORIGINS,
    ),
    "prod": StageSettings(
        name="prod",
        throwaway=False,
        api_rate_limit=500,
        api_burst_limit=1000,
        log_retention=RetentionDays.THREE_MONTHS,
        log_level="INFO",
        seed_map_concurrency=16,
        job_map_concurrency=200,
        api_reserved_concurrency=100,
        max_concurrent_jobs_per_tenant=10,
        max_runs_per_day_per_tenant=1000,
        noncurrent_version_days=30,
        intermediate_retention_days=7,
    ),
}


def stage_settings(name: str) -> StageSettings:
    """Look a stage up by name, failing with the list of known stages."""
    try:
        return STAGES[name]
    except KeyError:
        raise ValueError(f"unknown stage {name!r}; known stages: {', '.join(sorted(STAGES))}") from None
