"""``query_page``, the one page query behind every list route, on moto's DynamoDB: pages of ``limit``
in either order with the key to continue from, on the table and on ``gsi1``, filtered (a filtered
page is still filled to ``limit``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from moto import mock_aws
from tradewind.aws import reset_clients
from tradewind.data.notifications import NotificationRecord
from tradewind.data.table import query_page

TENANT = "acme"


@pytest.fixture(autouse=True)
def notifications(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Five notifications n0..n4 (n1 and n3 read), and one of another tenant."""
    monkeypatch.setenv("TW_TABLE_NAME", "tw-test-main")
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        monkeypatch.delenv(name, raising=False)
    reset_clients()
    with mock_aws():
        NotificationRecord.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
        for tenant, n in [(TENANT, n) for n in range(5)] + [("globex", 9)]:
            read = n in (1, 3)
            gsi = (None, None) if read else NotificationRecord.unread_key(tenant, f"n{n}")
            NotificationRecord(
                *NotificationRecord.key(tenant, f"n{n}"),
                gsi1pk=gsi[0],
                gsi1sk=gsi[1],
                tenant_id=tenant,
                notification_id=f"n{n}",
                kind="job.completed",
                title="t",
                body="b",
                created_at=datetime.now(UTC),
                read_at=datetime.now(UTC) if read else None,
            ).save()
        yield
    reset_clients()


def pages(newest_first: bool, **filters: object) -> list[list[str]]:
    pk, prefix = NotificationRecord.key(TENANT)
    found, start = [], None
    while True:
        rows, start = query_page(
            NotificationRecord.query,
            pk,
            NotificationRecord.sk.startswith(prefix),
            limit=2,
            start=start,
            newest_first=newest_first,
            **filters,  # type: ignore[arg-type]
        )
        found.append([r.notification_id for r in rows])
        if start is None:
            return found


def test_pages_of_limit_in_either_order_then_no_key() -> None:
    assert pages(newest_first=False) == [["n0", "n1"], ["n2", "n3"], ["n4"]]
    assert pages(newest_first=True) == [["n4", "n3"], ["n2", "n1"], ["n0"]]


def test_a_filtered_page_is_filled_to_limit_whatever_the_read_size() -> None:
    unread = NotificationRecord.read_at.does_not_exist()
    assert pages(newest_first=False, filter_condition=unread) == [["n0", "n2"], ["n4"]]
    assert pages(newest_first=False, filter_condition=unread, page_size=1) == [["n0", "n2"], ["n4"]]
    assert pages(newest_first=True, filter_condition=unread, page_size=5) == [["n4", "n2"], ["n0"]]


def test_the_index_query_continues_from_its_key() -> None:
    hash_key, prefix = NotificationRecord.unread_key(TENANT)
    query, condition = NotificationRecord.gsi1.query, NotificationRecord.gsi1sk.startswith(prefix)
    first, start = query_page(query, hash_key, condition, limit=2, start=None)
    assert [r.notification_id for r in first] == ["n0", "n2"]
    assert start is not None
    assert set(start) == {"pk", "sk", "gsi1pk", "gsi1sk"}
    rest, end = query_page(query, hash_key, condition, limit=2, start=start)
    assert ([r.notification_id for r in rest], end) == (["n4"], None)
