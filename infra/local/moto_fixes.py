"""Work-arounds for moto bugs that the local cloud hits (moto is pinned exactly in pyproject).

- getmoto/moto#10077 (fixed upstream by #10093): a second ``StartExecution`` of a state machine that
  already ran fails with ``cannot pickle '_thread.RLock'``, because ``start_execution`` deep-copies
  the state machine including the live worker of every earlier execution. The copy is only a
  snapshot of the definition, so sharing the worker objects instead of copying them is safe.
  Drop this when the pin moves to a release that contains the fix.
- The same deep copy also copies the state machine's ``backend`` (every state machine) and its
  ``executions`` (each holding its own copy made the same way), so every ``StartExecution`` copied
  all history before it: memory and time grew exponentially with a machine's executions (the API
  fuzz, which starts workflow runs again and again on one cloud, reached 17 GB). The snapshot now
  copies only what an execution reads from it (definition, role, type, configurations) and shares
  the backend, with no history.
- moto 5.2.1's ASL grammar accepts only ``"ExecutionType": "STANDARD"`` in a Distributed Map's
  ``ItemProcessor.ProcessorConfig``, while AWS also takes ``"EXPRESS"`` (what the job workflow uses:
  its children are short and numerous). The parser is wrapped to read ``EXPRESS`` children as
  ``STANDARD`` ones; the stored definition is unchanged. Locally the two behave the same (each
  child runs once, in-process); AWS's 5-minute limit on EXPRESS children is not emulated.
- moto 5.2.1's Distributed Map counts a child that failed (after its retries) but never fails the
  Map for it: ``ToleratedFailureCount``/``ToleratedFailurePercentage`` (default 0: no failure
  tolerated) are parsed and ignored, so a workflow would go on to its next state with items missing.
  After the Map run, the failed and timed-out items are compared with the thresholds, and the Map
  fails with ``States.ExceedToleratedFailureThreshold`` as in AWS. Approximation: a run fails when
  it exceeds both thresholds (AWS: either one that is set; moto cannot tell an unset one from 0).
- moto 5.2.1's ``TransactWriteItems`` deep-copies every table it touches before applying, and on a
  cancelled transaction puts the copies back in place of the live tables. With concurrent writers
  (the job workers count shards in transactions) that copy raises "dictionary changed size during
  iteration", costs a copy of the whole table per transaction, and a cancelled transaction's
  rollback erases every other writer's changes made in between. Here transactions run one at a time
  and a cancelled one restores only the items it targeted; table copies are skipped.
- moto 5.2.1's ``SendTaskFailure`` drops the ``cause`` (its response handler passes only the
  error), so a ``.waitForTaskToken`` task's Catch saw ``"Cause": null``. The handler is wrapped to
  pass it on (the workflow state machine names a failed step's reason from it: docs/workflows.md).
- moto 5.2.1's ``StopExecution`` does not end an execution whose task waits on a task token: the
  task's wait is not interrupted, so the execution stayed ``RUNNING`` until the token was answered
  (then it went on through its Catch and ended ``FAILED``). A stop now also answers the execution's
  pending tokens with a failure, so the stopped program ends at once, and an error raised while it
  unwinds no longer turns the stopped program into a failed one: it ends ``ABORTED``, as in AWS.
"""

from __future__ import annotations

import copy
import inspect
import json
import threading
from typing import Any, cast


def install() -> None:
    """Apply every fix (idempotent)."""
    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

    def _share(self: Any, memo: dict[int, Any]) -> Any:
        return self

    ExecutionWorker.__deepcopy__ = _share  # type: ignore[attr-defined]
    _snapshot_state_machines_without_history()
    _read_express_children_as_standard()
    _fail_maps_beyond_tolerated_failures()
    _roll_back_transactions_item_by_item()
    _keep_task_failure_causes()
    _stop_ends_callback_waits()


def _snapshot_state_machines_without_history() -> None:
    from moto.stepfunctions.models import StateMachineInstance

    def _snapshot(self: Any, memo: dict[int, Any]) -> Any:
        clone = copy.copy(self)  # the backend, versions and aliases are shared, not copied
        clone.executions = []
        for name in ("encryptionConfiguration", "loggingConfiguration", "tracingConfiguration"):
            setattr(clone, name, copy.deepcopy(getattr(self, name), memo))
        return clone

    StateMachineInstance.__deepcopy__ = _snapshot  # type: ignore[attr-defined]


def _stop_ends_callback_waits() -> None:
    from moto.stepfunctions.parser.asl.eval.callback.callback import CallbackOutcomeFailure
    from moto.stepfunctions.parser.asl.eval.environment import Environment
    from moto.stepfunctions.parser.asl.eval.program_state import ProgramStopped
    from moto.stepfunctions.parser.backend.execution import Execution

    if getattr(Execution.stop, "_tradewind_fix", False):
        return
    original = Execution.stop

    def stop(self: Any, stop_date: Any, error: str | None, cause: str | None) -> None:
        original(self, stop_date=stop_date, error=error, cause=cause)
        worker = getattr(self, "exec_worker", None)
        pool = getattr(getattr(worker, "env", None), "callback_pool_manager", None)
        for callback_id, endpoint in list(getattr(pool, "_pool", {}).items()):
            if endpoint.get_outcome() is None:
                endpoint.notify(CallbackOutcomeFailure(callback_id, "States.Aborted", "execution stopped"))

    stop._tradewind_fix = True  # type: ignore[attr-defined]
    Execution.stop = stop  # type: ignore[method-assign]
    set_error = Environment.set_error

    def keep_stopped(self: Any, error: Any) -> None:
        if not isinstance(self._program_state, ProgramStopped):
            set_error(self, error)

    Environment.set_error = keep_stopped  # type: ignore[method-assign]


