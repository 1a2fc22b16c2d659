"""Market-data objects in the data bucket: uploaded sources and published per-symbol Parquet.

Published bars are immutable (a dataset id is never reused for other data), so reads are cached
in-process by object key.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from threading import Lock
from typing import TYPE_CHECKING, Any

from tradewind import aws
from tradewind.settings import get_settings

if TYPE_CHECKING:
    import pandas as pd

_PUT_WORKERS = 16
_CACHE_ENTRIES = 64
_cache: OrderedDict[str, pd.DataFrame] = OrderedDict()
_cache_lock = Lock()


def read_object(key: str) -> bytes:
    """The whole object (uploads are bounded by ``settings.max_upload_bytes``)."""
    body = aws.client("s3").get_object(Bucket=get_settings().data_bucket, Key=key)["Body"]
    return bytes(body.read())


def object_size(key: str) -> int | None:
    """The object's size in bytes, or ``None`` when it does not exist."""
    from botocore.exceptions import ClientError

    try:
        head = aws.client("s3").head_object(Bucket=get_settings().data_bucket, Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
            return None
        raise
    return int(head["ContentLength"])


def put_object(key: str, body: bytes, content_type: str) -> None:
    aws.client("s3").put_object(
        Bucket=get_settings().data_bucket, Key=key, Body=body, ContentType=content_type
    )


def write_bars(frames: dict[str, pd.DataFrame]) -> None:
    """Write ``{object key: bars}`` as Parquet, in parallel (S3 latency dominates)."""
    from tradewind.marketdata.parquet import to_parquet_bytes

    def put(item: tuple[str, pd.DataFrame]) -> None:
        put_object(item[0], to_parquet_bytes(item[1]), "application/vnd.apache.parquet")

    with ThreadPoolExecutor(max_workers=_PUT_WORKERS) as pool:
        list(pool.map(put, frames.items()))


def read_bars(key: str) -> pd.DataFrame:
    """One symbol's published bars (cached: published objects never change)."""
    from tradewind.marketdata.parquet import from_parquet_bytes

    cache_key = f"{get_settings().data_bucket}/{key}"
    with _cache_lock:
        cached = _cache.get(cache_key)
        if cached is not None:
            _cache.move_to_end(cache_key)
            return cached
    frame = from_parquet_bytes(read_object(key))
    with _cache_lock:
        _cache[cache_key] = frame
        while len(_cache) > _CACHE_ENTRIES:
            _cache.popitem(last=False)
    return frame


def list_keys(prefix: str) -> list[str]:
    paginator = aws.client("s3").get_paginator("list_objects_v2")
    pages = paginator.paginate(Bucket=get_settings().data_bucket, Prefix=prefix)
    return [item["Key"] for page in pages for item in page.get("Contents", [])]


def delete_prefix(prefix: str) -> int:
    """Delete every object under ``prefix``; returns how many."""
    keys = list_keys(prefix)
    s3 = aws.client("s3")
    for start in range(0, len(keys), 1000):
        chunk = [{"Key": key} for key in keys[start : start + 1000]]
        s3.delete_objects(Bucket=get_settings().data_bucket, Delete={"Objects": chunk, "Quiet": True})
    with _cache_lock:
        stale = f"{get_settings().data_bucket}/{prefix}"
        for key in [k for k in _cache if k.startswith(stale)]:
            del _cache[key]
    return len(keys)


def presigned_put(key: str, content_type: str, expires_in: int) -> str:
    """A URL that lets the client PUT exactly this object with this content type."""
    settings = get_settings()
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    url: str = _presigner(settings.region, endpoint).generate_presigned_url(
        "put_object",
        Params={"Bucket": settings.data_bucket, "Key": key, "ContentType": content_type},
        ExpiresIn=expires_in,
    )
    return url


@lru_cache(maxsize=4)
def _presigner(region: str, endpoint: str | None) -> Any:
    """An S3 client that signs with SigV4 (SigV2 URLs are refused in newer regions)."""
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client(
        "s3", region_name=region, endpoint_url=endpoint, config=Config(signature_version="s3v4")
    )
