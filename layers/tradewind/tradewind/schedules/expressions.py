"""Schedule expressions as EventBridge Scheduler reads them (docs/schedules.md): checking one, and its
next fire times in its time zone.

- ``rate(N minute|minutes|hour|hours|day|days)``: every N units from the schedule's creation
  (singular unit for 1, plural above, as AWS requires);
- ``cron(minutes hours day-of-month month day-of-week year)``: AWS's six fields, one of the two day
  fields ``?``; day-of-week 1-7 is SUN-SAT (names work too); the year field ``*`` (or ``?``);
- ``at(yyyy-mm-ddThh:mm:ss)``: once, at that local time.

cron and at are evaluated in the schedule's IANA time zone (daylight saving included, by croniter
over ``zoneinfo``); times are returned in UTC. The local ticker (infra/local/ticker.py) uses the same
functions, so what the API shows is what fires locally.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

RATE = re.compile(r"^rate\((\d{1,6})\s+(minute|minutes|hour|hours|day|days)\)$")
AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")
CRON = re.compile(r"^cron\((.+)\)$")
UNITS = {"minute": 60, "hour": 3600, "day": 86400}
_FIELD = re.compile(r"^[0-9A-Za-z*?,/#L\-]+$")


class ExpressionError(ValueError):
    """An expression or time zone EventBridge Scheduler would refuse (the message says why)."""


def zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ExpressionError(f"unknown time zone {timezone!r} (an IANA name such as Europe/Paris)") from exc


def aws_cron_to_croniter(fields: str) -> str:
    """AWS ``min hour dom month dow year`` -> five-field cron (``?`` -> ``*``, dow 1-7 -> 0-6)."""
    parts = fields.split()
    if len(parts) != 6:
        raise ExpressionError(
            f"cron needs 6 fields (minutes hours day-of-month month day-of-week year), got {len(parts)}"
        )
    minute, hour, dom, month, dow, year = parts
    if not all(_FIELD.match(p) for p in parts):
        raise ExpressionError("cron fields hold digits, names, and * ? , - / L #")
    if year not in ("*", "?"):
        raise ExpressionError("the year field must be * here")
    if "?" not in (dom, dow):
        raise ExpressionError("one of day-of-month and day-of-week must be ?")
    if any(not 1 <= int(day) <= 7 for day in re.findall(r"(?<![#\d])(\d+)", dow)):
        raise ExpressionError("day-of-week is 1-7 (SUN-SAT) or a name (MON-FRI)")
    dow = re.sub(r"(?<![#\d])(\d+)", lambda m: str(int(m.group(1)) - 1), dow)
    return " ".join(part.replace("?", "*") for part in (minute, hour, dom, month, dow))


def _interval(match: re.Match[str]) -> timedelta:
    count, unit = int(match.group(1)), match.group(2)
    if count < 1:
        raise ExpressionError("a rate needs a value of at least 1")
    if (count == 1) != (not unit.endswith("s")):
        raise ExpressionError(
            f"write rate(1 {unit.rstrip('s')}) for one and rate(N {unit.rstrip('s')}s) for more"
        )
    return timedelta(seconds=count * UNITS[unit.rstrip("s")])


def validate(expression: str, timezone: str = "UTC") -> None:
    """Raise :class:`ExpressionError` unless EventBridge Scheduler would take the expression."""
    zone(timezone)
    text = expression.strip()
    if rate := RATE.match(text):
        _interval(rate)
        return
    if at := AT.match(text):
        try:
            datetime.fromisoformat(at.group(1))
        except ValueError as exc:
            raise ExpressionError(f"not a date and time: {at.group(1)}") from exc
        return
    if cron := CRON.match(text):
        from croniter import croniter

        converted = aws_cron_to_croniter(cron.group(1))
        if not croniter.is_valid(converted):
            raise ExpressionError(f"not a valid cron expression: {cron.group(1)}")
        return
    raise ExpressionError("write rate(N unit), cron(six fields) or at(yyyy-mm-ddThh:mm:ss)")


def next_fire(
    expression: str, after: datetime, timezone: str = "UTC", anchor: datetime | None = None
) -> datetime | None:
    """The first fire time strictly after ``after`` (UTC), or None when a one-off time has passed.

    ``anchor`` (a rate's start, its schedule's creation) makes rate times ``anchor + k * interval``;
    without it the next one is ``after + interval``.
    """
    text = expression.strip()
    if rate := RATE.match(text):
        step = _interval(rate)
        if anchor is None:
            return after + step
        periods = 1 if after < anchor else (after - anchor) // step + 1
        return anchor + periods * step
    tz = zone(timezone)
    if at := AT.match(text):
        moment = datetime.fromisoformat(at.group(1)).replace(tzinfo=tz).astimezone(UTC)
        return moment if moment > after else None
    if cron := CRON.match(text):
        from croniter import croniter

        base = after.astimezone(tz)
        fire: datetime = croniter(aws_cron_to_croniter(cron.group(1)), base).get_next(datetime)
        return fire.astimezone(UTC)
    raise ExpressionError(f"unsupported schedule expression {expression!r}")


def next_fires(
    expression: str,
    timezone: str,
    count: int = 5,
    after: datetime | None = None,
    anchor: datetime | None = None,
) -> list[datetime]:
    """The next ``count`` fire times (fewer for a one-off), UTC."""
    moment = after or datetime.now(UTC)
    found: list[datetime] = []
    while len(found) < count:
        following = next_fire(expression, moment, timezone, anchor)
        if following is None:
            break
        found.append(following)
        moment = following
    return found
