"""S3 object operations on one of the stack's buckets, shared by market data and job artifacts.

Plain boto3 calls through the lazily created clients of :mod:`tradewind.aws` (nothing here loads
pandas). Presigned URLs are signed with SigV4 against the same endpoint the clients use.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from tradewind import aws

_MISSING = {"404", "NoSuchKey", "NotFound"}


def _missing(exc: Exception) -> bool:
    from botocore.exceptions import ClientError

    return isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in _MISSING


def read(bucket: str, key: str) -> bytes:
    """The whole object (raises when it does not exist)."""
    body = aws.client("s3").get_object(Bucket=bucket, Key=key)["Body"]
    return bytes(body.read())


def read_if_exists(bucket: str, key: str) -> bytes | None:
    """The whole object, or ``None`` when it does not exist."""
    try:
        return read(bucket, key)
    except Exception as exc:
        if _missing(exc):
            return None
        raise


def size(bucket: str, key: str) -> int | None:
    """The object's size in bytes, or ``None`` when it does not exist."""
    try:
        head = aws.client("s3").head_object(Bucket=bucket, Key=key)
    except Exception as exc:
        if _missing(exc):
            return None
        raise
    return int(head["ContentLength"])


def put(bucket: str, key: str, body: bytes, content_type: str, tagging: str | None = None) -> None:
    """Write the object; ``tagging`` (``"k=v&k2=v2"``) sets its tags in the same request."""
    extra = {} if tagging is None else {"Tagging": tagging}
    aws.client("s3").put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type, **extra)


def list_keys(bucket: str, prefix: str) -> list[str]:
    pages = aws.client("s3").get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return [item["Key"] for page in pages for item in page.get("Contents", [])]


def copy_prefix(bucket: str, source: str, target: str) -> int:
    """Copy every object under ``source`` to the same relative key under ``target`` (server side)."""
    s3 = aws.client("s3")
    keys = list_keys(bucket, source)
    for key in keys:
        s3.copy_object(
            Bucket=bucket, Key=target + key[len(source) :], CopySource={"Bucket": bucket, "Key": key}
        )
    return len(keys)


def delete_prefix(bucket: str, prefix: str) -> int:
    """Delete every object under ``prefix``; returns how many. In a versioned bucket this only adds
    delete markers (the versions stay): see :func:`purge_prefix`."""
    keys = list_keys(bucket, prefix)
    _delete(bucket, [{"Key": key} for key in keys])
    return len(keys)


def purge_prefix(bucket: str, prefix: str) -> int:
    """Delete every version and delete marker of every object under ``prefix`` (in a versioned
    bucket, nothing of them is left; in an unversioned one, the same as :func:`delete_prefix`).
    Returns how many versions and markers went."""
    pages = aws.client("s3").get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix)
    found = [
        {"Key": item["Key"], "VersionId": item["VersionId"]}
        for page in pages
        for item in (*page.get("Versions", []), *page.get("DeleteMarkers", []))
    ]
    _delete(bucket, found)
    return len(found)


def _delete(bucket: str, objects: list[dict[str, str]]) -> None:
    """``DeleteObjects`` in batches of 1,000; raises if S3 could not delete any of them (it answers
    per-key errors with a 200)."""
    s3 = aws.client("s3")
    for start in range(0, len(objects), 1000):
        chunk = objects[start : start + 1000]
        answer = s3.delete_objects(Bucket=bucket, Delete={"Objects": chunk, "Quiet": True})
        errors = answer.get("Errors") or []
        if errors:
            first = errors[0]
            raise RuntimeError(
                f"could not delete {len(errors)} object(s) in {bucket}, e.g. {first.get('Key')}: "
                f"{first.get('Code')} {first.get('Message')}"
            )


def presigned_url(operation: str, expires_in: int, **params: str) -> str:
    """A SigV4 URL for one ``get_object``/``put_object`` call with exactly these ``params``."""
    from tradewind.settings import get_settings

    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    url: str = _presigner(get_settings().region, endpoint).generate_presigned_url(
        operation, Params=params, ExpiresIn=expires_in
    )
    return url


def regional_endpoint(region: str) -> str:
    """The region's own S3 endpoint (``https://s3.<region>.amazonaws.com``, ``.com.cn`` in China)."""
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"https://s3.{region}.{suffix}"


@lru_cache(maxsize=4)
def _presigner(region: str, endpoint: str | None) -> Any:
    """An S3 client that signs with SigV4 (SigV2 URLs are refused in newer regions).

    In AWS the URL is virtual-hosted on the region's endpoint (``https://<bucket>.s3.<region>...``):
    botocore's default, the global ``<bucket>.s3.amazonaws.com``, redirects a new bucket outside
    us-east-1 (a browser's CORS preflight does not follow that), and the web app's CSP allows the
    regional form only (infra/stack.py ``browser_connect_origins``)."""
    import boto3
    from botocore.config import Config

    if endpoint is None:
        return boto3.session.Session().client(
            "s3",
            region_name=region,
            endpoint_url=regional_endpoint(region),
            config=Config(signature_version="s3v4", s3={"addressing_style": "virtual"}),
        )
    return boto3.session.Session().client(
        "s3", region_name=region, endpoint_url=endpoint, config=Config(signature_version="s3v4")
    )
