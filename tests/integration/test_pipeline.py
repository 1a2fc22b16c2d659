"""Pipeline runs on the local cloud: the real queue, worker and aggregation under moto.

Each test submits a run as ``POST /pipeline/runs`` does (``pipeline.submit.submit_run``), drives the
SQS event-source mapping (``cloud.drain_queues()``, or one message at a time) and checks what a
client reads: the run record, its result tables, the breadth history and the dead-letter queue.
Signals are compared with ``tradewind.pipeline.signals.scan`` called directly on the same bars.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import boto3
import numpy as np
import pandas as pd
import pytest
from tradewind.aws import reset_clients
from tradewind.engine.bars import Bars
from tradewind.jobs import store
from tradewind.jobs.records import get_record
from tradewind.pipeline import batch as batch_module
from tradewind.pipeline import results, runs
from tradewind.pipeline.keys import SIGNALS, run_result
from tradewind.pipeline.signals import scan
from tradewind.pipeline.spec import BatchMessage, PipelineRunRequest
from tradewind.pipeline.submit import submit_run
from tradewind.pipeline.worker import handle
from tradewind.services.notifications import list_notifications
from tradewind.strategy.templates import TEMPLATES

from infra.local.cloud import LocalCloud
from infra.local.provision import EventSourceSpec
from tests.integration.marketdata_support import publish_sample_dataset

TENANT = "scanner"
SYMBOLS = 6
BATCH = 2  # symbols per message: three batches
START, END = date(2018, 1, 1), date(2019, 12, 31)
PARAMS = {"fast": 10, "slow": 40}


@pytest.fixture(scope="module")
def frames(cloud: LocalCloud) -> dict[str, pd.DataFrame]:
    """The tenant's sample universe (dataset ``sample``) of six symbols."""
    return publish_sample_dataset(TENANT, "sample", SYMBOLS)


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TW_PIPELINE_BATCH_SYMBOLS", str(BATCH))
    reset_clients()
    yield
    monkeypatch.undo()


def request(**overrides: Any) -> PipelineRunRequest:
    fields: dict[str, Any] = {
        "template": "sma_cross",
        "params": PARAMS,
        "start": START,
        "end": END,
        **overrides,
    }
    return PipelineRunRequest(**fields)


def sqs() -> Any:
    return boto3.session.Session(region_name="us-east-1").client("sqs")


def source(cloud: LocalCloud) -> EventSourceSpec:
    worker = cloud.function_name("PipelineWorker")
    return next(s for s in cloud.poller.sources if s.function_name == worker)


def expected_signals(frames: dict[str, pd.DataFrame], symbols: list[str]) -> pd.DataFrame:
    """Each symbol's decisions on its bars in the period, straight from the domain."""
    parts = []
    for symbol in symbols:
        frame = frames[symbol]
        cut = frame[
            (frame["timestamp"] >= pd.Timestamp(START))
            & (frame["timestamp"] < pd.Timestamp(END) + pd.Timedelta(days=1))
        ]
        bars = Bars(
            cut["timestamp"].to_numpy(dtype="datetime64[ns]"),
            *(cut[c].to_numpy(dtype=np.float64) for c in ("open", "high", "low", "close", "volume")),
        )
        table = scan(bars, TEMPLATES["sma_cross"](), PARAMS)
        parts.append(
            pd.DataFrame({"symbol": symbol, "time": table.time, "rule": table.rule, "action": table.action})
        )
    return pd.concat(parts, ignore_index=True)


def test_a_run_scans_every_batch_and_aggregates_once(
    clean_cloud: LocalCloud, frames: dict[str, pd.DataFrame]
) -> None:
    publish_sample_dataset(TENANT, "sample", SYMBOLS)
    record = submit_run(TENANT, request())
    # a batch delivered twice (SQS is at-least-once) is counted once
    queue = source(clean_cloud).queue_url
    first = sqs().receive_message(QueueUrl=queue, MaxNumberOfMessages=1, VisibilityTimeout=0)["Messages"][0]
    clean_cloud.poller.poll_once(source(clean_cloud))
    again = BatchMessage.model_validate_json(first["Body"])
    assert handle(again, receive_count=1) == "duplicate"
    counted = get_record(TENANT, record.job_id)
    assert counted is not None
    assert int(counted.shards_done) == 1
    clean_cloud.drain_queues()

    done = get_record(TENANT, record.job_id)
    assert done is not None
    assert done.status == "succeeded", done.error
    assert (int(done.shards_done), int(done.shards_total), int(done.combos_done)) == (3, 3, SYMBOLS)
    want = expected_signals(frames, sorted(frames))
    assert int(done.signals_found) == len(want) == done.summary["signals"]
    table = results.run_signals(done).frame
    assert table[["symbol", "rule", "action"]].to_dict("list") == want[["symbol", "rule", "action"]].to_dict(
        "list"
    )
    assert table["time"].tolist() == want["time"].tolist()
    assert done.aggregating_at is not None
    (note,) = [
        n for n in list_notifications(TENANT, 10, None)[0] if n.link == f"/pipeline/runs/{done.job_id}"
    ]
    assert note.message == {
        "code": "pipeline.finished",
        "params": {
            "job": {"kind": "pipeline", "name": done.name or done.strategy_name, "id": done.job_id},
            "signals": done.summary["signals"],
            "symbols": done.summary["symbols"],
        },
    }

    history = results.breadth_series(TENANT, "sample", "1d", None, None, 50)
    assert len(history["time"]) == 50
    whole = results.breadth_series(TENANT, "sample", "1d", None, None, None)
    assert whole["time"][0].startswith("2018-01-01")
    issues = (
        np.asarray(whole["series"]["advances"])
        + np.asarray(whole["series"]["declines"])
        + np.asarray(whole["series"]["unchanged"])
    )
    assert issues.max() == SYMBOLS


