"""Main-table records of organisations: members, invitations and the organisation's admin count.

Keys (docs/accounts.md):

- ``TENANT#{org}``/``MEMBER#{user_id}``: a member and their role; ``gsi1`` ``PERSON#{user_id}``/
  ``ORG#{org}`` lists a person's organisations.
- ``TENANT#{org}``/``INVITE#{invitation_id}``: a pending invitation (DynamoDB TTL on ``expires_at``);
  ``gsi1`` ``INVITEE#{email}``/``INVITE#{org}#{invitation_id}`` lists a person's invitations.
- ``TENANT#{org}``/``ORG``: ``admins``, the number of admin members; every write that adds or takes
  away an admin changes it in the same transaction, conditioned on ``admins > 1`` when it takes one
  away, so two concurrent demotions cannot leave an organisation without an admin.
"""

from __future__ import annotations

from typing import ClassVar

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from tradewind.data.table import Gsi1, MainTableModel, tenant_pk


class MemberRecord(MainTableModel):
    """One person's membership of one organisation."""

    org_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    email = UnicodeAttribute()
    role = UnicodeAttribute()
    joined_at = UTCDateTimeAttribute()
    gsi1: Gsi1[MemberRecord] = Gsi1()

    @staticmethod
    def key(org_id: str, user_id: str = "") -> tuple[str, str]:
        """``pk``/``sk`` (an empty ``user_id`` gives the prefix of every member)."""
        return tenant_pk(org_id), f"MEMBER#{user_id}"

    @staticmethod
    def person_key(user_id: str, org_id: str = "") -> tuple[str, str]:
        """``gsi1`` keys: a person's organisations."""
        return f"PERSON#{user_id}", f"ORG#{org_id}"


class InvitationRecord(MainTableModel):
    """An invitation to join ``org_id`` with ``role``, until ``expires_at`` (also its TTL)."""

    org_id = UnicodeAttribute()
    invitation_id = UnicodeAttribute()
    email = UnicodeAttribute()
    role = UnicodeAttribute()
    invited_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    created_user = BooleanAttribute(default=False)  # the invitee's Cognito user was created for it
    gsi1: Gsi1[InvitationRecord] = Gsi1()

    @staticmethod
    def key(org_id: str, invitation_id: str = "") -> tuple[str, str]:
        return tenant_pk(org_id), f"INVITE#{invitation_id}"

    @staticmethod
    def invitee_key(email: str, org_id: str = "", invitation_id: str = "") -> tuple[str, str]:
        """``gsi1`` keys: the invitations sent to an email address."""
        suffix = f"{org_id}#{invitation_id}" if org_id else ""
        return f"INVITEE#{email}", f"INVITE#{suffix}"


class OrgRecord(MainTableModel):
    """The organisation's counters; created by the first admin's membership."""

    SORT_KEY: ClassVar[str] = "ORG"

    admins = NumberAttribute(default=0)

    @classmethod
    def key(cls, org_id: str) -> tuple[str, str]:
        return tenant_pk(org_id), cls.SORT_KEY
