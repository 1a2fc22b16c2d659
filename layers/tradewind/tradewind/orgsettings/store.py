"""Reading and saving an organisation's settings, one version at a time.

A save names the version it was edited from (``If-Match``): version 0 is "never saved" (condition
``attribute_not_exists``), any other must equal the stored one (condition ``version = n``). Two
admins editing at once: the second save fails with 412 and re-reads, never overwrites silently.
pynamodb loads on first use, keeping it out of the API Lambda's cold import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tradewind.data.table import condition_failed
from tradewind.errors import FieldProblem, TradewindError
from tradewind.orgsettings.model import OrgSettingsBody, changed_keys

if TYPE_CHECKING:
    from tradewind.data.orgsettings import OrgSettingsRecord

IF_MATCH = "If-Match"


class PreconditionFailed(TradewindError):
    """The settings changed since the client read them (its ``If-Match`` is stale)."""

    status = 412
    title = "Precondition failed"


class PreconditionRequired(TradewindError):
    """A save that names no version could overwrite someone else's: ``If-Match`` is required."""

    status = 428
    title = "Precondition required"


@dataclass(frozen=True)
class OrgSettings:
    """The settings as read: the document, its version (0: defaults, never saved), who saved last."""

    body: OrgSettingsBody
    version: int
    updated_at: datetime | None
    updated_by: str | None

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


def _records() -> type[OrgSettingsRecord]:
    from tradewind.data.orgsettings import OrgSettingsRecord

    return OrgSettingsRecord


def get_settings(org_id: str) -> OrgSettings:
    """The organisation's settings, or the defaults (version 0) when never saved."""
    records = _records()
    try:
        row = records.get(*records.key(org_id))
    except records.DoesNotExist:
        return OrgSettings(OrgSettingsBody(), 0, None, None)
    body = OrgSettingsBody.model_validate(row.document)
    return OrgSettings(body, int(row.version), row.updated_at, row.updated_by)


def parse_if_match(value: str | None) -> int:
    """The version an ``If-Match`` header names (``"3"``, ``W/"3"`` or ``3``); 428 when absent."""
    loc: list[str | int] = ["header", IF_MATCH]
    if value is None:
        raise PreconditionRequired(
            "send If-Match with the ETag of GET /settings", [FieldProblem(loc, "required", "missing")]
        )
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise PreconditionFailed(
            f"If-Match {value!r} is not an ETag of these settings", [FieldProblem(loc, "unknown ETag")]
        )
    return int(text)


def save_settings(
    org_id: str, body: OrgSettingsBody, expected_version: int, actor: str, now: datetime
) -> tuple[OrgSettings, list[str]]:
    """Save ``body`` over ``expected_version``; the new settings and the keys that changed (412 if stale)."""
    records = _records()
    current = get_settings(org_id)
    stale = PreconditionFailed(
        f"the settings changed (version {current.version}, you edited {expected_version}): "
        "reload them and apply your change again",
        [FieldProblem(["header", IF_MATCH], f"stale: the current ETag is {current.etag}", "stale")],
    )
    if current.version != expected_version:
        raise stale
    document = body.model_dump(mode="json")
    version = expected_version + 1
    row = records(*records.key(org_id), document=document, version=version, updated_at=now, updated_by=actor)
    condition = records.pk.does_not_exist() if expected_version == 0 else records.version == expected_version
    try:
        row.save(condition=condition)
    except Exception as exc:
        if condition_failed(exc):
            raise stale from None
        raise
    changed = changed_keys(current.body.model_dump(mode="json"), document)
    return OrgSettings(body, version, now, actor), changed
