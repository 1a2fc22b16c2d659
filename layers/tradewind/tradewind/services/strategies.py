"""Strategies: a tenant's stored strategy documents, each save an immutable version.

Every read and write is keyed by the caller's tenant (``TENANT#{t}``), so another tenant's id is simply
not found. A save (create, update, import) validates the whole document first (every problem, each
located by its JSON path; ``POST /strategies/validate`` runs exactly the same checks), then writes
the next version and moves the head in one DynamoDB transaction conditioned on the head's
``latest_version``: the client sends the version it edited (``expected_version``) and a stale one
answers 409 naming that field, so two editors never overwrite each other silently and nothing is ever
half-written (see :mod:`tradewind.data.strategies`).

A version stores the document's canonical JSON (every field, defaults included): the version keeps
meaning the same thing if a default changes later, and export serves those exact bytes, so
export → import → export is byte-for-byte identical. pynamodb loads on first use (:func:`_models`),
keeping it out of the API Lambda's cold import.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from tradewind.data.table import query_page
from tradewind.errors import Conflict, FieldProblem, InvalidInput, NotFound
from tradewind.indicators.registry import SPECS, IndicatorSpec
from tradewind.strategy import TEMPLATES, Strategy, parse_strategy, templates, to_json
from tradewind.strategy.models import AllOf, AnyOf, Not
from tradewind.strategy.models import Condition as RuleCondition

if TYPE_CHECKING:
    from pynamodb.expressions.condition import Condition

    from tradewind.data.strategies import StrategyRecord, StrategyVersionRecord

MAX_DOCUMENT_BYTES = 64 * 1024
"""A document's canonical JSON may be this long (a version is one DynamoDB item, 400 KB at most)."""
MAX_CONDITION_DEPTH = 32
"""``all``/``any``/``not`` nest at most this deep: far past a real rule, and well inside the JSON
parser's own limit (about 200 levels), which every later read of a stored version goes through."""
MAX_VERSION = 999_999
"""Versions sort by a 6-digit key; a strategy past this many saves must be copied to a new one."""
MAX_ATTEMPTS = 3
TRANSACTION_ITEMS = 100
"""DynamoDB's limit of items in one transaction."""

Loc = Sequence[str | int]
Match = Literal["contains", "prefix"]


@dataclass(frozen=True)
class StrategyHead:
    """What a list shows of a strategy."""

    strategy_id: str
    name: str
    description: str | None
    tags: list[str]
    latest_version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class StrategyVersion:
    """What a list of versions shows of one version."""

    strategy_id: str
    version: int
    name: str
    note: str | None
    created_at: datetime


@dataclass(frozen=True)
class StoredStrategy:
    """A strategy with one of its versions and that version's document, as stored (canonical JSON)."""

    head: StrategyHead
    version: StrategyVersion
    document: str

    @property
    def strategy(self) -> Strategy:
        return Strategy.model_validate_json(self.document)


@dataclass(frozen=True)
class ResolvedStrategy:
    """A stored strategy version ready to run (what a job's spec is built from)."""

    strategy: Strategy
    strategy_id: str
    version: int
    name: str


def _models() -> tuple[type[StrategyRecord], type[StrategyVersionRecord]]:
    from tradewind.data.strategies import StrategyRecord, StrategyVersionRecord

    return StrategyRecord, StrategyVersionRecord


def _new_id() -> str:
    """A time-sortable id: milliseconds since the epoch (12 hex digits), then 40 random bits."""
    return f"{time.time_ns() // 1_000_000:012x}{secrets.token_hex(5)}"


def _lost_race(exc: Exception) -> bool:
    """Whether a transaction was cancelled by one of its conditions (a concurrent writer won)."""
    from pynamodb.exceptions import TransactWriteError

    return isinstance(exc, TransactWriteError) and exc.cause_response_code == "TransactionCanceledException"


def _head_view(record: StrategyRecord) -> StrategyHead:
    return StrategyHead(
        record.strategy_id,
        record.name,
        record.description,
        list(record.tags),
        int(record.latest_version),
        record.created_at,
        record.updated_at,
    )


def _version_view(record: StrategyVersionRecord) -> StrategyVersion:
    return StrategyVersion(
        record.strategy_id, int(record.version), record.name, record.note, record.created_at
    )


def _stored(head: StrategyRecord, version: StrategyVersionRecord) -> StoredStrategy:
    return StoredStrategy(_head_view(head), _version_view(version), version.document)


# -- validation -----------------------------------------------------------------------------------


def _located(exc: InvalidInput, loc: Loc) -> InvalidInput:
    return InvalidInput(exc.detail, [FieldProblem([*loc, *p.loc], p.msg, p.type) for p in exc.problems])


