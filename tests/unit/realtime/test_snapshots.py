"""What a subscriber gets at once: only topics with a provider, in the dataset.status shape."""

import datetime as dt
import json

import pytest
from tradewind.data.marketdata import DatasetRecord, ImportProblem
from tradewind.realtime.messages import encode
from tradewind.realtime.snapshots import dataset_status, snapshot


def test_failed_dataset_status_carries_where_it_failed() -> None:
    at = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    record = DatasetRecord(
        *DatasetRecord.key("acme", "d1"),
        tenant_id="acme",
        dataset_id="d1",
        name="bars",
        status="failed",
        source="upload",
        error=ImportProblem(message="high < low", row=7, column="high"),
        created_at=at,
        updated_at=at,
    )
    assert json.loads(encode(dataset_status(record))) == {
        "dataset_id": "d1",
        "status": "failed",
        "synthetic": False,
        "symbols_count": 0,
        "rows": 0,
        "error": {"message": "high < low", "row": 7, "column": "high", "count": None},
        "updated_at": "2025-03-01T00:00:00+00:00",
    }


@pytest.mark.parametrize("topic", ["notifications", "health", "system"])
def test_topics_without_a_provider_have_no_snapshot(topic: str) -> None:
    assert snapshot("acme", topic) is None
