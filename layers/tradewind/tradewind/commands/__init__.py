"""The command catalogue: named, parameterized, safe operations defined in code (docs/commands.md).

Each :class:`Command` has a pydantic parameter model (its JSON schema is served by ``GET /commands``),
a description, an optional submit-time check and a function. Nothing here runs arbitrary code or a
shell: a command is one of the functions registered in :mod:`tradewind.commands.catalog`, called
with validated parameters. A run is a job of kind ``command`` (:mod:`tradewind.commands.runs`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from tradewind.jobs.logs import Level

_RESERVED = frozenset({"tenant_id", "job_id", "level", "message"})


class Cancelled(Exception):
    """The run's job was cancelled while the command ran: it stops between two steps."""


@dataclass
class Context:
    """What a running command may use: its tenant (from the job, never from parameters), its job id,
    a log that stores and pushes ``job.log`` lines, and a cancellation check."""

    tenant_id: str
    job_id: str

    def log(self, level: Level, message: str, **fields: Any) -> None:
        from tradewind.jobs.logs import log

        # a field named like one of log()'s own arguments (a command's job_id) is kept as ref_<name>
        safe = {(f"ref_{k}" if k in _RESERVED else k): v for k, v in fields.items()}
        log(self.tenant_id, self.job_id, level, message, **safe)

    def check_cancelled(self) -> None:
        """Raise :class:`Cancelled` when the run's job is no longer running (cancelled or deleted)."""
        from tradewind.jobs.records import get_record

        record = get_record(self.tenant_id, self.job_id)
        if record is None or record.status != "running":
            raise Cancelled(f"the run is {record.status if record else 'deleted'}")


@dataclass(frozen=True)
class Command:
    name: str
    title: str
    description: str
    params: type[BaseModel]
    run: Callable[[Context, Any], dict[str, Any]]
    # Called at submit with the tenant and the validated parameters: raises a 4xx/503 TradewindError
    # when the run could not succeed now (an unknown job, a provider not installed). Runs nothing.
    check: Callable[[str, Any], None] | None = None


def catalogue() -> dict[str, Command]:
    """Every command by name (imported on first use)."""
    from tradewind.commands.catalog import COMMANDS

    return COMMANDS
