"""pynamodb models bound to their table at first use, not at import.

Why: a model's ``Meta.table_name``/``region``/``host`` are normally class constants, but here they come
from the environment (``TW_TABLE_NAME``, the region, ``AWS_ENDPOINT_URL`` locally), which tests and the
local cloud set *after* importing the package. :class:`SettingsBoundModel` overrides pynamodb's
connection factory: every call compares the current binding with the one its connection was made for
and rebinds (new ``Meta`` values, new connection) when settings changed, so
``tradewind.aws.reset_clients()`` in a test is enough to point every model at a new table/endpoint.

How to add a model of the main table (the pattern every data module follows)::

    from pynamodb.attributes import UnicodeAttribute
    from tradewind.data.table import MainTableModel

    class Dataset(MainTableModel):
        # no Meta: the inherited one is bound from settings on first use
        dataset_id = UnicodeAttribute()

        @staticmethod
        def key(tenant_id: str, dataset_id: str) -> tuple[str, str]:
            return tenant_pk(tenant_id), f"DATASET#{dataset_id}"

A model of another table subclasses :class:`SettingsBoundModel`, declares its own ``Meta`` (with
``table_name = ""``; never share a ``Meta`` between two tables) and sets ``settings_table_attr`` to
the :class:`tradewind.settings.Settings` field holding the table name (``"connections_table_name"``).

pynamodb honours ``AWS_ENDPOINT_URL`` through botocore when ``Meta.host`` is ``None``; the binding still
copies it (``AWS_ENDPOINT_URL_DYNAMODB`` first) into ``Meta.host`` so the endpoint is explicit and
changes with the environment like the rest of the binding.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from tradewind.data.keys import tenant_pk as tenant_pk  # re-exported: models build keys with it
from tradewind.settings import get_settings

if TYPE_CHECKING:
    from pynamodb.expressions.condition import Condition
    from pynamodb.pagination import ResultIterator

Binding = tuple[str, str, str | None]


def _endpoint() -> str | None:
    return os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") or os.environ.get("AWS_ENDPOINT_URL") or None


class SettingsBoundModel(Model):
    """A pynamodb model whose table name, region and endpoint are read from settings when first used."""

    settings_table_attr: ClassVar[str] = "table_name"
    _binding: ClassVar[Binding | None] = None

    class Meta:
        table_name = ""  # set from settings on first use
        region: str | None = None
        host: str | None = None

    @classmethod
    def current_binding(cls) -> Binding:
        """The (table, region, endpoint) this model must talk to now."""
        settings = get_settings()
        return str(getattr(settings, cls.settings_table_attr)), settings.region, _endpoint()

    @classmethod
    def _get_connection(cls) -> Any:
        binding = cls.current_binding()
        # ``vars``, not attribute lookup: a subclass must never reuse its base class's connection,
        # whose schema lacks the subclass's indexes.
        if vars(cls).get("_binding") != binding or cls.Meta.table_name != binding[0]:
            cls.Meta.table_name, cls.Meta.region, cls.Meta.host = binding
            cls._connection = None
            cls._binding = binding
        return super()._get_connection()


_M = TypeVar("_M", bound="MainTableModel")


class Gsi1(GlobalSecondaryIndex[_M]):
    """The main table's one GSI: ``gsi1pk``/``gsi1sk``, all attributes projected.

    A model that queries it declares ``gsi1: Gsi1[MyModel] = Gsi1()`` (typed results per model).
    """

    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class MainTableModel(SettingsBoundModel):
    """Base of every record of the main table: ``pk``/``sk`` keys, the ``gsi1`` index, TTL ``expires_at``.

    Records that do not use the index leave ``gsi1pk``/``gsi1sk`` unset (sparse index); records that
    do set them and declare ``gsi1`` (see :class:`Gsi1`).
    """

    class Meta:
        table_name = ""  # set on first use; subclasses share this Meta (one table)
        region: str | None = None
        host: str | None = None

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    expires_at = TTLAttribute(null=True)


def condition_failed(exc: Exception) -> bool:
    """Whether a pynamodb write failed only because its condition did not hold (a lost race, a stale
    version, a record already there): the caller's expected outcome, not an error."""
    from pynamodb.exceptions import PynamoDBException

    return isinstance(exc, PynamoDBException) and exc.cause_response_code == "ConditionalCheckFailedException"


_T = TypeVar("_T")

Page = tuple[list[_T], dict[str, Any] | None]
"""One page of records and the key the next page starts from (``None``: no more)."""


def query_page(
    query: Callable[..., ResultIterator[_T]],
    hash_key: str,
    key_condition: Condition,
    *,
    limit: int,
    start: dict[str, Any] | None,
    newest_first: bool = False,
    filter_condition: Condition | None = None,
    consistent_read: bool = False,
    page_size: int | None = None,
) -> Page[_T]:
    """One page of a key query (``Model.query`` or ``Model.gsi1.query``) and where the next begins.

    Why one helper: every list route pages the same way. pynamodb reads until it holds ``limit`` items
    (past the ones a filter drops), and the continuation key is only known once the page has been
    read. ``page_size`` is DynamoDB's read size (pynamodb's default: ``limit``): larger for a sparse
    filter, so a page takes fewer round trips.
    """
    rows = query(
        hash_key,
        key_condition,
        filter_condition=filter_condition,
        consistent_read=consistent_read,
        scan_index_forward=not newest_first,
        limit=limit,
        page_size=page_size,
        last_evaluated_key=start,
    )
    return list(rows), rows.last_evaluated_key
