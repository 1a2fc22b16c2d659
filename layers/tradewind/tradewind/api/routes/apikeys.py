"""The organisation's API keys: list, create (the secret is shown once), revoke; admins only.

A key has a role (default ``admin``, as every key made before roles), optional scopes (route groups:
the first segment of the paths it may call) and an optional expiry (docs/accounts.md).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Path, status
from pydantic import AwareDatetime, BaseModel, Field, field_validator

from tradewind.accounts.principal import Role
from tradewind.api.auth import Tenant
from tradewind.api.errors import problems
from tradewind.api.pagination import Limit, NextToken, Page, decode_token, encode_token
from tradewind.api.routes import ROUTE_GROUPS
from tradewind.data.keys import tenant_pk
from tradewind.services import apikeys
from tradewind.text import Name

router = APIRouter(prefix="/api-keys", tags=["api keys"])

KeyId = Annotated[str, Path(pattern=r"^[0-9a-f]{12}$", description="the key's id (`tw_<key_id>_...`)")]


Scope = StrEnum("Scope", {name: name for name in ROUTE_GROUPS if name != "health"})  # type: ignore[misc]
"""A route group a key may be limited to: the first segment of the paths it may call."""


class ApiKeyIn(BaseModel):
    name: Name = Field(min_length=1, max_length=64, description="a label to recognise the key by")
    role: Role = Field(Role.ADMIN, description="what the key may do (viewer < researcher < admin)")
    scopes: list[Scope] = Field(
        default_factory=list, max_length=32, description="route groups the key may call; empty: all"
    )
    expires_at: AwareDatetime | None = Field(None, description="when the key stops working; null: never")

    @field_validator("expires_at")
    @classmethod
    def _in_the_future(cls, value: datetime | None) -> datetime | None:
        if value is not None and value <= datetime.now(UTC):
            raise ValueError("must be in the future")
        return value


class ApiKeyOut(BaseModel):
    key_id: str
    name: str
    prefix: str = Field(description="the secret's public start, to recognise it")
    created_at: datetime
    revoked_at: datetime | None
    role: Role
    scopes: list[str]
    expires_at: datetime | None


class ApiKeyCreatedOut(BaseModel):
    key_id: str
    name: str
    secret: str = Field(description="shown once; store it now")
    created_at: datetime
    role: Role
    scopes: list[str]
    expires_at: datetime | None


@router.get("", summary="List the organisation's API keys (revoked ones included)")
def list_keys(tenant: Tenant, limit: Limit = 100, next_token: NextToken = None) -> Page[ApiKeyOut]:
    start = decode_token(next_token, partition=tenant_pk(tenant), partition_attr="gsi1pk")
    items, last = apikeys.list_api_keys(tenant, limit, start)
    return Page(
        items=[
            ApiKeyOut(
                key_id=k.key_id,
                name=k.name,
                prefix=k.prefix,
                created_at=k.created_at,
                revoked_at=k.revoked_at,
                role=k.role,
                scopes=list(k.scopes),
                expires_at=k.valid_until,
            )
            for k in items
        ],
        next_token=encode_token(last),
    )


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create an API key for your organisation")
def create_key(tenant: Tenant, body: ApiKeyIn) -> ApiKeyCreatedOut:
    scopes = tuple(dict.fromkeys(str(s.value) for s in body.scopes))
    created = apikeys.create_api_key(tenant, body.name, body.role, scopes, body.expires_at)
    return ApiKeyCreatedOut(
        key_id=created.key_id,
        name=created.name,
        secret=created.secret,
        created_at=created.created_at,
        role=created.role,
        scopes=list(created.scopes),
        expires_at=created.valid_until,
    )


@router.delete(
    "/{key_id}",
    responses=problems(404),
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke one of your keys (takes effect everywhere within the key cache TTL)",
)
def revoke_key(tenant: Tenant, key_id: KeyId) -> None:
    apikeys.revoke(tenant, key_id)
