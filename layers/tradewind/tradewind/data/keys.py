"""Key builders shared by data access and the API, free of pynamodb so routes can import them cheaply."""

from __future__ import annotations


def tenant_pk(tenant_id: str) -> str:
    """The partition of every record a tenant owns (see docs/architecture.md, Data design)."""
    return f"TENANT#{tenant_id}"
