"""Commands over the tenant's data (docs/commands.md): re-import a dataset from its stored source,
and recompute a universe's breadth history over a date range.

Both check at submit what the run needs (the dataset, its source object, the history and the symbols
it was computed from) and answer a 4xx naming the parameter, so a run that starts can finish.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from tradewind.commands import Context
from tradewind.errors import Conflict, FieldProblem, InvalidInput, NotFound
from tradewind.pipeline.spec import DatasetId, Timeframe

if TYPE_CHECKING:
    from tradewind.data.marketdata import DatasetRecord, SymbolRecord

REIMPORTABLE = ("ready", "failed")
"""A dataset in one of these states may be imported again (not while an import is under way)."""
UNIVERSE = r"^[A-Za-z0-9_-]{1,120}$"
SYMBOLS_PER_LOG = 100
"""Symbols read between two progress lines (and cancellation checks) of a recomputation."""


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _at(name: str) -> list[str | int]:
    return ["body", "params", name]


# --- reimport-dataset ---------------------------------------------------------------------------


class ReimportDataset(_Params):
    dataset_id: DatasetId = Field(description="a dataset of yours whose uploaded or fetched file is stored")


def _reimportable(tenant_id: str, dataset_id: str) -> tuple[DatasetRecord, int]:
    """The dataset and its source object's size; 404/409 on ``dataset_id`` otherwise."""
    from tradewind.data import bars
    from tradewind.services.datasets import get_dataset

    loc = _at("dataset_id")
    try:
        record = get_dataset(tenant_id, dataset_id)
    except NotFound as exc:
        raise NotFound(exc.detail, [FieldProblem(loc, "no such dataset", "not_found")]) from None
    if record.status not in REIMPORTABLE:
        msg = f"the dataset is {record.status}: wait until its import ends"
        raise Conflict(f"dataset {dataset_id!r} is {record.status}", [FieldProblem(loc, msg, "busy")])
    size = bars.object_size(record.upload_key) if record.upload_key else None
    if size is None:
        msg = (
            "the sample dataset has no source file (refresh-sample generates it again)"
            if record.source == "sample"
            else "its source file is no longer stored: upload it again as a new dataset"
        )
        raise Conflict(f"dataset {dataset_id!r} has no stored source", [FieldProblem(loc, msg, "no_source")])
    return record, size


def check_reimport(tenant_id: str, params: Any) -> None:
    _reimportable(tenant_id, params.dataset_id)


def reimport_dataset(ctx: Context, params: ReimportDataset) -> dict[str, Any]:
    """Queue the import of the stored source again: the dataset goes back to ``queued`` (a condition:
    one re-import at a time) and a new job of kind ``import`` does the work, as after an upload."""
    from tradewind.data.marketdata import QUEUED, DatasetRecord
    from tradewind.data.table import condition_failed
    from tradewind.jobs import imports as import_jobs
    from tradewind.services.datasets import enqueue
    from tradewind.services.imports import ImportMessage, now

    record, size = _reimportable(ctx.tenant_id, params.dataset_id)
    previous = record.status
    try:
        record.update(
            actions=[DatasetRecord.status.set(QUEUED), DatasetRecord.updated_at.set(now())],
            condition=DatasetRecord.status.is_in(*REIMPORTABLE),
        )
    except Exception as exc:
        if condition_failed(exc):
            raise RuntimeError(f"dataset {params.dataset_id} started importing meanwhile") from None
        raise
    ctx.log("info", f"dataset {record.dataset_id} was {previous}; importing its source again ({size} bytes)")
    file_format = record.file_format or "csv"
    job_id = import_jobs.create(ctx.tenant_id, record.dataset_id, record.name, file_format, size)
    try:
        enqueue(ImportMessage(ctx.tenant_id, record.dataset_id, record.upload_key or "", file_format, job_id))
    except Exception as exc:
        record.update(actions=[DatasetRecord.status.set(previous)])
        reason = f"the import could not be queued: {type(exc).__name__}"
        import_jobs.ended(ctx.tenant_id, job_id, reason, None)
        raise
    ctx.log("info", f"queued the import as job {job_id}", dataset_id=record.dataset_id, import_job_id=job_id)
    return {"dataset_id": record.dataset_id, "import_job_id": job_id, "previous_status": previous}


# --- recompute-breadth --------------------------------------------------------------------------


class RecomputeBreadth(_Params):
    universe: str = Field(
        pattern=UNIVERSE, description="the universe's key, as GET /pipeline/breadth lists it (e.g. sample)"
    )
    timeframe: Timeframe = Field(default="1d", description="which of its histories")
    start: date = Field(description="first day recomputed (inclusive, UTC)")
    end: date = Field(description="last day recomputed (inclusive, UTC)")


