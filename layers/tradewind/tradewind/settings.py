"""Runtime configuration, read from environment variables.

The CDK stack sets these variables on every Lambda; the local cloud sets the same variables for the
in-process handlers, so one code path serves both clouds. Settings are cached: call
``get_settings.cache_clear()`` in tests that change the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache


def _csv(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """Every name a handler needs to find its resources. Defaults suit tests under moto."""

    stage: str = "local"
    region: str = "us-east-1"
    table_name: str = "tradewind-main"
    connections_table_name: str = "tradewind-connections"
    data_bucket: str = "tradewind-data"
    artifacts_bucket: str = "tradewind-artifacts"
    import_queue_url: str = ""
    import_dead_letter_url: str = ""  # the API's system health reports its depth
    pipeline_dead_letter_url: str = ""
    seed_state_machine_arn: str = ""
    job_state_machine_arn: str = ""
    ws_management_endpoint: str = ""
    ws_url: str = ""
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    api_key_cache_seconds: float = 60.0
    cognito_user_pool_id: str = ""  # empty: people cannot sign in, only API keys work
    cognito_client_ids: tuple[str, ...] = field(default_factory=tuple)  # accepted ``aud`` of ID tokens
    cognito_issuer: str = ""  # default: https://cognito-idp.<region>.amazonaws.com/<pool id>
    cognito_jwks_url: str = ""  # default: <issuer>/.well-known/jwks.json (locally: moto's)
    invitation_days: int = 7  # an invitation can be accepted this long after it is sent
    presign_expiry_seconds: int = 900
    max_upload_bytes: int = 512 * 1024 * 1024
    max_request_body_bytes: int = 1024 * 1024  # an API request's body; above it: 413 (docs/api.md)
    max_sweep_combinations: int = 2_000_000  # combinations x symbols (x windows); above it: 422
    shard_combinations: int = 2_500  # combinations one worker evaluates on one symbol
    job_map_concurrency: int = 4  # the Distributed Map's MaxConcurrency (the estimate uses it)
    worker_memory_mb: int = 1769  # the job worker's memory (the estimate prices GB-seconds with it)
    max_concurrent_jobs: int = 10  # a tenant's jobs queued or running at once; above it: 429
    max_job_runs_per_day: int = 500  # jobs a tenant starts per UTC day; above it: 429
    stall_factor: float = 10.0  # a running job is stalled after this many expected progress gaps...
    stall_floor_seconds: float = 900.0  # ...and never sooner than this (tradewind.jobs.stall)
    audit_retention_days: int = 365  # audit records expire (DynamoDB TTL) this long after the call
    alerts_queue_url: str = ""  # channel deliveries (docs/alerts.md); empty: alerts are off
    alerts_allow_loopback: bool = False  # http://127.0.0.1 channel URLs; honoured on stage local only
    site_url: str = ""  # the web app's URL: alert links are made absolute with it
    telegram_api_url: str = "https://api.telegram.org"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Build settings from ``TW_*`` variables (and the standard AWS region variables)."""
    env = os.environ
    default = Settings()
    return Settings(
        stage=env.get("TW_STAGE", default.stage),
        region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or default.region,
        table_name=env.get("TW_TABLE_NAME", default.table_name),
        connections_table_name=env.get("TW_CONNECTIONS_TABLE_NAME", default.connections_table_name),
        data_bucket=env.get("TW_DATA_BUCKET", default.data_bucket),
        artifacts_bucket=env.get("TW_ARTIFACTS_BUCKET", default.artifacts_bucket),
        import_queue_url=env.get("TW_IMPORT_QUEUE_URL", default.import_queue_url),
        import_dead_letter_url=env.get("TW_IMPORT_DEAD_LETTER_URL", default.import_dead_letter_url),
        pipeline_dead_letter_url=env.get("TW_PIPELINE_DEAD_LETTER_URL", default.pipeline_dead_letter_url),
        seed_state_machine_arn=env.get("TW_SEED_STATE_MACHINE_ARN", default.seed_state_machine_arn),
        job_state_machine_arn=env.get("TW_JOB_STATE_MACHINE_ARN", default.job_state_machine_arn),
        ws_management_endpoint=env.get("TW_WS_MANAGEMENT_ENDPOINT", default.ws_management_endpoint),
        ws_url=env.get("TW_WS_URL", default.ws_url),
        cors_origins=_csv(env.get("TW_CORS_ORIGINS", "")),
        api_key_cache_seconds=float(env.get("TW_API_KEY_CACHE_SECONDS", default.api_key_cache_seconds)),
        cognito_user_pool_id=env.get("TW_COGNITO_USER_POOL_ID", default.cognito_user_pool_id),
        cognito_client_ids=_csv(env.get("TW_COGNITO_CLIENT_IDS", "")),
        cognito_issuer=env.get("TW_COGNITO_ISSUER", default.cognito_issuer),
        cognito_jwks_url=env.get("TW_COGNITO_JWKS_URL", default.cognito_jwks_url),
        invitation_days=int(env.get("TW_INVITATION_DAYS", default.invitation_days)),
        presign_expiry_seconds=int(env.get("TW_PRESIGN_EXPIRY_SECONDS", default.presign_expiry_seconds)),
        max_upload_bytes=int(env.get("TW_MAX_UPLOAD_BYTES", default.max_upload_bytes)),
        max_request_body_bytes=int(env.get("TW_MAX_REQUEST_BODY_BYTES", default.max_request_body_bytes)),
        max_sweep_combinations=int(env.get("TW_MAX_SWEEP_COMBINATIONS", default.max_sweep_combinations)),
        shard_combinations=int(env.get("TW_SHARD_COMBINATIONS", default.shard_combinations)),
        job_map_concurrency=int(env.get("TW_JOB_MAP_CONCURRENCY", default.job_map_concurrency)),
        worker_memory_mb=int(env.get("TW_WORKER_MEMORY_MB", default.worker_memory_mb)),
        max_concurrent_jobs=int(env.get("TW_MAX_CONCURRENT_JOBS", default.max_concurrent_jobs)),
        max_job_runs_per_day=int(env.get("TW_MAX_JOB_RUNS_PER_DAY", default.max_job_runs_per_day)),
        stall_factor=float(env.get("TW_STALL_FACTOR", default.stall_factor)),
        stall_floor_seconds=float(env.get("TW_STALL_FLOOR_SECONDS", default.stall_floor_seconds)),
        audit_retention_days=int(env.get("TW_AUDIT_RETENTION_DAYS", default.audit_retention_days)),
        alerts_queue_url=env.get("TW_ALERTS_QUEUE_URL", default.alerts_queue_url),
        alerts_allow_loopback=env.get("TW_ALERTS_ALLOW_LOOPBACK", "") == "1",
        site_url=env.get("TW_SITE_URL", default.site_url),
        telegram_api_url=env.get("TW_TELEGRAM_API_URL", default.telegram_api_url),
    )