def _keep_task_failure_causes() -> None:
    from moto.core.responses import EmptyResult
    from moto.stepfunctions.responses import StepFunctionResponse

    def send_task_failure(self: Any) -> Any:
        backend = self.stepfunction_backend
        extra = {"cause": self._get_param("cause")}
        if "cause" not in inspect.signature(backend.send_task_failure).parameters:
            extra = {}  # the non-executing backend (execute_state_machine off) takes no cause
        backend.send_task_failure(self._get_param("taskToken"), error=self._get_param("error"), **extra)
        return EmptyResult()

    StepFunctionResponse.send_task_failure = send_task_failure  # type: ignore[method-assign]


def express_as_standard(definition: str) -> str:
    """The definition with every ``ProcessorConfig`` ``ExecutionType`` ``EXPRESS`` read as ``STANDARD``."""
    try:
        document = json.loads(definition)
    except ValueError:
        return definition  # moto reports the syntax error itself

    def visit(node: Any) -> bool:
        changed = False
        if isinstance(node, dict):
            config = node.get("ProcessorConfig")
            if isinstance(config, dict) and config.get("ExecutionType") == "EXPRESS":
                config["ExecutionType"] = "STANDARD"
                changed = True
            for value in node.values():
                changed |= visit(value)
        elif isinstance(node, list):
            for value in node:
                changed |= visit(value)
        return changed

    return json.dumps(document) if visit(document) else definition


def _read_express_children_as_standard() -> None:
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    if getattr(AmazonStateLanguageParser.parse, "_tradewind_express", False):
        return
    original = AmazonStateLanguageParser.parse

    def parse(definition: str) -> Any:
        return original(express_as_standard(definition))

    parse._tradewind_express = True  # type: ignore[attr-defined]
    AmazonStateLanguageParser.parse = staticmethod(parse)  # type: ignore[method-assign]


def _fail_maps_beyond_tolerated_failures() -> None:
    from moto.stepfunctions.parser.api import ExecutionFailedEventDetails, HistoryEventType
    from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
        FailureEvent,
        FailureEventException,
    )
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import (
        StatesErrorName,
    )
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
        StatesErrorNameType,
    )
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.distributed_iteration_component import (  # noqa: E501
        DistributedIterationComponent,
    )
    from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails

    if getattr(DistributedIterationComponent._map_run, "_tradewind_tolerance", False):
        return
    original = DistributedIterationComponent._map_run
    error = StatesErrorNameType.StatesExceedToleratedFailureThreshold

    def _map_run(self: Any, env: Any, eval_input: Any) -> None:
        original(self, env, eval_input)
        if not env.is_running():  # stopped (StopExecution) meanwhile: items cut short are no failures
            return
        items = eval_input.map_run_record.item_counter
        failed, total = items.failed.get() + items.timed_out.get(), items.total.get()
        over_count = failed > eval_input.tolerated_failure_count
        over_share = total > 0 and 100.0 * failed / total > eval_input.tolerated_failure_percentage
        if over_count and over_share:
            raise FailureEventException(
                failure_event=FailureEvent(
                    env=env,
                    error_name=StatesErrorName(typ=error),
                    event_type=HistoryEventType.ExecutionFailed,
                    event_details=cast(
                        EventDetails,
                        {
                            "executionFailedEventDetails": ExecutionFailedEventDetails(
                                error=error.to_name(),
                                cause="The specified tolerated failure threshold was exceeded",
                            )
                        },
                    ),
                )
            )

    _map_run._tradewind_tolerance = True  # type: ignore[attr-defined]
    DistributedIterationComponent._map_run = _map_run  # type: ignore[method-assign]


class _CopyExceptTables:
    """moto's ``copy`` module, except that a DynamoDB table "copy" is the table itself."""

    def __init__(self, table_type: type) -> None:
        self._table_type = table_type

    def deepcopy(self, value: Any, memo: dict[int, Any] | None = None) -> Any:
        return value if isinstance(value, self._table_type) else copy.deepcopy(value, memo)


def _transaction_targets(
    backend: Any, transact_items: list[dict[str, Any]]
) -> list[tuple[str, dict[str, Any]]]:
    """``(table name, key)`` of every item a transaction writes or checks."""
    targets = []
    for entry in transact_items:
        _, op = next(iter(entry.items()))
        name = op.get("TableName")
        if name not in backend.tables:
            continue
        table = backend.tables[name]
        if "Key" in op:
            key = op["Key"]
        else:
            key_names = [k for k in (table.hash_key_attr, table.range_key_attr) if k is not None]
            key = {k: op["Item"][k] for k in key_names if k in op.get("Item", {})}
        targets.append((name, key))
    return targets


def _roll_back_transactions_item_by_item() -> None:
    from moto.dynamodb import models
    from moto.dynamodb.models.table import Table

    if getattr(models.DynamoDBBackend.transact_write_items, "_tradewind_fixed", False):
        return
    models.copy = _CopyExceptTables(Table)  # type: ignore[assignment]
    apply = models.DynamoDBBackend.transact_write_items
    lock = threading.Lock()

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        with lock:
            before = [
                (name, key, copy.deepcopy(self.get_item(name, key)))
                for name, key in _transaction_targets(self, transact_items)
            ]
            try:
                apply(self, transact_items)
            except Exception:
                for name, key, item in before:
                    if item is None:
                        self.delete_item(name, key)
                    else:
                        self.put_item(name, item.to_json()["Attributes"])
                raise

    transact_write_items._tradewind_fixed = True  # type: ignore[attr-defined]
    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
