"""Members of an organisation and invitations to join one (records in :mod:`tradewind.accounts.records`).

A person (a Cognito user, by ``sub``) may belong to several organisations, with one role in each.
An admin invites by email; the invited person accepts once signed in with that email, and becomes a
member with the invitation's role. The last admin can be neither removed nor demoted: every write
that takes an admin away decrements the organisation's admin count under the condition that it
stays at least one, in the same transaction as the member's change (race-safe).

A person's memberships are read on every request they sign (the authorizer), so they are cached
in-process for ``api_key_cache_seconds``: a change is seen at once by the process that made it, by
the others within that TTL.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from cachetools import TTLCache

from tradewind.accounts import invitees
from tradewind.accounts.principal import Role
from tradewind.accounts.records import InvitationRecord, MemberRecord, OrgRecord
from tradewind.data.table import query_page
from tradewind.errors import Conflict, NotFound
from tradewind.jobs.records import failed_conditions, transact
from tradewind.settings import get_settings

if TYPE_CHECKING:
    from pynamodb.transactions import TransactWrite

MAX_CACHE_ENTRIES = 10_000
LAST_ADMIN = "an organisation keeps at least one admin: make another member admin first"


@dataclass(frozen=True)
class Membership:
    """One organisation a person belongs to, and their role there."""

    org_id: str
    role: Role


@dataclass(frozen=True)
class Member:
    user_id: str
    email: str
    role: Role
    joined_at: datetime


@dataclass(frozen=True)
class Invitation:
    invitation_id: str
    org_id: str
    email: str
    role: Role
    invited_by: str
    created_at: datetime
    expires_at: datetime


def _now() -> datetime:
    return datetime.now(UTC)


_cache: TTLCache[str, tuple[Membership, ...]] | None = None
_cache_lock = threading.Lock()


def _memberships_cache() -> TTLCache[str, tuple[Membership, ...]]:
    global _cache
    with _cache_lock:
        if _cache is None:
            _cache = TTLCache(maxsize=MAX_CACHE_ENTRIES, ttl=get_settings().api_key_cache_seconds)
        return _cache


def clear_cache() -> None:
    """Forget every cached membership list (tests; settings changed)."""
    global _cache
    with _cache_lock:
        _cache = None


def _forget(user_id: str) -> None:
    cache = _memberships_cache()
    with _cache_lock:
        cache.pop(user_id, None)


def memberships(user_id: str) -> tuple[Membership, ...]:
    """The organisations ``user_id`` belongs to, ordered by organisation id (cached, see module)."""
    cache = _memberships_cache()
    with _cache_lock:
        found = cache.get(user_id)
    if found is not None:
        return found
    pk, prefix = MemberRecord.person_key(user_id)
    rows = MemberRecord.gsi1.query(pk, MemberRecord.gsi1sk.startswith(prefix))
    result = tuple(Membership(r.org_id, Role(r.role)) for r in rows)
    if get_settings().api_key_cache_seconds > 0:
        with _cache_lock:
            cache[user_id] = result
    return result


def _member(record: MemberRecord) -> Member:
    return Member(record.user_id, record.email, Role(record.role), record.joined_at)


def _invitation(record: InvitationRecord) -> Invitation:
    assert record.expires_at is not None
    return Invitation(
        record.invitation_id,
        record.org_id,
        record.email,
        Role(record.role),
        record.invited_by,
        record.created_at,
        record.expires_at,
    )


def list_members(
    org_id: str, limit: int = 100, start: dict[str, Any] | None = None
) -> tuple[list[Member], dict[str, Any] | None]:
    """One page of the organisation's members, by user id; and where to continue."""
    pk, prefix = MemberRecord.key(org_id)
    rows, next_key = query_page(
        MemberRecord.query,
        pk,
        MemberRecord.sk.startswith(prefix),
        limit=limit,
        start=start,
    )
    return [_member(r) for r in rows], next_key


def get_member(org_id: str, user_id: str) -> Member:
    try:
        return _member(MemberRecord.get(*MemberRecord.key(org_id, user_id), consistent_read=True))
    except MemberRecord.DoesNotExist:
        raise NotFound(f"member {user_id!r} not found") from None


