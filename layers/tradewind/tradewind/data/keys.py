"""Key builders shared by data access and the API, free of pynamodb so routes can import them cheaply."""

from __future__ import annotations

import re

DATASET_ID_PATTERN = re.compile(r"^[a-z0-9-]{1,40}$")
"""What a dataset id looks like (it is part of the dataset's sort key and object keys)."""


def tenant_pk(tenant_id: str) -> str:
    """The partition of every record a tenant owns (see docs/architecture.md, Data design)."""
    return f"TENANT#{tenant_id}"
