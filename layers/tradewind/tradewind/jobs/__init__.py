"""Backtests and optimizations as jobs: request specs, artifact layout, workflow steps.

The contract between the API (which validates and submits) and the workflow (plan -> shards ->
reduce, see docs/jobs.md) lives in :mod:`tradewind.jobs.spec` and :mod:`tradewind.jobs.artifacts`.
"""
