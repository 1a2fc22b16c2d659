"""Job objects in the artifacts bucket (keys from :mod:`tradewind.jobs.artifacts`).

Plain boto3 calls through the lazily created clients of :mod:`tradewind.aws`: nothing here loads
pandas, so the API can write a spec or sign a download without it.
"""

from __future__ import annotations

import json
import os
from typing import Any

from tradewind import aws
from tradewind.jobs.artifacts import job_prefix, spec_key
from tradewind.jobs.spec import JobSpec
from tradewind.settings import get_settings

_MISSING = {"404", "NoSuchKey", "NotFound"}


def _bucket() -> str:
    return get_settings().artifacts_bucket


def _missing(exc: Exception) -> bool:
    from botocore.exceptions import ClientError

    return isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in _MISSING


def put_bytes(key: str, body: bytes, content_type: str) -> None:
    aws.client("s3").put_object(Bucket=_bucket(), Key=key, Body=body, ContentType=content_type)


def get_bytes(key: str) -> bytes | None:
    """The object's bytes, or ``None`` when it does not exist."""
    try:
        body = aws.client("s3").get_object(Bucket=_bucket(), Key=key)["Body"]
    except Exception as exc:
        if _missing(exc):
            return None
        raise
    return bytes(body.read())


def get_json(key: str) -> Any:
    """The parsed JSON object, or ``None`` when it does not exist."""
    raw = get_bytes(key)
    return None if raw is None else json.loads(raw)


def exists(key: str) -> bool:
    try:
        aws.client("s3").head_object(Bucket=_bucket(), Key=key)
    except Exception as exc:
        if _missing(exc):
            return False
        raise
    return True


def write_spec(tenant_id: str, job_id: str, spec: JobSpec) -> None:
    put_bytes(spec_key(tenant_id, job_id), spec.model_dump_json().encode(), "application/json")


def read_spec(tenant_id: str, job_id: str) -> JobSpec | None:
    raw = get_bytes(spec_key(tenant_id, job_id))
    return None if raw is None else JobSpec.model_validate_json(raw)


def list_keys(prefix: str) -> list[str]:
    pages = aws.client("s3").get_paginator("list_objects_v2").paginate(Bucket=_bucket(), Prefix=prefix)
    return [item["Key"] for page in pages for item in page.get("Contents", [])]


def copy_prefix(source: str, target: str) -> int:
    """Copy every object under ``source`` to the same relative key under ``target`` (server side)."""
    s3, bucket = aws.client("s3"), _bucket()
    keys = list_keys(source)
    for key in keys:
        s3.copy_object(
            Bucket=bucket, Key=target + key[len(source) :], CopySource={"Bucket": bucket, "Key": key}
        )
    return len(keys)


def delete_prefix(prefix: str) -> int:
    """Delete every object under ``prefix``; returns how many."""
    s3, bucket = aws.client("s3"), _bucket()
    keys = list_keys(prefix)
    for start in range(0, len(keys), 1000):
        chunk = [{"Key": key} for key in keys[start : start + 1000]]
        s3.delete_objects(Bucket=bucket, Delete={"Objects": chunk, "Quiet": True})
    return len(keys)


def delete_job_objects(tenant_id: str, job_id: str) -> int:
    return delete_prefix(job_prefix(tenant_id, job_id))


def presigned_get(key: str, filename: str, expires_in: int) -> str:
    """A URL that GETs exactly this object, saved by a browser as ``filename``."""
    from tradewind.data.bars import _presigner

    settings = get_settings()
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    url: str = _presigner(settings.region, endpoint).generate_presigned_url(
        "get_object",
        Params={
            "Bucket": settings.artifacts_bucket,
            "Key": key,
            "ResponseContentDisposition": f'attachment; filename="{filename}"',
        },
        ExpiresIn=expires_in,
    )
    return url
