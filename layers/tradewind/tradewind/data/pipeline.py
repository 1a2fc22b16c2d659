"""Main-table records of the signal pipeline (runs themselves are job records: :mod:`tradewind.data.jobs`).

- ``TENANT#{t}`` / ``BREADTH#{universe}#{timeframe}``: a universe's breadth history, the pointer to
  its current components object (``version`` is the optimistic lock: each run that extends the history
  writes version ``n + 1`` under a new key, then moves the pointer on condition ``version = n``).
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from tradewind.data.table import MainTableModel, tenant_pk


class BreadthRecord(MainTableModel):
    """Where a universe's breadth history is and what it spans."""

    tenant_id = UnicodeAttribute()
    universe = UnicodeAttribute()
    timeframe = UnicodeAttribute()
    version = NumberAttribute()
    object_key = UnicodeAttribute()  # components Parquet in the artifacts bucket
    first = UTCDateTimeAttribute()
    last = UTCDateTimeAttribute()
    bars = NumberAttribute()
    run_id = UnicodeAttribute()  # the run that extended it last
    updated_at = UTCDateTimeAttribute()

    @staticmethod
    def key(tenant_id: str, universe: str = "", timeframe: str | None = None) -> tuple[str, str]:
        """``pk``/``sk``; without ``timeframe`` the ``sk`` is a prefix (every history: ``universe=""``)."""
        suffix = "" if timeframe is None else f"#{timeframe}"
        return tenant_pk(tenant_id), f"BREADTH#{universe}{suffix}"
