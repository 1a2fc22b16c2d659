"""Who am I: any signed-in caller, even a person in no organisation yet, who sees the invitations
waiting for them and accepts one (docs/accounts.md)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from tradewind.accounts.principal import Role
from tradewind.api.auth import CurrentCaller
from tradewind.api.errors import problems
from tradewind.api.routes.org import InvitationId, InvitationOut, OrgMembership, invitation_out

router = APIRouter(prefix="/me", tags=["accounts"])


class MeOut(BaseModel):
    kind: Literal["user", "key"] = Field(description="a signed-in person or an API key")
    actor: str = Field(description="`user:<user id>` or `key:<key id>`: how audit records name you")
    user_id: str | None = Field(description="the person's id (Cognito sub); null for a key")
    email: str | None
    org_id: str | None = Field(description="the organisation this request acted in; null: none yet")
    role: Role | None = Field(description="your role there")
    scopes: list[str] = Field(description="an API key's route groups; empty: every route its role allows")
    orgs: list[OrgMembership] = Field(
        description="every organisation you belong to, by id; pick one with X-Org-Id"
    )
    invitations: list[InvitationOut] = Field(description="pending invitations to your email")


@router.get("", summary="Who you are: your organisations, your role in each, invitations waiting for you")
def me(caller: CurrentCaller) -> MeOut:
    from tradewind.accounts import members

    invitations = members.invitations_for(caller.email) if caller.email else []
    return MeOut(
        kind=caller.kind,
        actor=caller.actor,
        user_id=caller.user_id,
        email=caller.email,
        org_id=caller.org_id,
        role=caller.role,
        scopes=list(caller.scopes),
        orgs=[OrgMembership(org_id=org, role=role) for org, role in caller.orgs],
        invitations=[invitation_out(i) for i in invitations],
    )


@router.post(
    "/invitations/{invitation_id}/accept",
    responses=problems(404, 409),
    summary="Accept an invitation sent to your email: you join its organisation with its role",
)
def accept_invitation(caller: CurrentCaller, invitation_id: InvitationId) -> OrgMembership:
    from tradewind.accounts import members
    from tradewind.errors import Forbidden

    if caller.user_id is None or caller.email is None:
        raise Forbidden("only a signed-in person can accept an invitation, not an API key")
    joined = members.accept(invitation_id, caller.user_id, caller.email)
    return OrgMembership(org_id=joined.org_id, role=joined.role)
