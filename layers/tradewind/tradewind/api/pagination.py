"""The one pagination convention of every list route: ``?limit=`` and an opaque ``next_token``.

A list answers ``{"items": [...], "next_token": "..." | null}``; the client passes ``next_token`` back
unchanged to get the next page and stops when it is ``null``. The token is DynamoDB's
``LastEvaluatedKey`` as base64url JSON; :func:`decode_token` checks it belongs to the caller's
partition (and, given the list's sort-key prefix, to that list), so a forged token cannot start a
query inside another tenant's records nor in another list.

Use in a route::

    @router.get("/things")
    def list_things(tenant: Tenant, limit: Limit = 50, next_token: NextToken = None) -> Page[Thing]:
        start = decode_token(next_token, partition=tenant_pk(tenant), sort_prefix="THING#")
        rows = ThingRecord.query(tenant_pk(tenant), ..., limit=limit, page_size=limit,
                                 last_evaluated_key=start)
        items = [Thing.of(r) for r in rows]
        return Page(items=items, next_token=encode_token(rows.last_evaluated_key))
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from tradewind.errors import FieldProblem, InvalidInput

T = TypeVar("T")

MAX_LIMIT = 200

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size")]
NextToken = Annotated[
    str | None, Query(max_length=2048, description="`next_token` of the previous page; omit for the first")
]


class Page(BaseModel, Generic[T]):
    """One page of a list."""

    items: list[T]
    next_token: str | None = None


def encode_token(last_evaluated_key: dict[str, Any] | None) -> str | None:
    """The ``next_token`` for a query's ``last_evaluated_key`` (``None`` when the list is complete)."""
    if not last_evaluated_key:
        return None
    raw = json.dumps(last_evaluated_key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _bad_token(reason: str) -> InvalidInput:
    return InvalidInput(
        f"invalid next_token: {reason}", [FieldProblem(["query", "next_token"], reason, "value_error")]
    )


def decode_token(
    token: str | None,
    *,
    partition: str,
    partition_attr: str = "pk",
    sort_attr: str = "sk",
    sort_prefix: str | None = None,
) -> dict[str, Any] | None:
    """The ``last_evaluated_key`` a token carries, checked to lie in ``partition``; 422 otherwise.

    With ``sort_prefix`` the token must also come from this very list: exactly the table's keys plus
    the queried index's (``partition_attr``/``sort_attr``), its sort key under the prefix. Two lists
    over one partition (strategies and their versions, all and unread notifications, backtests and
    optimizations) thus never take each other's tokens, and a forged key answers 422, not a
    DynamoDB error.
    """
    if not token:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError) as exc:
        raise _bad_token("not a token this API issued") from exc
    valid_shape = isinstance(key, dict) and all(
        isinstance(v, dict) and set(v) == {"S"} and isinstance(v["S"], str) for v in key.values()
    )
    if not valid_shape:
        raise _bad_token("not a token this API issued")
    if key.get(partition_attr) != {"S": partition}:
        raise _bad_token("token belongs to another list")
    if sort_prefix is not None:
        names = {"pk", "sk", partition_attr, sort_attr}
        if set(key) != names or not key[sort_attr]["S"].startswith(sort_prefix):
            raise _bad_token("token belongs to another list")
    return key
