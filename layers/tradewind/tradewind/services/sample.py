"""Seed a tenant's synthetic sample universe through the ``sample-seed`` state machine.

``seed_sample`` starts an execution (once per tenant: the dataset id is fixed); the machine runs
``plan`` (dataset ``importing``, symbols split into batches) → Map over ``$.batches`` running
``generate`` (Parquet per symbol) → ``finalize`` (symbol rows, dataset ``ready``). Symbol rows are
written only by ``finalize``, so autocomplete never shows a half-seeded universe.
"""

from __future__ import annotations

import json
import time
from typing import Any

from tradewind import aws
from tradewind.data.bars import list_keys
from tradewind.data.marketdata import (
    FAILED,
    IMPORTING,
    QUEUED,
    READY,
    DatasetRecord,
    bars_key,
    dataset_prefix,
)
from tradewind.data.table import condition_failed
from tradewind.errors import Conflict, ImportFailure
from tradewind.marketdata.universe import SAMPLE_DATASET_ID, SAMPLE_DATASET_NAME, SampleSymbol, sample_symbols
from tradewind.services import imports
from tradewind.services.datasets import new_record
from tradewind.settings import get_settings

BATCH_SIZE = 8


def seed_sample(tenant_id: str) -> tuple[DatasetRecord, bool]:
    """Start seeding unless the tenant's sample exists or is on its way; returns (dataset, started)."""
    existing = imports.load(tenant_id, SAMPLE_DATASET_ID)
    if existing is not None and existing.status != FAILED:
        return existing, False
    from pynamodb.exceptions import PutError

    record = _sample_record(tenant_id, QUEUED)
    condition = DatasetRecord.pk.does_not_exist() | (DatasetRecord.status == FAILED)
    try:
        record.save(condition=condition)
    except PutError as exc:
        if not condition_failed(exc):
            raise
        return imports.load(tenant_id, SAMPLE_DATASET_ID) or record, False  # a concurrent request started it
    aws.client("stepfunctions").start_execution(
        stateMachineArn=get_settings().seed_state_machine_arn,
        name=f"{tenant_id}-{SAMPLE_DATASET_ID}-{int(time.time() * 1000)}"[:80],
        input=json.dumps({"tenant_id": tenant_id, "dataset_id": SAMPLE_DATASET_ID}),
    )
    return record, True


def _sample_record(tenant_id: str, status: str, dataset_id: str = SAMPLE_DATASET_ID) -> DatasetRecord:
    record = new_record(
        tenant_id, SAMPLE_DATASET_NAME, source="sample", file_format="parquet", dataset_id=dataset_id
    )
    record.upload_key = None
    record.synthetic = True
    record.status = status
    return record


def plan(event: dict[str, Any]) -> dict[str, Any]:
    """Task 1: mark the dataset ``importing`` (creating it when started directly) and batch the symbols."""
    tenant_id = str(event["tenant_id"])
    dataset_id = str(event.get("dataset_id") or SAMPLE_DATASET_ID)
    record = imports.load(tenant_id, dataset_id)
    if record is None:
        _sample_record(tenant_id, IMPORTING, dataset_id).save()
    else:
        record.update(
            actions=[DatasetRecord.status.set(IMPORTING), DatasetRecord.updated_at.set(imports.now())]
        )
    names = [s.symbol for s in sample_symbols()]
    batches = [
        {"tenant_id": tenant_id, "dataset_id": dataset_id, "symbols": names[i : i + BATCH_SIZE]}
        for i in range(0, len(names), BATCH_SIZE)
    ]
    return {"tenant_id": tenant_id, "dataset_id": dataset_id, "batches": batches}


def generate(event: dict[str, Any]) -> dict[str, Any]:
    """Task 2 (one Map iteration): write the batch's symbols as Parquet; rewriting is harmless."""
    from tradewind.data.bars import write_bars
    from tradewind.marketdata.sample import generate as generate_bars

    tenant_id, dataset_id = str(event["tenant_id"]), str(event["dataset_id"])
    sample = generate_bars(_chosen(event["symbols"]))
    frames = {
        bars_key(tenant_id, dataset_id, sym.symbol): sample.frame(col)
        for col, sym in enumerate(sample.symbols)
    }
    write_bars(frames)
    return {"tenant_id": tenant_id, "dataset_id": dataset_id, "written": len(frames)}


def _chosen(symbols: list[str]) -> list[SampleSymbol]:
    by_name = {s.symbol: s for s in sample_symbols()}
    unknown = [s for s in symbols if s not in by_name]
    if unknown:
        raise ValueError(f"not sample symbols: {unknown}")
    return [by_name[s] for s in symbols]


def finalize(event: dict[str, Any]) -> dict[str, Any]:
    """Task 3: check every symbol's object exists, write the symbol rows, mark the dataset ``ready``.

    When a ``Catch`` routes a failed generation here (the error at ``$.error``), mark the dataset
    ``failed`` instead, so ``seed_sample`` can start over.
    """
    import pandas as pd

    from tradewind.marketdata.sample import business_days

    tenant_id = str(event["tenant_id"])
    dataset_id = str(event.get("dataset_id") or SAMPLE_DATASET_ID)
    record = imports.load(tenant_id, dataset_id)
    if record is None:
        raise Conflict(f"dataset {dataset_id!r} was deleted while seeding")
    caught = event.get("error")
    if isinstance(caught, dict):
        cause = str(caught.get("Cause", ""))[:500]
        imports.mark_failed(
            record, ImportFailure(f"sample generation failed: {caught.get('Error')}: {cause}")
        )
        return {"tenant_id": tenant_id, "dataset_id": dataset_id, "status": FAILED}
    universe = sample_symbols()
    present = set(list_keys(dataset_prefix(tenant_id, dataset_id)))
    missing = [s.symbol for s in universe if bars_key(tenant_id, dataset_id, s.symbol) not in present]
    if missing:
        raise RuntimeError(f"sample symbols not generated: {missing}")
    days = business_days()
    first, last = pd.Timestamp(days[0]), pd.Timestamp(days[-1])
    summaries = [
        imports.SymbolSummary(
            s.symbol, len(days), imports.utc_datetime(first), imports.utc_datetime(last), s.name
        )
        for s in universe
    ]
    imports.mark_ready(record, summaries)
    return {
        "tenant_id": tenant_id,
        "dataset_id": dataset_id,
        "status": READY,
        "symbols": len(summaries),
        "rows": len(days) * len(summaries),
    }
