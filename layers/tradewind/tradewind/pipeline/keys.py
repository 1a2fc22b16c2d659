"""Object keys of pipeline runs in the artifacts bucket (docs/pipeline.md, Records and objects)."""

from __future__ import annotations

from tradewind.jobs.artifacts import job_prefix, result_key

SIGNALS = "signals.parquet"  # the run's signal table, by symbol then time
BREADTH = "breadth.parquet"  # the run's breadth measures, by time


def batch_key(tenant_id: str, job_id: str, batch: int, part: str) -> str:
    """One batch's ``signals`` or ``breadth`` (components) Parquet: deterministic, so a redelivered
    batch overwrites it (intermediate: tagged for expiry)."""
    return f"{job_prefix(tenant_id, job_id)}batches/{batch:05d}.{part}.parquet"


def run_result(tenant_id: str, job_id: str, name: str) -> str:
    return result_key(tenant_id, job_id, name)


def export_key(tenant_id: str, job_id: str, digest: str, ext: str) -> str:
    """A large export, named by the hash of its filters (the same export is written once)."""
    return result_key(tenant_id, job_id, f"exports/{digest}.{ext}")


def history_key(tenant_id: str, universe: str, timeframe: str, version: int) -> str:
    """Version ``version`` of a universe's breadth components."""
    return f"tenants/{tenant_id}/pipeline/breadth/{universe}/{timeframe}/v{version:06d}.parquet"
