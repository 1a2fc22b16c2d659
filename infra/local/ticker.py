"""Fire EventBridge Scheduler schedules locally (moto stores schedules but never fires them).

The ticker reads the schedules from the embedded Scheduler API, in every group — the ones
provisioned from the template and the users' schedules the API creates at run time in the stage's
group (docs/schedules.md) — and at each due time sends the target its ``Input``, with
``<aws.scheduler.scheduled-time>`` replaced by the fire's time as EventBridge Scheduler does: a
Lambda target is invoked through moto (so the in-process runtime runs it), a state machine target
gets an execution, an SQS target a message. Expressions are read by
:mod:`tradewind.schedules.expressions` (what the API shows as next fire times): a ``rate`` counts
from the schedule's creation, and a schedule first seen shortly after its time (an ``at`` a few
seconds ahead, read at the next refresh) fires once, late, rather than never. The clock is
injectable for tests.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from tradewind.schedules.expressions import RATE, aws_cron_to_croniter, next_fire

__all__ = ["ScheduleState", "Ticker", "aws_cron_to_croniter", "next_fire"]

log = logging.getLogger("tradewind.local.ticker")

SCHEDULED_TIME = "<aws.scheduler.scheduled-time>"
CATCH_UP = timedelta(seconds=60)
"""A schedule first seen after its first fire time, within this long, fires once at once."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class ScheduleState:
    """A schedule as last read, with its next due time."""

    name: str
    group: str
    expression: str
    timezone: str
    target_arn: str
    payload: str
    due: datetime | None


class Ticker:
    """Keeps the schedules' due times and fires the targets whose time has come."""

    def __init__(self, clock: Callable[[], datetime] = _utcnow, region: str = "us-east-1") -> None:
        self.clock = clock
        self.region = region
        self.schedules: dict[tuple[str, str], ScheduleState] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        session = boto3.session.Session(region_name=region)
        self._scheduler = session.client("scheduler")
        self._targets = {name: session.client(name) for name in ("lambda", "stepfunctions", "sqs")}

    def refresh(self) -> None:
        """Re-read the schedules; a schedule keeps its due time unless its expression changed."""
        now = self.clock()
        seen: dict[tuple[str, str], ScheduleState] = {}
        for summary in self._list():
            if summary.get("State") != "ENABLED":
                continue
            group = summary.get("GroupName", "default")
            detail = self._scheduler.get_schedule(Name=summary["Name"], GroupName=group)
            key = (group, detail["Name"])
            expression = detail["ScheduleExpression"]
            timezone = detail.get("ScheduleExpressionTimezone") or "UTC"
            previous = self.schedules.get(key)
            if previous and previous.expression == expression and previous.timezone == timezone:
                previous.target_arn = detail["Target"]["Arn"]
                previous.payload = detail["Target"].get("Input") or "{}"
                seen[key] = previous
                continue
            # A schedule created moments ago (through the API) counts from its creation, as AWS
            # does: its rate times match the API's next fire times, and an `at` already passed fires.
            created = detail.get("CreationDate")
            fresh = isinstance(created, datetime) and now - CATCH_UP < created.astimezone(UTC) <= now
            anchor = created.astimezone(UTC) if fresh and isinstance(created, datetime) else None
            try:
                rate = RATE.match(expression.strip())
                due = next_fire(expression, anchor or now, timezone, anchor if rate else None)
            except ValueError as error:
                log.warning("schedule %s ignored: %s", detail["Name"], error)
                continue
            seen[key] = ScheduleState(
                detail["Name"],
                group,
                expression,
                timezone,
                detail["Target"]["Arn"],
                detail["Target"].get("Input") or "{}",
                due,
            )
        self.schedules = seen

    def restore_user_schedules(self) -> int:
        """Re-create the EventBridge twins of the users' saved schedules (moto's Scheduler state is not
        saved across a restart; the records in the main table are). Returns how many were made."""
        try:
            from tradewind.schedules.records import ScheduleRecord
            from tradewind.schedules.service import ensure_eventbridge

            made = 0
            for record in ScheduleRecord.scan(ScheduleRecord.sk.startswith(ScheduleRecord.SORT_PREFIX)):
                made += ensure_eventbridge(record)
        except Exception:
            log.exception("could not restore the users' schedules")
            return 0
        if made:
            log.info("restored %d user schedules into the local Scheduler", made)
        return made

    def _list(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {}
        while True:
            page = self._scheduler.list_schedules(**kwargs)
            found.extend(page.get("Schedules", []))
            if not page.get("NextToken"):
                return found
            kwargs["NextToken"] = page["NextToken"]

    def tick(self) -> list[str]:
        """Fire every schedule that is due now; return their names."""
        now = self.clock()
        fired = []
        for state in list(self.schedules.values()):
            if state.due is None or state.due > now:
                continue
            self.fire(state, state.due)
            fired.append(state.name)
            following = next_fire(state.expression, state.due, state.timezone)
            while following is not None and following <= now:
                following = next_fire(state.expression, following, state.timezone)
            state.due = following
        return fired

    def fire(self, state: ScheduleState, at: datetime | None = None) -> None:
        """Deliver the schedule's input to its target (errors are logged, like a failed target)."""
        arn = state.target_arn
        service = arn.split(":")[2] if arn.count(":") >= 5 else ""
        moment = (at or self.clock()).astimezone(UTC).replace(microsecond=0)
        payload = state.payload.replace(SCHEDULED_TIME, moment.isoformat().replace("+00:00", "Z"))
        log.info("schedule %s fired -> %s", state.name, arn)
        try:
            if service == "lambda":
                response = self._targets["lambda"].invoke(FunctionName=arn, Payload=payload.encode())
                if response.get("FunctionError"):
                    log.warning(
                        "schedule %s: target failed: %s", state.name, response["Payload"].read()[:500]
                    )
            elif service == "states":
                self._targets["stepfunctions"].start_execution(stateMachineArn=arn, input=payload)
            elif service == "sqs":
                *_, account, name = arn.split(":")
                url = self._targets["sqs"].get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)[
                    "QueueUrl"
                ]
                self._targets["sqs"].send_message(QueueUrl=url, MessageBody=payload)
            else:
                log.warning("schedule %s: target %s is not emulated locally", state.name, arn)
        except Exception:
            log.exception("schedule %s: delivering to %s failed", state.name, arn)

    def start(self, interval: float = 1.0, refresh_every: float = 5.0) -> None:
        """Tick every ``interval`` seconds on a daemon thread, re-reading schedules now and then."""

        def loop() -> None:
            last_refresh = float("-inf")
            elapsed = 0.0
            while not self._stop.wait(interval):
                elapsed += interval
                try:
                    if elapsed - last_refresh >= refresh_every:
                        self.refresh()
                        last_refresh = elapsed
                    self.tick()
                except Exception:
                    log.exception("ticker round failed")

        self.restore_user_schedules()
        self.refresh()
        self._thread = threading.Thread(target=loop, name="ticker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop ticking."""
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
