"""Who is calling: the one verification of both credentials, for the gateway authorizer and the app.

In AWS, the REST API's Lambda authorizer (``functions/authorizer``) calls :func:`authenticate` and
hands the result to the api Lambda as its context (:func:`to_context`); the app reads it back with
:func:`from_context`. Locally and in tests no gateway runs, so the app calls :func:`authenticate`
itself, in-process, before the route: the same code verifies in both places.

Credentials, in ``Authorization: Bearer <credential>`` or ``X-Api-Key: <key>``:

- an API key (``tw_...``), found by its hash: the key's organisation, role, scopes and expiry;
- a Cognito ID token (a JWT, :mod:`tradewind.accounts.tokens`): the person, their organisations,
  and the one this request acts in: ``X-Org-Id`` when given (they must be a member), else their
  first by organisation id. A person who is a member nowhere yet is still authenticated (they can
  read ``/me`` and accept an invitation) but has no organisation and no role.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from tradewind.accounts.principal import Principal, Role
from tradewind.errors import Forbidden, Unauthorized

MISSING = "missing credential: send 'Authorization: Bearer <ID token or API key>' or 'X-Api-Key: <key>'"
ORG_HEADER = "x-org-id"


@dataclass(frozen=True)
class Caller:
    """An authenticated caller, with the organisation this request acts in (if any)."""

    kind: Literal["user", "key"]
    actor: str  # ``user:<sub>`` or ``key:<key id>``
    org_id: str | None
    role: Role | None
    email: str | None = None
    scopes: tuple[str, ...] = ()
    orgs: tuple[tuple[str, Role], ...] = field(default_factory=tuple)  # every (org, role) of a person

    @property
    def user_id(self) -> str | None:
        return self.actor.removeprefix("user:") if self.kind == "user" else None

    def principal(self) -> Principal | None:
        """The principal of the chosen organisation; ``None`` for a person in no organisation."""
        if self.org_id is None or self.role is None:
            return None
        return Principal(org_id=self.org_id, actor=self.actor, role=self.role, scopes=self.scopes)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted and value:
            return value.strip() or None
    return None


def credential(headers: Mapping[str, str]) -> str | None:
    """The presented credential: a Bearer token first, else ``X-Api-Key``."""
    scheme, _, value = (_header(headers, "authorization") or "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return _header(headers, "x-api-key")


def authenticate(headers: Mapping[str, str]) -> Caller:
    """The caller the request's headers prove; ``Unauthorized`` (401) or ``Forbidden`` (403, an
    ``X-Org-Id`` the caller does not belong to)."""
    secret = credential(headers)
    if not secret:
        raise Unauthorized(MISSING)
    wanted_org = _header(headers, ORG_HEADER)
    from tradewind.accounts import tokens

    if tokens.looks_like_jwt(secret):
        return _person(tokens.verify(secret), wanted_org)
    return _key(secret, wanted_org)


def _key(secret: str, wanted_org: str | None) -> Caller:
    from tradewind.services import apikeys

    grant = apikeys.resolve(secret)
    if grant is None:
        raise Unauthorized("invalid or revoked API key")
    grant.check_unexpired()
    if wanted_org is not None and wanted_org != grant.tenant_id:
        raise Forbidden(f"this API key belongs to another organisation than {wanted_org!r} (X-Org-Id)")
    return Caller(
        "key",
        f"key:{grant.key_id}",
        grant.tenant_id,
        grant.role,
        scopes=grant.scopes,
        orgs=((grant.tenant_id, grant.role),),
    )


def _person(person: object, wanted_org: str | None) -> Caller:
    from tradewind.accounts import members
    from tradewind.accounts.tokens import Person

    assert isinstance(person, Person)
    orgs = tuple((m.org_id, m.role) for m in members.memberships(person.user_id))
    chosen: tuple[str, Role] | None = orgs[0] if orgs else None
    if wanted_org is not None:
        chosen = next((o for o in orgs if o[0] == wanted_org), None)
        if chosen is None:
            raise Forbidden(f"you are not a member of organisation {wanted_org!r} (X-Org-Id)")
    return Caller(
        "user",
        f"user:{person.user_id}",
        chosen[0] if chosen else None,
        chosen[1] if chosen else None,
        email=person.email,
        orgs=orgs,
    )


def to_context(caller: Caller) -> dict[str, str]:
    """The caller as an API Gateway authorizer context (flat string values)."""
    return {
        "kind": caller.kind,
        "actor": caller.actor,
        "org_id": caller.org_id or "",
        "role": caller.role.value if caller.role else "",
        "email": caller.email or "",
        "scopes": ",".join(caller.scopes),
        "orgs": json.dumps([[org, role.value] for org, role in caller.orgs]),
    }


def from_context(context: Mapping[str, object]) -> Caller | None:
    """The caller an authorizer context carries, or ``None`` when there is none (no gateway)."""
    actor = context.get("actor")
    kind = context.get("kind")
    if not isinstance(actor, str) or kind not in ("user", "key"):
        return None
    role = str(context.get("role") or "")
    scopes = str(context.get("scopes") or "")
    orgs = json.loads(str(context.get("orgs") or "[]"))
    return Caller(
        "user" if kind == "user" else "key",
        actor,
        str(context.get("org_id") or "") or None,
        Role(role) if role else None,
        email=str(context.get("email") or "") or None,
        scopes=tuple(s for s in scopes.split(",") if s),
        orgs=tuple((str(org), Role(r)) for org, r in orgs),
    )
