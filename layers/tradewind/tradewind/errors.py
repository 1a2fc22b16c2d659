"""Domain errors. The API maps each to one HTTP status and a problem+json body."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FieldProblem:
    """One thing wrong with an input, located by its path (``["body", "rules", 0, "when"]``)."""

    loc: list[str | int]
    msg: str
    type: str = "value_error"


class TradewindError(Exception):
    """Base of errors that carry an HTTP meaning."""

    status = 500
    title = "Internal error"

    def __init__(self, detail: str, problems: list[FieldProblem] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.problems = problems or []


class InvalidInput(TradewindError):
    """The request is well-formed JSON but its content is wrong; ``problems`` name the fields."""

    status = 422
    title = "Invalid input"


class NotFound(TradewindError):
    status = 404
    title = "Not found"


class Conflict(TradewindError):
    status = 409
    title = "Conflict"


class Unauthorized(TradewindError):
    status = 401
    title = "Unauthorized"


class Forbidden(TradewindError):
    """Authenticated, but the caller's role (or organisation) does not allow this."""

    status = 403
    title = "Forbidden"


class PayloadTooLarge(TradewindError):
    status = 413
    title = "Payload too large"


class TooManyRequests(TradewindError):
    """A per-tenant cap is reached; answered with ``Retry-After: retry_after`` (seconds)."""

    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, problems: list[FieldProblem] | None = None, *, retry_after: int) -> None:
        super().__init__(detail, problems)
        self.retry_after = retry_after


@dataclass
class ImportFailure(Exception):
    """A market-data file that cannot be imported: where (row, column) and why."""

    message: str
    row: int | None = None
    column: str | None = None
    extra: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message
