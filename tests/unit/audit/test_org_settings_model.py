"""Organisation settings validation and the audit's diff summary (tradewind.orgsettings.model)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from tradewind.orgsettings.model import OrgSettingsBody, changed_keys


def _locs(exc: ValidationError) -> list[tuple[str | int, ...]]:
    return [tuple(e["loc"]) for e in exc.errors()]


def test_defaults_need_no_input() -> None:
    body = OrgSettingsBody()
    assert body.time_zone == "UTC"
    assert body.base_currency == "USD"
    assert body.job_defaults.cash == 10_000
    assert body.in_app("job.failed")
    assert "job.completed" in body.notifications


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/New_York", "UTC", "Asia/Kolkata"])
def test_iana_zones_are_accepted(zone: str) -> None:
    assert OrgSettingsBody(time_zone=zone).time_zone == zone


@pytest.mark.parametrize("zone", ["Mars/Olympus", "CET+1", "", "europe/paris"])
def test_unknown_zones_are_refused_at_their_field(zone: str) -> None:
    with pytest.raises(ValidationError) as caught:
        OrgSettingsBody(time_zone=zone)
    assert _locs(caught.value) == [("time_zone",)]


def test_currency_must_be_iso_4217() -> None:
    assert OrgSettingsBody(base_currency="EUR").base_currency == "EUR"
    for bad in ("XYZ", "eur", "EURO"):
        with pytest.raises(ValidationError) as caught:
            OrgSettingsBody(base_currency=bad)
        assert _locs(caught.value) == [("base_currency",)]


def test_job_defaults_are_bounded() -> None:
    with pytest.raises(ValidationError) as caught:
        OrgSettingsBody.model_validate({"job_defaults": {"cash": 0, "commission": 1.5}})
    assert sorted(_locs(caught.value)) == [("job_defaults", "cash"), ("job_defaults", "commission")]


def test_notification_kinds_are_known_and_missing_ones_stay_on() -> None:
    body = OrgSettingsBody.model_validate({"notifications": {"job.completed": {"in_app": False}}})
    assert not body.in_app("job.completed")
    assert body.in_app("job.failed")
    with pytest.raises(ValidationError) as caught:
        OrgSettingsBody.model_validate({"notifications": {"job.exploded": {"in_app": False}}})
    assert _locs(caught.value) == [("notifications",)]


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        OrgSettingsBody.model_validate({"colour": "blue"})
    assert _locs(caught.value) == [("colour",)]


def test_changed_keys_names_changed_leaves_only() -> None:
    before = OrgSettingsBody().model_dump(mode="json")
    after = OrgSettingsBody.model_validate(
        {"time_zone": "Europe/Paris", "job_defaults": {"cash": 5000}}
    ).model_dump(mode="json")
    assert changed_keys(before, after) == ["job_defaults.cash", "time_zone"]
    assert changed_keys(before, before) == []