def _universe_rows(tenant_id: str, params: Any) -> list[SymbolRecord]:
    """The symbols the history is made of, from its last run's spec (or, once that run is deleted,
    the whole dataset of a ``sample`` / ``dataset-{id}`` universe); 404/409/422 naming the field."""
    from tradewind.data.pipeline import BreadthRecord
    from tradewind.jobs import store
    from tradewind.jobs.artifacts import spec_key
    from tradewind.marketdata.universe import SAMPLE_DATASET_ID
    from tradewind.pipeline import resolve

    if params.start > params.end:
        raise InvalidInput("the range is empty", [FieldProblem(_at("end"), "must not be before start")])
    loc = _at("universe")
    try:
        history = BreadthRecord.get(*BreadthRecord.key(tenant_id, params.universe, params.timeframe))
    except BreadthRecord.DoesNotExist:
        msg = f"no breadth history for universe {params.universe!r} in timeframe {params.timeframe}"
        raise NotFound(msg, [FieldProblem(loc, msg, "not_found")]) from None
    spec = store.get_json(spec_key(tenant_id, history.run_id))
    if spec is not None:
        dataset_id, symbols = str(spec["dataset_id"]), [str(s) for s in spec["symbols"]]
    elif _whole_dataset(params.universe):
        dataset_id = SAMPLE_DATASET_ID if params.universe == "sample" else params.universe[len("dataset-") :]
        symbols = []
    else:
        msg = f"its last run ({history.run_id}) was deleted, so its symbols are unknown: run the pipeline"
        raise Conflict(msg, [FieldProblem(loc, msg, "no_source")])
    resolve.dataset(tenant_id, dataset_id, loc)
    if symbols:
        rows, missing = resolve.listed_rows(tenant_id, dataset_id, symbols, [loc] * len(symbols))
        if missing:
            msg = f"{len(missing)} of its symbols are no longer in dataset {dataset_id!r}"
            raise Conflict(msg, [FieldProblem(loc, msg, "unknown_symbol")])
    else:
        rows = resolve.dataset_rows(tenant_id, dataset_id)
    first = min(r.start_at for r in rows).date()
    last = max(r.end_at for r in rows).date()
    if params.end < first or params.start > last:
        msg = f"no symbol has bars in this range (they span {first} to {last})"
        raise InvalidInput(msg, [FieldProblem(_at("start"), msg, "empty_period")])
    return rows


def _whole_dataset(universe: str) -> bool:
    """A universe made of a whole dataset's symbols (not a mode's first few: ``-demo``, ``-small``)."""
    whole = universe == "sample" or universe.startswith("dataset-")
    return whole and not universe.endswith(("-demo", "-small"))


def check_breadth(tenant_id: str, params: Any) -> None:
    _universe_rows(tenant_id, params)


def recompute_breadth(ctx: Context, params: RecomputeBreadth) -> dict[str, Any]:
    """Read every symbol's bars, compute their breadth components over the range with the pipeline's
    own code (``pipeline.batch.period_components``), and replace the history's bars in the range."""
    from tradewind.data.bars import read_object
    from tradewind.marketdata.parquet import from_parquet_bytes
    from tradewind.pipeline import batch, breadth, history

    rows = _universe_rows(ctx.tenant_id, params)
    ctx.log(
        "info",
        f"recomputing the {params.timeframe} breadth of {params.universe} from {params.start} to "
        f"{params.end} over {len(rows)} symbols",
        symbols=len(rows),
    )
    parts = []
    for offset in range(0, len(rows), SYMBOLS_PER_LOG):
        ctx.check_cancelled()
        chunk = rows[offset : offset + SYMBOLS_PER_LOG]
        # read uncached: the point is the bars as stored now (a re-import may have changed them)
        frames = (from_parquet_bytes(read_object(str(r.object_key))) for r in chunk)
        parts.append(batch.period_components(frames, params.timeframe, params.start, params.end))
        ctx.log("info", f"read {offset + len(chunk)} of {len(rows)} symbols", done=offset + len(chunk))
    fresh = breadth.combine(parts)
    ctx.check_cancelled()
    total = history.extend(
        ctx.tenant_id,
        params.universe,
        params.timeframe,
        ctx.job_id,
        fresh,
        batch.bounds(params.start, params.end),
    )
    ctx.log("info", f"replaced {len(fresh)} bars; the history holds {total}", bars=len(fresh), total=total)
    return {
        "universe": params.universe,
        "timeframe": params.timeframe,
        "start": params.start.isoformat(),
        "end": params.end.isoformat(),
        "symbols": len(rows),
        "bars_recomputed": len(fresh),
        "history_bars": total,
    }
