"""The caller's own API keys: list, create (the secret is shown once), revoke."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, Field

from tradewind.api.auth import Tenant
from tradewind.api.errors import problems
from tradewind.api.pagination import Limit, NextToken, Page, decode_token, encode_token
from tradewind.data.keys import tenant_pk
from tradewind.services import apikeys
from tradewind.text import Name

router = APIRouter(prefix="/api-keys", tags=["api keys"])

KeyId = Annotated[str, Path(pattern=r"^[0-9a-f]{12}$", description="the key's id (`tw_<key_id>_...`)")]


class ApiKeyIn(BaseModel):
    name: Name = Field(min_length=1, max_length=64, description="a label to recognise the key by")


class ApiKeyOut(BaseModel):
    key_id: str
    name: str
    prefix: str = Field(description="the secret's public start, to recognise it")
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreatedOut(BaseModel):
    key_id: str
    name: str
    secret: str = Field(description="shown once; store it now")
    created_at: datetime


@router.get("", summary="List your API keys (revoked ones included)")
def list_keys(tenant: Tenant, limit: Limit = 100, next_token: NextToken = None) -> Page[ApiKeyOut]:
    start = decode_token(next_token, partition=tenant_pk(tenant), partition_attr="gsi1pk")
    items, last = apikeys.list_api_keys(tenant, limit, start)
    return Page(items=[ApiKeyOut(**vars(k)) for k in items], next_token=encode_token(last))


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create an API key for your tenant")
def create_key(tenant: Tenant, body: ApiKeyIn) -> ApiKeyCreatedOut:
    created = apikeys.create_api_key(tenant, body.name)
    return ApiKeyCreatedOut(
        key_id=created.key_id, name=created.name, secret=created.secret, created_at=created.created_at
    )


@router.delete(
    "/{key_id}",
    responses=problems(404),
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke one of your keys (takes effect everywhere within the key cache TTL)",
)
def revoke_key(tenant: Tenant, key_id: KeyId) -> None:
    apikeys.revoke(tenant, key_id)
