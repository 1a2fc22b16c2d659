"""Organisation settings over the API under moto: defaults before any save, If-Match concurrency
(428 without, 412 when stale), validation at the field, the audit's diff of changed keys, isolation,
notification routing, and job defaults applied to a new backtest."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind.data.audit import AuditRecord
from tradewind.jobs.store import read_spec

from tests.unit.api.jobs_support import SYMBOLS, sma_cross


def _get(api: TestClient, h: dict[str, str]) -> tuple[dict[str, Any], str]:
    r = api.get("/settings", headers=h)
    assert r.status_code == 200, r.text
    return dict(r.json()), r.headers["ETag"]


def _editable(current: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body = {k: current[k] for k in ("time_zone", "base_currency", "job_defaults", "notifications")}
    return {**body, **changes}


def test_defaults_before_any_save(api: TestClient, h: dict[str, str]) -> None:
    current, etag = _get(api, h)
    assert etag == '"0"'
    assert current["version"] == 0
    assert (current["time_zone"], current["base_currency"]) == ("UTC", "USD")
    assert current["job_defaults"]["cash"] == 10_000
    assert current["notifications"]["job.failed"] == {"in_app": True}


def test_save_needs_if_match_and_a_stale_one_is_refused(api: TestClient, h: dict[str, str]) -> None:
    current, etag = _get(api, h)
    body = _editable(current, time_zone="Europe/Paris")
    missing = api.put("/settings", json=body, headers=h)
    assert missing.status_code == 428
    assert missing.json()["errors"][0]["loc"] == ["header", "If-Match"]
    first = api.put("/settings", json=body, headers={**h, "If-Match": etag})
    assert first.status_code == 200, first.text
    assert first.headers["ETag"] == '"1"'
    assert first.json()["time_zone"] == "Europe/Paris"
    assert first.json()["updated_by"].startswith("key:")
    # a second admin edited version 0 too: refused, nothing overwritten
    other = api.put(
        "/settings", json=_editable(current, base_currency="EUR"), headers={**h, "If-Match": etag}
    )
    assert other.status_code == 412
    assert other.json()["errors"][0]["loc"] == ["header", "If-Match"]
    after, after_etag = _get(api, h)
    assert (after["time_zone"], after["base_currency"], after_etag) == ("Europe/Paris", "USD", '"1"')
    assert api.put("/settings", json=body, headers={**h, "If-Match": "nonsense"}).status_code == 412


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"time_zone": "Mars/Base"}, ["body", "time_zone"]),
        ({"base_currency": "XYZ"}, ["body", "base_currency"]),
        ({"job_defaults": {"cash": -1}}, ["body", "job_defaults", "cash"]),
        ({"notifications": {"job.exploded": {"in_app": False}}}, ["body", "notifications"]),
    ],
)
def test_bad_settings_are_refused_at_their_field(
    api: TestClient, h: dict[str, str], change: dict[str, Any], loc: list[Any]
) -> None:
    current, etag = _get(api, h)
    r = api.put("/settings", json=_editable(current, **change), headers={**h, "If-Match": etag})
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["loc"] == loc
    assert _get(api, h)[1] == '"0"'


def test_a_change_is_audited_with_the_keys_it_changed(api: TestClient, h: dict[str, str]) -> None:
    current, etag = _get(api, h)
    body = _editable(current, time_zone="Asia/Tokyo", job_defaults={**current["job_defaults"], "cash": 5000})
    assert api.put("/settings", json=body, headers={**h, "If-Match": etag}).status_code == 200
    pk, prefix = AuditRecord.key("acme")
    [row] = [
        r for r in AuditRecord.query(pk, AuditRecord.sk.startswith(prefix)) if r.action == "settings.update"
    ]
    assert row.details["changed"] == ["job_defaults.cash", "time_zone"]
    assert row.status == 200
    listed = api.get("/audit", params={"action": "settings.update"}, headers=h).json()["items"]
    assert listed[0]["details"]["changed"] == ["job_defaults.cash", "time_zone"]


def test_organisations_do_not_share_settings(
    api: TestClient, h: dict[str, str], other: dict[str, str]
) -> None:
    current, etag = _get(api, h)
    api.put("/settings", json=_editable(current, base_currency="EUR"), headers={**h, "If-Match": etag})
    assert _get(api, other)[0]["base_currency"] == "USD"


def test_a_kind_turned_off_produces_no_notification(api: TestClient, h: dict[str, str]) -> None:
    from tradewind.services import notifications

    current, etag = _get(api, h)
    routes = {**current["notifications"], "job.completed": {"in_app": False}}
    r = api.put("/settings", json=_editable(current, notifications=routes), headers={**h, "If-Match": etag})
    assert r.status_code == 200, r.text
    assert notifications.notify("acme", "job.completed", "done", "ok") is None
    assert notifications.notify("acme", "job.failed", "bad", "no") is not None
    listed = api.get("/notifications", headers=h).json()["items"]
    assert [n["kind"] for n in listed] == ["job.failed"]


def test_job_defaults_apply_to_a_backtest_that_omits_them(
    api: TestClient, h: dict[str, str], machine: str, data: tuple[str, Any]
) -> None:
    dataset_id, _ = data
    current, etag = _get(api, h)
    defaults = {"cash": 25_000, "commission": 0.001, "commission_fixed": 1.0, "slippage_bps": 5}
    r = api.put("/settings", json=_editable(current, job_defaults=defaults), headers={**h, "If-Match": etag})
    assert r.status_code == 200, r.text
    request = {"strategy": sma_cross(), "dataset_id": dataset_id, "symbols": SYMBOLS[:1]}
    omitted = api.post("/backtests", json=request, headers=h)
    assert omitted.status_code == 202, omitted.text
    spec = read_spec("acme", omitted.json()["job_id"])
    assert spec.cash == 25_000
    assert spec.strategy.costs.model_dump() == {
        "commission": 0.001,
        "commission_fixed": 1.0,
        "slippage_bps": 5,
    }
    # what the request says wins
    given = {**request, "cash": 1_000, "costs": {"commission": 0.002}, "force": True}
    explicit = api.post("/backtests", json=given, headers=h)
    assert explicit.status_code == 202, explicit.text
    spec = read_spec("acme", explicit.json()["job_id"])
    assert spec.cash == 1_000
    assert spec.strategy.costs.commission == 0.002
    assert spec.strategy.costs.slippage_bps == 0
