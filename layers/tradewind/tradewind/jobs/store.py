"""Job objects in the artifacts bucket (keys from :mod:`tradewind.jobs.artifacts`).

The artifacts-bucket side of :mod:`tradewind.data.objects`: nothing here loads pandas, so the API can
write a spec or sign a download without it.
"""

from __future__ import annotations

import json
from typing import Any

from tradewind.data import objects
from tradewind.jobs.artifacts import INTERMEDIATE_TAGGING, job_prefix, spec_key
from tradewind.jobs.spec import JobSpec
from tradewind.settings import get_settings


def _bucket() -> str:
    return get_settings().artifacts_bucket


def put_bytes(key: str, body: bytes, content_type: str) -> None:
    objects.put(_bucket(), key, body, content_type)


def put_intermediate(key: str, body: bytes, content_type: str) -> None:
    """An object only the running workflow reads (the manifest, a shard's result): tagged so that the
    bucket's lifecycle rule expires it (docs/jobs.md, Retention)."""
    objects.put(_bucket(), key, body, content_type, tagging=INTERMEDIATE_TAGGING)


def get_bytes(key: str) -> bytes | None:
    """The object's bytes, or ``None`` when it does not exist."""
    return objects.read_if_exists(_bucket(), key)


def get_json(key: str) -> Any:
    """The parsed JSON object, or ``None`` when it does not exist."""
    raw = get_bytes(key)
    return None if raw is None else json.loads(raw)


def exists(key: str) -> bool:
    return objects.size(_bucket(), key) is not None


def write_spec(tenant_id: str, job_id: str, spec: JobSpec) -> None:
    put_bytes(spec_key(tenant_id, job_id), spec.model_dump_json().encode(), "application/json")


def read_spec(tenant_id: str, job_id: str) -> JobSpec | None:
    raw = get_bytes(spec_key(tenant_id, job_id))
    return None if raw is None else JobSpec.model_validate_json(raw)


def list_keys(prefix: str) -> list[str]:
    return objects.list_keys(_bucket(), prefix)


def copy_prefix(source: str, target: str) -> int:
    """Copy every object under ``source`` to the same relative key under ``target`` (server side)."""
    return objects.copy_prefix(_bucket(), source, target)


def delete_prefix(prefix: str) -> int:
    """Delete every object under ``prefix`` (their older versions expire by the bucket's lifecycle
    rule); returns how many."""
    return objects.delete_prefix(_bucket(), prefix)


def delete_job_objects(tenant_id: str, job_id: str) -> int:
    """Delete every object of the job, every version and delete marker included (the bucket is
    versioned); returns how many versions and markers went."""
    return objects.purge_prefix(_bucket(), job_prefix(tenant_id, job_id))


def presigned_get(key: str, filename: str, expires_in: int) -> str:
    """A URL that GETs exactly this object, saved by a browser as ``filename``."""
    return objects.presigned_url(
        "get_object",
        expires_in,
        Bucket=_bucket(),
        Key=key,
        ResponseContentDisposition=f'attachment; filename="{filename}"',
    )
