"""Where a job's objects live in the artifacts bucket: one prefix per job, deterministic keys.

A retried step rewrites the same key, so a result is never stored twice. Layout (docs/jobs.md)::

    tenants/{t}/jobs/{id}/spec.json              the JobSpec (written at submit)
    tenants/{t}/jobs/{id}/manifest.json          the shard list the Distributed Map reads
    tenants/{t}/jobs/{id}/shards/{n:05d}.parquet one shard's result (.json for a backtest's)
    tenants/{t}/jobs/{id}/results/{name}         final artifacts (see RESULT_* below)

The manifest and the shards are intermediates: tagged :data:`INTERMEDIATE_TAGGING` when written and
expired by the bucket's lifecycle rule, since nothing reads them once the job is final (reduce reads
them before it sets ``succeeded``; the API reads only ``spec.json`` and ``results/``).

Formats of the results (written by reduce, read by the API; all JSON is UTF-8, times ISO 8601 UTC):

- backtest ``summary.json``: ``{"portfolio": {metric: value}, "symbols": {SYM: {metric: value}},
  "params": {...}, "weights": {SYM: w}, "start": t, "end": t}`` (metric ids of tradewind.metrics).
- ``trades.json``: a list ordered by entry time of ``{"symbol", "entry_time", "exit_time",
  "entry_price", "exit_price", "size", "pnl", "return_pct", "fees", "duration_bars", "exit_reason",
  "is_open"}``.
- ``curves.json``: ``{"portfolio": {"time": [...], "equity": [...], "drawdown_pct": [...],
  "benchmark": [...]}, "symbols": {SYM: {same}}}``; ``benchmark`` is buy and hold of the same cash
  (split by the weights), bought at the first close (results written before it have none).
- optimization ``summary.json``: ``{"objective": {"metric", "direction"}, "best": <leaderboard row>,
  "combinations": n, "symbols": [...], "elapsed_seconds": s, "combos_per_second": r}``.
- ``leaderboard.json``: ``{"objective": {...}, "rows": [{"rank", "combination", "params": {...},
  "metrics": {...}}]}``: the top ``top_n`` combinations that satisfy ``min_trades``.
- ``table.parquet`` / ``table.csv``: one row per combination: ``combination`` (its index in the
  expanded space), ``wf_window`` (walk-forward only), one column per parameter, then every metric as
  the mean over the symbols (the names: :mod:`tradewind.jobs.columns`).
- ``walk_forward.json``: ``{"windows": [{"window", "train": {"start", "end"}, "test": {"start",
  "end"}, "params", "in_sample": {metrics}, "out_of_sample": {metrics}}], "out_of_sample": {mean}}``.

The job record's ``summary`` is the small subset a listing shows: a backtest's portfolio
``return_pct``, ``sharpe``, ``max_drawdown_pct``, ``trades``; an optimization's ``best_params``,
``best_objective``, ``combinations``.
"""

from __future__ import annotations

RESULT_SUMMARY = "summary.json"  # backtest: metrics per symbol and for the portfolio; optimization: best
RESULT_TRADES = "trades.json"  # backtest: every trade of every symbol, time-ordered
RESULT_CURVES = "curves.json"  # backtest: portfolio (and per-symbol) equity and drawdown
RESULT_LEADERBOARD = "leaderboard.json"  # optimization: top N rows by the objective, all metrics
RESULT_TABLE_PARQUET = "table.parquet"  # optimization: one row per combination (and symbol)
RESULT_TABLE_CSV = "table.csv"
RESULT_WALK_FORWARD = "walk_forward.json"  # optimization with walk_forward: per-window winners, OOS

RETENTION_TAG = "tw-retention"
INTERMEDIATE = "intermediate"
INTERMEDIATE_TAGGING = f"{RETENTION_TAG}={INTERMEDIATE}"
"""The S3 tag of the objects only a running job reads (``manifest.json``, ``shards/*``); the artifacts
bucket's lifecycle rule expires objects carrying it."""


def job_prefix(tenant_id: str, job_id: str) -> str:
    return f"tenants/{tenant_id}/jobs/{job_id}/"


def spec_key(tenant_id: str, job_id: str) -> str:
    return f"{job_prefix(tenant_id, job_id)}spec.json"


def manifest_key(tenant_id: str, job_id: str) -> str:
    return f"{job_prefix(tenant_id, job_id)}manifest.json"


def remaining_key(tenant_id: str, job_id: str, resumes: int) -> str:
    """The shards a resumed execution runs (those without a marker when it planned); intermediate."""
    return f"{job_prefix(tenant_id, job_id)}manifest-r{resumes}.json"


def shard_key(tenant_id: str, job_id: str, shard: int, ext: str = "parquet") -> str:
    """An optimization shard is a Parquet table; a backtest shard (one symbol's run) is ``json``."""
    return f"{job_prefix(tenant_id, job_id)}shards/{shard:05d}.{ext}"


def result_key(tenant_id: str, job_id: str, name: str) -> str:
    return f"{job_prefix(tenant_id, job_id)}results/{name}"
