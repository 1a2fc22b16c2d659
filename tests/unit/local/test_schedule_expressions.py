"""Scheduler expressions as the local ticker reads them (AWS syntax, not Unix cron)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from infra.local.ticker import aws_cron_to_croniter, next_fire

T0 = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)  # a Tuesday


def test_rate_fires_one_interval_later() -> None:
    assert next_fire("rate(10 minutes)", T0) == T0 + timedelta(minutes=10)
    assert next_fire("rate(1 hour)", T0) == T0 + timedelta(hours=1)
    assert next_fire("rate(2 days)", T0) == T0 + timedelta(days=2)


def test_aws_cron_day_of_week_counts_sunday_as_one() -> None:
    assert aws_cron_to_croniter("0 9 ? * 2 *") == "0 9 * * 1"
    assert aws_cron_to_croniter("0 9 ? * 2-6 *") == "0 9 * * 1-5"
    assert aws_cron_to_croniter("0 9 ? * MON-FRI *") == "0 9 * * MON-FRI"
    assert aws_cron_to_croniter("0 9 ? * 6#3 *") == "0 9 * * 5#3"


def test_cron_next_fire_is_in_the_schedule_timezone() -> None:
    # 09:00 on Mondays (AWS dow 2) in New York = 14:00 UTC in January
    assert next_fire("cron(0 9 ? * 2 *)", T0, "America/New_York") == datetime(2030, 1, 7, 14, 0, tzinfo=UTC)
    assert next_fire("cron(30 12 * * ? *)", T0) == T0 + timedelta(minutes=30)


def test_at_fires_once() -> None:
    assert next_fire("at(2030-01-01T12:05:00)", T0) == T0 + timedelta(minutes=5)
    assert next_fire("at(2030-01-01T11:00:00)", T0) is None


@pytest.mark.parametrize("expression", ["rate(5 weeks)", "cron(0 9 * *)", "every day"])
def test_unsupported_expressions_are_rejected(expression: str) -> None:
    with pytest.raises(ValueError, match=r"cron|expression"):
        next_fire(expression, T0)
