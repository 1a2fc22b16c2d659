"""The organisation's members and invitations (docs/accounts.md).

Everything here acts in the request's organisation (``X-Org-Id``, or the caller's first). The
records' module (pynamodb) loads inside the routes, not at import.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, Field

from tradewind.accounts.principal import Role
from tradewind.api.auth import CurrentPrincipal, Tenant
from tradewind.api.errors import problems
from tradewind.api.pagination import Limit, NextToken, Page, decode_token, encode_token
from tradewind.data.keys import tenant_pk

if TYPE_CHECKING:
    from tradewind.accounts.members import Member

router = APIRouter(prefix="/org", tags=["accounts"])

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
MemberId = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9-]{1,64}$", description="the person's user id (Cognito sub)")
]
InvitationId = Annotated[str, Path(pattern=r"^[0-9a-f]{16}$", description="the invitation's id")]


class OrgMembership(BaseModel):
    org_id: str
    role: Role


class InvitationOut(BaseModel):
    invitation_id: str
    org_id: str
    email: str
    role: Role
    invited_by: str = Field(description="the inviting actor (`user:<id>` or `key:<id>`)")
    created_at: datetime
    expires_at: datetime


class MemberOut(BaseModel):
    member_id: str = Field(description="the person's user id (Cognito sub)")
    email: str
    role: Role
    joined_at: datetime


class RoleIn(BaseModel):
    role: Role


class InvitationIn(BaseModel):
    email: str = Field(pattern=EMAIL_PATTERN, max_length=254, description="who to invite")
    role: Role = Field(description="their role once they accept")


def member_out(member: Member) -> MemberOut:
    return MemberOut(
        member_id=member.user_id, email=member.email, role=member.role, joined_at=member.joined_at
    )


def invitation_out(invitation: object) -> InvitationOut:
    return InvitationOut.model_validate(invitation, from_attributes=True)


@router.get("/members", summary="The organisation's members and their roles")
def list_members(tenant: Tenant, limit: Limit = 100, next_token: NextToken = None) -> Page[MemberOut]:
    from tradewind.accounts import members

    start = decode_token(next_token, partition=tenant_pk(tenant))
    items, last = members.list_members(tenant, limit, start)
    return Page(items=[member_out(m) for m in items], next_token=encode_token(last))


@router.patch(
    "/members/{member_id}",
    responses=problems(404, 409),
    summary="Change a member's role (the last admin cannot be demoted: 409)",
)
def change_role(tenant: Tenant, member_id: MemberId, body: RoleIn) -> MemberOut:
    from tradewind.accounts import members

    return member_out(members.change_role(tenant, member_id, body.role))


@router.delete(
    "/members/{member_id}",
    responses=problems(404, 409),
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a member (the last admin cannot be removed: 409)",
)
def remove_member(tenant: Tenant, member_id: MemberId) -> None:
    from tradewind.accounts import members

    members.remove_member(tenant, member_id)


@router.get("/invitations", summary="The organisation's pending invitations")
def list_invitations(tenant: Tenant) -> list[InvitationOut]:
    from tradewind.accounts import members

    return [invitation_out(i) for i in members.list_invitations(tenant)]


@router.post(
    "/invitations",
    responses=problems(409),
    status_code=status.HTTP_201_CREATED,
    summary="Invite someone by email (they accept once signed in with that email)",
)
def invite(principal: CurrentPrincipal, body: InvitationIn) -> InvitationOut:
    from tradewind.accounts import members

    return invitation_out(members.invite(principal.org_id, body.email, body.role, principal.actor))


@router.delete(
    "/invitations/{invitation_id}",
    responses=problems(404),
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Withdraw a pending invitation",
)
def revoke_invitation(tenant: Tenant, invitation_id: InvitationId) -> None:
    from tradewind.accounts import members

    members.revoke_invitation(tenant, invitation_id)