def parse_document(document: Any, loc: Loc = ()) -> Strategy:
    """The validated strategy of a document (dict, JSON text or model); 422 lists every problem at ``loc``."""
    try:
        return parse_strategy(document)
    except InvalidInput as exc:
        raise _located(exc, loc) from None


def validate_document(document: Any, n_bars: int | None = None) -> list[FieldProblem]:
    """Every problem of a document, located relative to it (empty when sound); nothing is saved.

    The same checks as a save, so a document this calls valid is one a save accepts. With ``n_bars``,
    indicator windows longer than that much data are problems too.
    """
    try:
        strategy = parse_strategy(document, n_bars)
    except InvalidInput as exc:
        return exc.problems
    return storage_problems(strategy, ())


def list_templates() -> list[tuple[str, Strategy]]:
    """The engine's built-in templates by name, in their catalogue order: starting points to copy."""
    return [(name, factory()) for name, factory in TEMPLATES.items()]


def indicator_kinds() -> list[tuple[str, IndicatorSpec]]:
    """Every indicator kind with what it reads, its parameters (defaults, bounds) and its outputs."""
    return list(SPECS.items())


def builtin_template(name: str, error: type[InvalidInput | NotFound], loc: Loc) -> Strategy:
    """A fresh copy of a built-in template; ``error`` naming ``loc`` (and the known names) otherwise."""
    try:
        return templates.template(name)
    except KeyError as exc:
        msg = str(exc.args[0])
        raise error(msg, [FieldProblem(list(loc), msg, "not_found")]) from None


def get_template(name: str) -> Strategy:
    """A fresh copy of a built-in template; 404 naming ``["path", "name"]`` when there is none."""
    return builtin_template(name, NotFound, ("path", "name"))


def _depth(condition: RuleCondition) -> int:
    """How deep ``all``/``any``/``not`` nest in a condition (1 for a comparison); no recursion."""
    depth, level = 0, [condition]
    while level:
        depth += 1
        level = [
            child
            for c in level
            for child in (c.of if isinstance(c, AllOf | AnyOf) else [c.of] if isinstance(c, Not) else [])
        ]
    return depth


def storage_problems(strategy: Strategy, loc: Loc, text: str | None = None) -> list[FieldProblem]:
    """What a parsed document must also satisfy to be stored (and read back): size and nesting.

    A job's inline strategy is stored too (in its spec), so submit checks it with this as well.
    """
    problems = []
    size = len((to_json(strategy, indent=None) if text is None else text).encode())
    if size > MAX_DOCUMENT_BYTES:
        msg = f"the document is {size:,} bytes as JSON; at most {MAX_DOCUMENT_BYTES:,}"
        problems.append(FieldProblem(list(loc), msg, "too_long"))
    for i, rule in enumerate(strategy.rules):
        depth = _depth(rule.when)
        if depth > MAX_CONDITION_DEPTH:
            msg = f"conditions nest {depth} levels deep; at most {MAX_CONDITION_DEPTH}"
            problems.append(FieldProblem([*loc, "rules", i, "when"], msg, "too_deep"))
    return problems


def _canonical(strategy: Strategy, loc: Loc) -> str:
    """The document as stored, after the checks a save adds to parsing (422 listing them)."""
    text = to_json(strategy, indent=None)
    problems = storage_problems(strategy, loc, text)
    if problems:
        raise InvalidInput(problems[0].msg, problems)
    return text


def _tags(tags: Iterable[str]) -> list[str]:
    """Tags compare case-insensitively: stored trimmed and case-folded, each once, in first-seen order."""
    return list(dict.fromkeys(t.strip().casefold() for t in tags))


# -- reads ------------------------------------------------------------------------------------------


def _head(tenant_id: str, strategy_id: str) -> StrategyRecord | None:
    heads, _ = _models()
    try:
        return heads.get(*heads.key(tenant_id, strategy_id), consistent_read=True)
    except heads.DoesNotExist:
        return None


def _not_found(strategy_id: str, loc: Loc) -> NotFound:
    msg = f"strategy {strategy_id!r} not found"
    return NotFound(msg, [FieldProblem(list(loc), msg, "not_found")])


def _load(
    tenant_id: str, strategy_id: str, version: int | None, id_loc: Loc, version_loc: Loc
) -> tuple[StrategyRecord, StrategyVersionRecord]:
    """The head and one version (the latest when ``version`` is None); 404 naming the missing one."""
    head = _head(tenant_id, strategy_id)
    if head is None:
        raise _not_found(strategy_id, id_loc)
    latest = int(head.latest_version)
    number = latest if version is None else version
    _, versions = _models()
    try:
        if not 1 <= number <= latest:
            raise versions.DoesNotExist
        record = versions.get(*versions.key(tenant_id, strategy_id, number), consistent_read=True)
    except versions.DoesNotExist:
        msg = f"strategy {strategy_id!r} has no version {number} (its versions are 1 to {latest})"
        raise NotFound(msg, [FieldProblem(list(version_loc), msg, "not_found")]) from None
    return head, record


