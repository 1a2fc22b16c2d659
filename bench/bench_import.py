"""Import of a 10-year daily CSV for 500 symbols through the worker's use case, against in-process moto.

Prints the file size, the import time (read + validate + publish 500 Parquet objects + symbol rows)
and memory: the process's peak RSS growth during the import (ru_maxrss; the CSV is generated in a
child process so generation does not set the peak), and the Python-allocation peak of the
read + validate step (tracemalloc, traced separately because tracing slows allocation-heavy code).
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

SYMBOLS = 500
TENANT = "bench"
BUCKET = "bench-data"


def _environment() -> None:
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
            "TW_TABLE_NAME": "bench-main",
            "TW_DATA_BUCKET": BUCKET,
        }
    )
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE"):
        os.environ.pop(name, None)


def _write_csv(path: str) -> tuple[int, float]:
    """Child process: generate the universe and write it as one CSV (keeps the parent's RSS low)."""
    from tradewind.marketdata.sample import generate
    from tradewind.marketdata.universe import sample_symbols

    started = time.perf_counter()
    bars = generate(sample_symbols(SYMBOLS))
    generated = time.perf_counter() - started
    bars.long_frame().to_csv(path, index=False)
    return bars.close.size, generated


def _make_csv() -> tuple[bytes, int, float]:
    with (
        tempfile.TemporaryDirectory() as folder,
        ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool,
    ):
        path = f"{folder}/bars.csv"
        rows, generated = pool.submit(_write_csv, path).result()
        with open(path, "rb") as handle:
            return handle.read(), rows, generated


def _validate_peak(body: bytes) -> float:
    """tracemalloc peak (MB) of reading and validating the file: the memory-heavy, pure step."""
    from tradewind.marketdata.validate import read_table, validate

    tracemalloc.start()
    validate(read_table(body, "csv"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def _queue_dataset(body: bytes, dataset_id: str) -> Callable[[], str]:
    """Store the upload and a queued dataset; return the worker's use case for its message."""
    from tradewind import aws
    from tradewind.data.marketdata import QUEUED
    from tradewind.services.datasets import new_record
    from tradewind.services.imports import ImportMessage, run_import

    record = new_record(TENANT, "bench", source="upload", file_format="csv", dataset_id=dataset_id)
    record.status = QUEUED
    record.save()
    key = record.upload_key or ""
    aws.client("s3").put_object(Bucket=BUCKET, Key=key, Body=body)
    message = ImportMessage(TENANT, dataset_id, key, "csv")
    return lambda: run_import(message)


def main() -> None:
    _environment()
    from moto import mock_aws
    from tradewind import aws

    aws.reset_clients()
    body, rows, generated = _make_csv()
    print(f"sample generator: {SYMBOLS} symbols x 10+ years in {generated:.2f} s (target < 2 s for 58)")
    print(f"file: {rows:,} rows, {len(body) / 1e6:.1f} MB CSV")
    with mock_aws():
        from tradewind.data.marketdata import DatasetRecord, SymbolRecord
        from tradewind.realtime.connections import ConnectionRecord

        SymbolRecord.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
        # The import pushes its status to subscribers (none here), as in the stack.
        ConnectionRecord.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
        aws.client("s3").create_bucket(Bucket=BUCKET)

        run = _queue_dataset(body, "bench-timed")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        outcome = run()
        elapsed = time.perf_counter() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        dataset = DatasetRecord.get(*DatasetRecord.key(TENANT, "bench-timed"))
        assert outcome == "ready", dataset.error
        print(
            f"import: {elapsed:.2f} s ({rows / elapsed:,.0f} rows/s),"
            f" {int(dataset.symbols_count)} symbols published"
        )
        print(
            f"peak RSS: {rss_after / 1024:.0f} MB"
            f" (grew {(rss_after - rss_before) / 1024:.0f} MB during import)"
        )

    print(
        f"tracemalloc peak of read + validate: {_validate_peak(body):.0f} MB (file: {len(body) / 1e6:.0f} MB)"
    )
    print("target: a 10-year x 500-symbol import fits the 1,769 MB worker and its 5-minute timeout")


if __name__ == "__main__":
    main()