def test_breadth_history_is_extended_by_a_later_run(
    clean_cloud: LocalCloud, frames: dict[str, pd.DataFrame]
) -> None:
    publish_sample_dataset(TENANT, "sample", SYMBOLS)
    submit_run(TENANT, request(start=date(2018, 1, 1), end=date(2018, 6, 30)))
    clean_cloud.drain_queues()
    submit_run(TENANT, request(start=date(2018, 6, 1), end=date(2018, 12, 31)))
    clean_cloud.drain_queues()
    series = results.breadth_series(TENANT, "sample", "1d", None, None, None)
    assert series["time"][0].startswith("2018-01-01")
    assert series["time"][-1].startswith("2018-12-31")
    assert len(series["time"]) == len(set(series["time"]))


def test_stop_mid_run_ends_stopped_with_what_it_finished(
    clean_cloud: LocalCloud, frames: dict[str, pd.DataFrame]
) -> None:
    publish_sample_dataset(TENANT, "sample", SYMBOLS)
    record = submit_run(TENANT, request())
    clean_cloud.poller.poll_once(source(clean_cloud))  # one batch runs
    runs.stop_run(TENANT, record.job_id)
    clean_cloud.drain_queues()
    done = get_record(TENANT, record.job_id)
    assert done is not None
    assert done.status == "stopped"
    assert (int(done.shards_done), int(done.batches_skipped), int(done.combos_done)) == (3, 2, BATCH)
    table = results.run_signals(done).frame
    assert set(table["symbol"]) <= set(done.symbols[:BATCH])
    assert len(table) == done.summary["signals"]
    (note,) = [
        n for n in list_notifications(TENANT, 10, None)[0] if n.link == f"/pipeline/runs/{done.job_id}"
    ]
    assert (note.message["code"], note.message["params"]["done"], note.message["params"]["total"]) == (
        "pipeline.stopped",
        1,
        3,
    )
    with pytest.raises(Exception, match="already stopped"):
        runs.stop_run(TENANT, record.job_id)


def test_a_batch_that_fails_once_is_retried_and_counted_once(
    clean_cloud: LocalCloud, frames: dict[str, pd.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_sample_dataset(TENANT, "sample", SYMBOLS)
    real, calls = batch_module.run, {"n": 0}

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("a transient failure")
        return real(*args, **kwargs)

    monkeypatch.setattr(batch_module, "run", flaky)
    record = submit_run(TENANT, request())
    clean_cloud.drain_queues()
    done = get_record(TENANT, record.job_id)
    assert done is not None
    assert done.status == "succeeded"
    assert calls["n"] == 4
    assert (int(done.shards_done), int(done.combos_done)) == (3, SYMBOLS)
    assert int(done.signals_found) == len(expected_signals(frames, sorted(frames)))


def test_a_poison_batch_reaches_the_dlq_and_fails_the_run_with_its_symbols(
    clean_cloud: LocalCloud, frames: dict[str, pd.DataFrame]
) -> None:
    from tradewind.data import bars as bars_store
    from tradewind.data.marketdata import bars_key

    publish_sample_dataset(TENANT, "sample", SYMBOLS)
    broken = sorted(frames)[3]  # in the second batch
    bars_store.put_object(bars_key(TENANT, "sample", broken), b"not parquet", "application/octet-stream")
    bars_store._cache.clear()
    record = submit_run(TENANT, request())
    clean_cloud.drain_queues()

    done = get_record(TENANT, record.job_id)
    assert done is not None
    assert done.status == "failed"
    assert f"batch 1 ({broken}" in str(done.error) or broken in str(done.error)
    assert "batch 1" in str(done.error)
    assert done.holds_slot is None  # the running slot went with the final transition
    dlq = clean_cloud.queue_url("PipelineDeadLetters")
    dead = sqs().receive_message(QueueUrl=dlq, MaxNumberOfMessages=10)["Messages"]
    assert [json.loads(m["Body"])["batch"] for m in dead] == [1]
    assert not store.exists(run_result(TENANT, record.job_id, SIGNALS))
