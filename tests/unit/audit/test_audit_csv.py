"""The CSV and JSON-lines shapes of audit entries (tradewind.audit.trail)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from tradewind.audit.trail import FIELDS, Entry, csv_lines, json_line


def _entry(n: int, **overrides: object) -> Entry:
    values: dict[str, object] = {
        "audit_id": f"{n:012x}abcdef0123",
        "created_at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "org_id": "acme",
        "actor": "key:k1",
        "action": "strategies.update",
        "target_id": "s1",
        "outcome": "success",
        "status": 200,
        "method": "PUT",
        "path": "/strategies/s1",
        "route": "/strategies/{strategy_id}",
        "request_id": "r1",
        "source_ip": "10.0.0.1",
        "user_agent": 'agent "quoted", with comma',
        "details": {},
    }
    values.update(overrides)
    return Entry(**values)  # type: ignore[arg-type]


def test_csv_has_a_header_and_one_quoted_row_per_entry() -> None:
    text = "".join(csv_lines(iter([_entry(1), _entry(2, target_id=None, details={"changed": ["a"]})])))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(FIELDS)
    assert len(rows) == 3
    first = dict(zip(FIELDS, rows[1], strict=True))
    assert first["user_agent"] == 'agent "quoted", with comma'
    assert first["created_at"] == "2026-01-02T03:04:05+00:00"
    second = dict(zip(FIELDS, rows[2], strict=True))
    assert second["target_id"] == ""
    assert json.loads(second["details"]) == {"changed": ["a"]}


def test_csv_streams_in_chunks_for_many_rows() -> None:
    chunks = list(csv_lines(iter([_entry(n) for n in range(500)])))
    assert len(chunks) > 1
    assert sum(chunk.count("\r\n") for chunk in chunks) == 501


def test_json_line_has_every_field() -> None:
    line = json.loads(json_line(_entry(1)))
    assert list(line) == list(FIELDS)
    assert line["status"] == 200