def get_strategy(
    tenant_id: str,
    strategy_id: str,
    version: int | None = None,
    *,
    version_loc: Loc = ("query", "version"),
) -> StoredStrategy:
    """The strategy with its latest version's document, or the given version's."""
    return _stored(*_load(tenant_id, strategy_id, version, ("path", "strategy_id"), version_loc))


def resolve(tenant_id: str, strategy_id: str, version: int | None) -> ResolvedStrategy:
    """The document of a stored version (the latest when ``version`` is None), for a job to run.

    404 naming ``["body", "strategy_id"]`` for an unknown strategy, ``["body", "strategy_version"]``
    for a version it does not have.
    """
    _, record = _load(tenant_id, strategy_id, version, ("body", "strategy_id"), ("body", "strategy_version"))
    strategy = Strategy.model_validate_json(record.document)
    return ResolvedStrategy(strategy, strategy_id, int(record.version), strategy.name)


def list_strategies(
    tenant_id: str,
    limit: int,
    start: dict[str, Any] | None,
    *,
    q: str | None = None,
    match: Match = "contains",
    tag: str | None = None,
) -> tuple[list[StrategyHead], dict[str, Any] | None]:
    """One page of the tenant's strategies, newest first, and the key to continue from.

    ``q`` matches the name case-insensitively (anywhere, or at its start with ``match="prefix"``);
    ``tag`` keeps strategies carrying that tag. Filters apply after the key range is read; the read
    goes on until the page holds ``limit`` matches or the range ends (``query_page``).
    """
    heads, _ = _models()
    condition: Condition | None = None
    if q:
        needle = q.strip().casefold()
        condition = (
            heads.name_lower.startswith(needle) if match == "prefix" else heads.name_lower.contains(needle)
        )
    if tag:
        has_tag = heads.tags.contains(tag.strip().casefold())
        condition = has_tag if condition is None else condition & has_tag
    pk, prefix = heads.key(tenant_id)
    rows, next_key = query_page(
        heads.query,
        pk,
        heads.sk.startswith(prefix),
        limit=limit,
        start=start,
        newest_first=True,
        filter_condition=condition,
    )
    return [_head_view(r) for r in rows], next_key


def list_versions(
    tenant_id: str, strategy_id: str, limit: int, start: dict[str, Any] | None
) -> tuple[list[StrategyVersion], dict[str, Any] | None]:
    """One page of a strategy's versions, newest first; 404 when the tenant has no such strategy."""
    if _head(tenant_id, strategy_id) is None:
        raise _not_found(strategy_id, ("path", "strategy_id"))
    _, versions = _models()
    pk, prefix = versions.key(tenant_id, strategy_id)
    rows, next_key = query_page(
        versions.query,
        pk,
        versions.sk.startswith(prefix),
        limit=limit,
        start=start,
        newest_first=True,
        consistent_read=True,
    )
    return [_version_view(r) for r in rows], next_key


# -- writes -----------------------------------------------------------------------------------------


def _save(
    tenant_id: str,
    head: StrategyRecord,
    expected_version: int | None,
    strategy: Strategy,
    document: str,
    note: str | None,
) -> StoredStrategy:
    """Write version ``expected_version + 1`` and move ``head`` to it in one transaction.

    ``expected_version`` None creates the strategy (the head must not exist yet). Raises the
    transaction's error when a condition failed: the caller decides what that means.
    """
    from pynamodb.transactions import TransactWrite

    heads, versions = _models()
    now = datetime.now(UTC)
    number = (expected_version or 0) + 1
    head.name, head.name_lower = strategy.name, strategy.name.casefold()
    head.description = strategy.description
    head.latest_version, head.updated_at = number, now
    version = versions(
        *versions.key(tenant_id, head.strategy_id, number),
        tenant_id=tenant_id,
        strategy_id=head.strategy_id,
        version=number,
        name=strategy.name,
        document=document,
        note=note,
        created_at=now,
    )
    lock = heads.pk.does_not_exist() if expected_version is None else heads.latest_version == expected_version
    with TransactWrite(connection=heads._get_connection().connection) as transaction:
        transaction.save(head, condition=lock)
        transaction.save(version, condition=versions.sk.does_not_exist())
    return _stored(head, version)


def _create(
    tenant_id: str, strategy: Strategy, document_loc: Loc, tags: Iterable[str], note: str | None
) -> StoredStrategy:
    heads, _ = _models()
    document = _canonical(strategy, document_loc)
    strategy_id, now = _new_id(), datetime.now(UTC)
    head = heads(
        *heads.key(tenant_id, strategy_id),
        tenant_id=tenant_id,
        strategy_id=strategy_id,
        name=strategy.name,
        name_lower=strategy.name.casefold(),
        tags=_tags(tags),
        latest_version=0,
        created_at=now,
        updated_at=now,
    )
    return _save(tenant_id, head, None, strategy, document, note)


