"""A run's public view: the job view every kind shares, in a pipeline's words.

Batches are the job's shards and symbols its combinations; the symbol list itself is left out (a
run may scan thousands: ``GET /pipeline/runs/{id}`` names the universe and counts them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tradewind.jobs.views import job_view

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord


def run_view(record: JobRecord) -> dict[str, Any]:
    view = job_view(record)
    view.pop("symbols")
    progress = view["progress"]
    skipped = int(record.batches_skipped or 0)
    view.update(
        mode=record.mode,
        timeframe=record.timeframe,
        universe=record.universe,
        symbols_total=progress["combos_total"],
        batches_done=progress["shards_done"] - skipped,
        batches_skipped=skipped,
        batches_total=progress["shards_total"],
        symbols_done=progress["combos_done"],
        signals_found=int(record.signals_found or 0),
        stop_requested=bool(record.stop_requested),
    )
    return view
