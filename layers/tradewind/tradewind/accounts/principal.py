"""The caller of a request: one shape for people (Cognito) and programs (API keys).

Every authenticated route receives a :class:`Principal`; audit records name its ``actor`` and role
checks compare its ``role``. The organisation is today's tenant: ``org_id`` keys every record.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a member or a key may do; each role includes everything of the ones before it."""

    VIEWER = "viewer"  # reads
    RESEARCHER = "researcher"  # also runs jobs and edits strategies, data, schedules
    ADMIN = "admin"  # also members, keys, settings, channels, audit

    @property
    def rank(self) -> int:
        """Position in the viewer < researcher < admin order."""
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        """Whether this role may do what ``needed`` may."""
        return self.rank >= needed.rank


@dataclass(frozen=True)
class Principal:
    """An authenticated caller. ``actor`` is ``user:<cognito sub>`` or ``key:<key id>``; ``scopes``
    (an API key's route groups, the first segments of the paths it may call) is empty for all."""

    org_id: str
    actor: str
    role: Role
    scopes: tuple[str, ...] = ()
