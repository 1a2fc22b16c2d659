"""What an optimization will cost before it runs: combinations, shards, duration and AWS charges.

The request is resolved exactly as a submission would be (same checks, same combination count, same
shards), then priced with the constants below. ``POST /optimizations/estimate`` answers from here.

Where the numbers come from:

- Engine throughput, in bar-combinations per second on one core: the SMA-cross sweep over every
  fast < slow window in 2..200 (19,701 combinations) on a 2,148-bar daily series measured about
  66,000 combinations/s with screening metrics and 15,200/s with full metrics (CPU time, this
  project's engine on the 2-core development machine; ``bench/bench_engine.py`` runs the same
  sweep). Times 2,148 bars: 140 M and 33 M bar-combinations/s. A 1,769 MB Lambda has one vCPU.
- Per-shard overhead (read the symbol's bars, write the shard object, count the marker) and the fixed
  orchestration time (plan, reduce, state transitions) are assumptions, not measurements.
- Prices: AWS list prices in us-east-1 (x86 Lambda; Step Functions Standard; Express), as published
  on the AWS pricing pages; a Distributed Map bills one Standard state transition per child
  execution it starts, and EXPRESS children bill per request and per GB-second of at least 64 MB.
  Free tiers are ignored.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from tradewind.jobs.spec import OptimizationRequest
from tradewind.jobs.submit import Resolved, resolve_optimization
from tradewind.settings import get_settings

BAR_COMBOS_PER_SECOND = {"screening": 140_000_000.0, "full": 33_000_000.0}
WORKER_OVERHEAD_SECONDS = 0.5
ORCHESTRATION_SECONDS = 3.0
STANDARD_FIXED_TRANSITIONS = 6  # start, plan, map, reduce, end, and one spare for the summary step

LAMBDA_USD_PER_GB_SECOND = 0.0000166667
LAMBDA_USD_PER_REQUEST = 0.20 / 1_000_000
STANDARD_USD_PER_TRANSITION = 0.025 / 1_000
EXPRESS_USD_PER_REQUEST = 1.00 / 1_000_000
EXPRESS_USD_PER_GB_SECOND = 0.00001667
EXPRESS_BILLED_GB = 64 / 1024


class Duration(BaseModel):
    per_shard_seconds: float = Field(description="mean time of one worker invocation")
    worker_seconds: float = Field(description="the workers' time added up (what Lambda bills)")
    projected_seconds: float = Field(
        description="wall time at the configured concurrency, plus orchestration"
    )


class Usage(BaseModel):
    lambda_requests: int
    lambda_gb_seconds: float
    state_transitions: int = Field(description="Step Functions Standard transitions of the parent execution")
    express_requests: int = Field(description="EXPRESS child executions (one per shard)")
    express_gb_seconds: float


class Cost(BaseModel):
    """US dollars at us-east-1 list prices."""

    lambda_compute: float
    lambda_requests: float
    state_transitions: float
    express_requests: float
    express_duration: float
    total: float


class Assumptions(BaseModel):
    bar_combinations_per_second: float = Field(description="one worker's engine throughput (measured)")
    worker_overhead_seconds: float
    orchestration_seconds: float
    worker_memory_mb: int
    shard_combinations: int


class Estimate(BaseModel):
    """An optimization's size, projected duration and AWS cost, computed before anything runs."""

    combinations: int = Field(description="combinations run on each symbol (and window)")
    grid_combinations: int = Field(description="combinations of the space that pass the constraints")
    symbols: int
    windows: int = Field(description="symbol x walk-forward windows (= symbols without walk-forward)")
    runs: int = Field(description="combinations x symbols (x windows)")
    shards: int = Field(description="ceil(combinations / shard size) x symbols (x windows)")
    max_runs: int = Field(description="the configured limit on runs (above it a submission answers 422)")
    within_limit: bool
    concurrency: int = Field(description="the Distributed Map's MaxConcurrency")
    metrics: str
    duration: Duration
    usage: Usage
    cost_usd: Cost
    assumptions: Assumptions


def shard_seconds(combinations: float, bars: float, metrics: str) -> float:
    """One worker invocation: ``combinations`` on one symbol's ``bars``, plus the per-shard overhead
    (what a stalled-job check expects between two counted shards: tradewind.jobs.stall)."""
    return combinations * bars / BAR_COMBOS_PER_SECOND[metrics] + WORKER_OVERHEAD_SECONDS


def estimate(tenant_id: str, request: OptimizationRequest) -> Estimate:
    """Resolve the request like a submission (same 4xx), then size and price it."""
    return price(resolve_optimization(tenant_id, request))


def price(resolved: Resolved) -> Estimate:
    """Duration and cost of a resolved optimization under the current settings."""
    settings, spec = get_settings(), resolved.spec
    rate = BAR_COMBOS_PER_SECOND[spec.metrics]
    work = 0.0  # engine seconds over every shard
    for symbol, windows in resolved.windows.items():
        bars = spec.walk_forward.train_bars if spec.walk_forward is not None else resolved.bars[symbol]
        work += windows * resolved.combinations * bars / rate
    shards = resolved.shards
    worker_seconds = work + shards * WORKER_OVERHEAD_SECONDS
    per_shard = worker_seconds / shards if shards else 0.0
    concurrency = max(1, settings.job_map_concurrency)
    projected = ORCHESTRATION_SECONDS + math.ceil(shards / concurrency) * per_shard
    memory_gb = settings.worker_memory_mb / 1024
    lambda_seconds = worker_seconds + ORCHESTRATION_SECONDS  # plan and reduce run as Lambdas too
    usage = Usage(
        lambda_requests=shards + 2,
        lambda_gb_seconds=lambda_seconds * memory_gb,
        state_transitions=STANDARD_FIXED_TRANSITIONS + shards,
        express_requests=shards,
        express_gb_seconds=worker_seconds * EXPRESS_BILLED_GB,
    )
    parts = {
        "lambda_compute": usage.lambda_gb_seconds * LAMBDA_USD_PER_GB_SECOND,
        "lambda_requests": usage.lambda_requests * LAMBDA_USD_PER_REQUEST,
        "state_transitions": usage.state_transitions * STANDARD_USD_PER_TRANSITION,
        "express_requests": usage.express_requests * EXPRESS_USD_PER_REQUEST,
        "express_duration": usage.express_gb_seconds * EXPRESS_USD_PER_GB_SECOND,
    }
    return Estimate(
        combinations=resolved.combinations,
        grid_combinations=resolved.grid,
        symbols=len(spec.symbols),
        windows=sum(resolved.windows.values()),
        runs=resolved.runs,
        shards=shards,
        max_runs=settings.max_sweep_combinations,
        within_limit=resolved.runs <= settings.max_sweep_combinations,
        concurrency=concurrency,
        metrics=spec.metrics,
        duration=Duration(
            per_shard_seconds=per_shard, worker_seconds=worker_seconds, projected_seconds=projected
        ),
        usage=usage,
        cost_usd=Cost(**parts, total=sum(parts.values())),
        assumptions=Assumptions(
            bar_combinations_per_second=rate,
            worker_overhead_seconds=WORKER_OVERHEAD_SECONDS,
            orchestration_seconds=ORCHESTRATION_SECONDS,
            worker_memory_mb=settings.worker_memory_mb,
            shard_combinations=settings.shard_combinations,
        ),
    )