def _admin_delta(transaction: TransactWrite, org_id: str, delta: int) -> None:
    """Count an admin in or out; taking one out requires another to remain."""
    org = OrgRecord(*OrgRecord.key(org_id))
    if delta > 0:
        transaction.update(org, actions=[OrgRecord.admins.add(delta)])
    else:
        transaction.update(org, actions=[OrgRecord.admins.add(delta)], condition=OrgRecord.admins > 1)


def _run(fill: Callable[[TransactWrite], None], org_position: int | None) -> None:
    """Run the transaction; a failed condition on the organisation's count is the last-admin rule,
    on anything else a concurrent change."""
    from pynamodb.exceptions import TransactWriteError

    try:
        transact(fill)
    except TransactWriteError as exc:
        failed = failed_conditions(exc)
        if not failed:
            raise
        if org_position is not None and org_position in failed:
            raise Conflict(LAST_ADMIN) from None
        raise Conflict("the member changed meanwhile: read it again and retry") from None


def add_member(org_id: str, user_id: str, email: str, role: Role) -> Member:
    """Make ``user_id`` a member (the local bootstrap; accepted invitations go through :func:`accept`)."""
    record = _new_member(org_id, user_id, email, role)

    def fill(t: TransactWrite) -> None:
        t.save(record, condition=MemberRecord.pk.does_not_exist())
        if role is Role.ADMIN:
            _admin_delta(t, org_id, +1)

    _run(fill, None)
    _forget(user_id)
    return _member(record)


def _new_member(org_id: str, user_id: str, email: str, role: Role) -> MemberRecord:
    gsi1pk, gsi1sk = MemberRecord.person_key(user_id, org_id)
    return MemberRecord(
        *MemberRecord.key(org_id, user_id),
        org_id=org_id,
        user_id=user_id,
        email=email,
        role=role.value,
        joined_at=_now(),
        gsi1pk=gsi1pk,
        gsi1sk=gsi1sk,
    )


def change_role(org_id: str, user_id: str, role: Role) -> Member:
    """Give a member another role; demoting the last admin is a 409."""
    current = get_member(org_id, user_id)
    if current.role is role:
        return current
    record = MemberRecord(*MemberRecord.key(org_id, user_id))

    def fill(t: TransactWrite) -> None:
        t.update(
            record,
            actions=[MemberRecord.role.set(role.value)],
            condition=MemberRecord.role == current.role.value,
        )
        if Role.ADMIN in (current.role, role):
            _admin_delta(t, org_id, +1 if role is Role.ADMIN else -1)

    _run(fill, 1)
    _forget(user_id)
    return Member(user_id, current.email, role, current.joined_at)


def remove_member(org_id: str, user_id: str) -> None:
    """Remove a member; removing the last admin is a 409."""
    current = get_member(org_id, user_id)
    record = MemberRecord(*MemberRecord.key(org_id, user_id))

    def fill(t: TransactWrite) -> None:
        t.delete(record, condition=MemberRecord.role == current.role.value)
        if current.role is Role.ADMIN:
            _admin_delta(t, org_id, -1)

    _run(fill, 1)
    _forget(user_id)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def invite(org_id: str, email: str, role: Role, invited_by: str) -> Invitation:
    """Invite ``email`` to join with ``role`` for ``invitation_days``; 409 if already a member or invited.

    An email the user pool lacks gets a user, whom Cognito emails a temporary password
    (:mod:`tradewind.accounts.invitees`)."""
    email = normalise_email(email)
    if any(m.email == email for m in _all_members(org_id)):
        raise Conflict(f"{email} is already a member")
    if any(i.org_id == org_id for i in invitations_for(email)):
        raise Conflict(f"{email} already has a pending invitation: revoke it first to send another")
    created_user = invitees.ensure_user(email)
    try:
        return _save_invitation(org_id, email, role, invited_by, created_user)
    except Exception:
        if created_user:  # nothing half-written: the user exists only for this invitation
            invitees.delete_if_never_signed_in(email)
        raise