def create_strategy(
    tenant_id: str,
    *,
    document: Any = None,
    template: str | None = None,
    name: str | None = None,
    tags: Iterable[str] = (),
    note: str | None = None,
) -> StoredStrategy:
    """A new strategy at version 1, from a built-in ``template`` when given, else from ``document``.

    The route admits exactly one of the two. ``name`` (1 to 200 characters, as the route bounds it)
    replaces the document's name (a template's own name otherwise). Problems are located in the
    request body: ``["body", "document", ...]`` or ``["body", "template"]``.
    """
    if template is not None:
        strategy = builtin_template(template, InvalidInput, ("body", "template"))
    else:
        strategy = parse_document(document, ("body", "document"))
    if name is not None:
        strategy = strategy.model_copy(update={"name": name})
    return _create(tenant_id, strategy, ("body", "document"), tags, note)


def import_strategy(tenant_id: str, document: Any, note: str | None = "imported") -> StoredStrategy:
    """A new strategy from a whole document (an export, say); problems are located at ``["body", ...]``."""
    return _create(tenant_id, parse_document(document, ("body",)), ("body",), (), note)


def update_strategy(
    tenant_id: str,
    strategy_id: str,
    *,
    expected_version: int,
    document: Any,
    tags: Iterable[str] | None = None,
    note: str | None = None,
) -> StoredStrategy:
    """Save ``document`` as the next version of a strategy last seen at ``expected_version``.

    409 naming ``["body", "expected_version"]`` when the strategy has moved on since (reload, reapply,
    resend); ``tags`` None keeps the current tags.
    """
    strategy = parse_document(document, ("body", "document"))
    text = _canonical(strategy, ("body", "document"))
    head = _head(tenant_id, strategy_id)
    if head is not None and int(head.latest_version) == expected_version:
        if expected_version >= MAX_VERSION:
            raise Conflict(f"strategy {strategy_id!r} has {MAX_VERSION:,} versions: import it as a new one")
        if tags is not None:
            head.tags = _tags(tags)
        try:
            return _save(tenant_id, head, expected_version, strategy, text, note)
        except Exception as exc:
            if not _lost_race(exc):
                raise
        head = _head(tenant_id, strategy_id)
    if head is None:
        raise _not_found(strategy_id, ("path", "strategy_id"))
    latest = int(head.latest_version)
    msg = f"strategy {strategy_id!r} is at version {latest}, not {expected_version}: reload it and reapply"
    raise Conflict(msg, [FieldProblem(["body", "expected_version"], msg, "stale")])


def _version_keys(tenant_id: str, strategy_id: str) -> list[StrategyVersionRecord]:
    """Every version of a strategy, oldest first (keys only are needed, to delete them)."""
    _, versions = _models()
    pk, prefix = versions.key(tenant_id, strategy_id)
    return list(
        versions.query(
            pk, versions.sk.startswith(prefix), consistent_read=True, attributes_to_get=["pk", "sk"]
        )
    )


def _delete_all(records: Sequence[StrategyVersionRecord]) -> None:
    if not records:
        return
    with type(records[0]).batch_write() as batch:
        for record in records:
            batch.delete(record)


def delete_strategy(tenant_id: str, strategy_id: str) -> None:
    """Delete a strategy and all its versions; 404 if the tenant has none with this id.

    The head and up to 99 newest versions go in one transaction conditioned on the head's version (a
    concurrent save makes it retry with the new version included); older versions follow in batches.
    A delete interrupted after the head went is finished by the next delete of that id (which still
    answers 404: the strategy is gone), and no read can reach versions without their head meanwhile.
    """
    from pynamodb.transactions import TransactWrite

    heads, _ = _models()
    for _ in range(MAX_ATTEMPTS):
        head = _head(tenant_id, strategy_id)
        keys = _version_keys(tenant_id, strategy_id)
        if head is None:
            _delete_all(keys)
            raise _not_found(strategy_id, ("path", "strategy_id"))
        cut = max(0, len(keys) - (TRANSACTION_ITEMS - 1))
        older, newest = keys[:cut], keys[cut:]
        try:
            with TransactWrite(connection=heads._get_connection().connection) as transaction:
                transaction.delete(head, condition=heads.latest_version == head.latest_version)
                for record in newest:
                    transaction.delete(record)
        except Exception as exc:
            if not _lost_race(exc):
                raise
            continue
        _delete_all(older)
        return
    raise Conflict(f"strategy {strategy_id!r} is being changed concurrently; retry")
