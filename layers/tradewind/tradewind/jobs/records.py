"""Job records: reading one, the write transactions on them, and the one way a job becomes final.

Nothing here loads pynamodb (or pandas) until it is needed: the realtime snapshot of a ``job:<id>``
topic and every workflow step read the record through here, so the WebSocket handlers' cold import
stays light.

Every final transition (reduce's ``succeeded``, MarkFailed's ``failed``, cancel, a workflow that could
not start) goes through :func:`finish`: one conditional write from the statuses it may leave, which
also releases the tenant's running slot (:mod:`tradewind.jobs.caps`) when the job holds one. A
transition that is retried, or that loses to another, fails its condition and releases nothing, so a
slot is released exactly once. The transition that wins also answers a workflow run waiting on the
job (its Step Functions task token: :mod:`tradewind.workflows.callback`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pynamodb.exceptions import TransactWriteError
    from pynamodb.expressions.update import Action
    from pynamodb.transactions import TransactWrite

    from tradewind.data.jobs import JobRecord

TRANSACT_ATTEMPTS = 8
"""Tries of a transaction that conflicts with another one on the same item."""
CONFLICT_BACKOFF = 0.05
"""Seconds: the first retry waits up to this (uniformly random), each further one up to twice as long."""
_FINISH_ATTEMPTS = 3


def get_record(tenant_id: str, job_id: str) -> JobRecord | None:
    """The job record as it is now (a strongly consistent read), or ``None`` if it does not exist."""
    from tradewind.data.jobs import JobRecord

    try:
        return JobRecord.get(*JobRecord.key(tenant_id, job_id), consistent_read=True)
    except JobRecord.DoesNotExist:
        return None


def transact(
    fill: Callable[[TransactWrite], None],
    *,
    attempts: int = TRANSACT_ATTEMPTS,
    backoff: float = CONFLICT_BACKOFF,
) -> None:
    """Run one write transaction on the main table; ``fill`` adds its items.

    DynamoDB cancels a transaction that meets another one on the same item (``TransactionConflict``,
    which botocore does not retry): that is tried again, up to ``attempts`` times with jittered
    exponential backoff. Anything else, a failed condition first of all, raises ``TransactWriteError``
    (see :func:`failed_conditions`).
    """
    from pynamodb.exceptions import TransactWriteError
    from pynamodb.transactions import TransactWrite

    from tradewind.data.jobs import JobRecord

    attempt = 0
    while True:
        try:
            with TransactWrite(connection=JobRecord._get_connection().connection) as transaction:
                fill(transaction)
        except TransactWriteError as exc:
            codes = {reason.code for reason in _reasons(exc) if reason}
            attempt += 1
            if "ConditionalCheckFailed" in codes or "TransactionConflict" not in codes or attempt >= attempts:
                raise
            time.sleep(random.uniform(0, backoff * 2 ** (attempt - 1)))
            continue
        return


def _reasons(exc: TransactWriteError) -> list[Any]:
    return list(exc.cancellation_reasons) if exc.cause_response_code == "TransactionCanceledException" else []


def failed_conditions(exc: TransactWriteError) -> dict[int, dict[str, Any] | None]:
    """The items (by their position in the transaction) whose condition failed, each with its old
    value when the item asked for it (``return_values="ALL_OLD"``) and existed."""
    return {
        position: reason.raw_item
        for position, reason in enumerate(_reasons(exc))
        if reason and reason.code == "ConditionalCheckFailed"
    }


def finish(
    record: JobRecord, status: str, only_from: Iterable[str], *, cause: str | None = None, **values: Any
) -> bool:
    """Make the job final: ``status`` and ``values`` (attribute names; ``None`` removes one), only if
    its status is one of ``only_from``, releasing its running slot in the same transaction when it
    holds one. The same write appends the change to the job's timeline, with ``cause`` (default: the
    error for ``failed``, else the status).

    True when this call made the transition (``record`` then holds the new values); False when the
    job had left ``only_from`` already (another transition won, or this is a retry): ``record`` is
    re-read (unless the job was deleted) and nothing is released.
    """
    from pynamodb.exceptions import TransactWriteError

    from tradewind.data.jobs import JobCounter, JobRecord
    from tradewind.jobs.spec import FINAL_STATUSES
    from tradewind.jobs.stats import count_final
    from tradewind.jobs.timeline import append_action, entry

    assert status in FINAL_STATUSES, status
    sources = tuple(only_from)
    if cause is None:
        cause = str(values.get("error") or status) if status == "failed" else status
    step = entry(status, cause, values.get("finished_at"))
    actions: list[Action] = [JobRecord.status.set(status), JobRecord.holds_slot.remove(), append_action(step)]
    for name, value in values.items():
        attribute = getattr(JobRecord, name)
        actions.append(attribute.remove() if value is None else attribute.set(value))
    running = JobCounter(*JobCounter.running_key(record.tenant_id))
    for _ in range(_FINISH_ATTEMPTS):
        held = bool(record.holds_slot)
        condition = JobRecord.status.is_in(*sources) & (
            JobRecord.holds_slot.exists() if held else JobRecord.holds_slot.does_not_exist()
        )

        def fill(transaction: TransactWrite, held: bool = held, condition: Any = condition) -> None:
            transaction.update(record, actions=actions, condition=condition)
            if held:
                transaction.update(running, actions=[JobCounter.jobs.add(-1)])
            count_final(transaction, record, status, values.get("finished_at"))

        try:
            transact(fill)
        except TransactWriteError as exc:
            if not failed_conditions(exc):
                raise
            try:
                record.refresh(consistent_read=True)
            except JobRecord.DoesNotExist:
                return False  # deleted meanwhile: nothing to transition, nothing to release
            if record.status not in sources:
                return False
            continue  # the slot flag read earlier was stale: decide again on the fresh record
        record.status, record.holds_slot = status, None
        record.timeline = [*(record.timeline or []), step]
        for name, value in values.items():
            setattr(record, name, value)
        from tradewind.workflows.callback import job_ended

        job_ended(record)  # a workflow step's job: its run waits for this (docs/workflows.md)
        return True
    raise RuntimeError(f"job {record.job_id}: the final transition kept failing its condition")