def _save_invitation(org_id: str, email: str, role: Role, invited_by: str, created_user: bool) -> Invitation:
    now = _now()
    invitation_id = secrets.token_hex(8)
    gsi1pk, gsi1sk = InvitationRecord.invitee_key(email, org_id, invitation_id)
    record = InvitationRecord(
        *InvitationRecord.key(org_id, invitation_id),
        org_id=org_id,
        invitation_id=invitation_id,
        email=email,
        role=role.value,
        invited_by=invited_by,
        created_at=now,
        created_user=created_user,
        expires_at=now + timedelta(days=get_settings().invitation_days),
        gsi1pk=gsi1pk,
        gsi1sk=gsi1sk,
    )
    record.save(condition=InvitationRecord.pk.does_not_exist())
    return _invitation(record)


def _all_members(org_id: str) -> list[Member]:
    pk, prefix = MemberRecord.key(org_id)
    return [_member(r) for r in MemberRecord.query(pk, MemberRecord.sk.startswith(prefix))]


def list_invitations(org_id: str) -> list[Invitation]:
    """The organisation's pending (unexpired) invitations, by id."""
    pk, prefix = InvitationRecord.key(org_id)
    now = _now()
    rows = InvitationRecord.query(pk, InvitationRecord.sk.startswith(prefix))
    return [_invitation(r) for r in rows if r.expires_at and r.expires_at > now]


def revoke_invitation(org_id: str, invitation_id: str) -> None:
    """Withdraw a pending invitation; another organisation's id is simply not found.

    The user created only for it goes too while they have never signed in and no other
    organisation's invitation waits for them (they could not sign in to see it otherwise)."""
    from pynamodb.exceptions import DeleteError

    from tradewind.data.table import condition_failed

    not_found = NotFound(f"invitation {invitation_id!r} not found")
    try:
        record = InvitationRecord.get(*InvitationRecord.key(org_id, invitation_id), consistent_read=True)
        record.delete(condition=InvitationRecord.pk.exists())
    except InvitationRecord.DoesNotExist:
        raise not_found from None
    except DeleteError as exc:
        if condition_failed(exc):
            raise not_found from None
        raise
    others = [i for i in invitations_for(record.email) if i.invitation_id != invitation_id]  # index lags
    if record.created_user and not others:
        invitees.delete_if_never_signed_in(record.email)


def invitations_for(email: str) -> list[Invitation]:
    """The pending (unexpired) invitations sent to ``email``, by organisation."""
    pk, prefix = InvitationRecord.invitee_key(normalise_email(email))
    now = _now()
    rows = InvitationRecord.gsi1.query(pk, InvitationRecord.gsi1sk.startswith(prefix))
    return [_invitation(r) for r in rows if r.expires_at and r.expires_at > now]


def accept(invitation_id: str, user_id: str, email: str) -> Membership:
    """The signed-in person ``user_id`` (whose verified email is ``email``) accepts an invitation
    sent to that email: they become a member with its role, and the invitation is used up."""
    found = [i for i in invitations_for(email) if i.invitation_id == invitation_id]
    if not found:
        raise NotFound(f"invitation {invitation_id!r} not found, expired, or sent to another email")
    invitation = found[0]
    if any(m.org_id == invitation.org_id for m in memberships(user_id)):
        _forget(user_id)
        raise Conflict(f"you are already a member of {invitation.org_id!r}")
    record = _new_member(invitation.org_id, user_id, invitation.email, invitation.role)
    pending = InvitationRecord(*InvitationRecord.key(invitation.org_id, invitation_id))

    def fill(t: TransactWrite) -> None:
        t.save(record, condition=MemberRecord.pk.does_not_exist())
        t.delete(pending, condition=InvitationRecord.pk.exists() & (InvitationRecord.expires_at > _now()))
        if invitation.role is Role.ADMIN:
            _admin_delta(t, invitation.org_id, +1)

    try:
        _run(fill, None)
    except Conflict:
        raise Conflict("the invitation was used, revoked or expired meanwhile") from None
    _forget(user_id)
    return Membership(invitation.org_id, invitation.role)
