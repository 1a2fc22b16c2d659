"""Main-table records of a tenant's strategies (keys in docs/architecture.md, Data design).

- ``TENANT#{t}`` / ``STRATEGY#{id}``: the head (name, description, tags, ``latest_version``). Ids are
  time-sortable, so a descending query on ``STRATEGY#`` lists newest first.
- ``TENANT#{t}`` / ``STRATVER#{id}#{version:06d}``: one immutable version (the document's JSON).

A save puts the next version and moves the head in one transaction whose head condition is
``latest_version == <the version the writer read>``: that condition is the optimistic lock, and the
transaction means a head never points at a missing version nor a version exists past its head.
``STRATVER#`` does not start with ``STRATEGY#``, so listing heads never reads a version.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from tradewind.data.table import MainTableModel, tenant_pk


class StrategyRecord(MainTableModel):
    """The head of a tenant's strategy: what lists and searches read, and the version lock."""

    SORT_PREFIX: ClassVar[str] = "STRATEGY#"

    tenant_id = UnicodeAttribute()
    strategy_id = UnicodeAttribute()
    name = UnicodeAttribute()
    name_lower = UnicodeAttribute()  # for case-insensitive search (a filter on the tenant's heads)
    description = UnicodeAttribute(null=True)
    tags = ListAttribute[Any](of=UnicodeAttribute, default=list)  # of str, lower-case
    latest_version = NumberAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()

    @classmethod
    def key(cls, tenant_id: str, strategy_id: str = "") -> tuple[str, str]:
        """``pk``/``sk`` of a head (an empty id gives the prefix of all of them)."""
        return tenant_pk(tenant_id), f"{cls.SORT_PREFIX}{strategy_id}"


class StrategyVersionRecord(MainTableModel):
    """One saved version of a strategy, never changed once written."""

    tenant_id = UnicodeAttribute()
    strategy_id = UnicodeAttribute()
    version = NumberAttribute()
    name = UnicodeAttribute()
    document = UnicodeAttribute()  # the canonical JSON text, served as is by export
    note = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()

    @staticmethod
    def key(tenant_id: str, strategy_id: str, version: int | None = None) -> tuple[str, str]:
        """``pk``/``sk`` of a version (no version gives the prefix of all of the strategy's versions)."""
        suffix = "" if version is None else f"{version:06d}"
        return tenant_pk(tenant_id), f"STRATVER#{strategy_id}#{suffix}"
