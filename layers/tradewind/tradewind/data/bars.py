"""Market-data objects in the data bucket: uploaded sources and published per-symbol Parquet.

Published bars are immutable (a dataset id is never reused for other data), so reads are cached
in-process by object key.
"""

from __future__ import annotations

from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from threading import Lock
from typing import TYPE_CHECKING

from tradewind.data import objects
from tradewind.settings import get_settings

if TYPE_CHECKING:
    import pandas as pd

_PUT_WORKERS = 16
_CACHE_ENTRIES = 64
_cache: OrderedDict[str, pd.DataFrame] = OrderedDict()
_cache_lock = Lock()


def _bucket() -> str:
    return get_settings().data_bucket


def read_object(key: str) -> bytes:
    """The whole object (uploads are bounded by ``settings.max_upload_bytes``)."""
    return objects.read(_bucket(), key)


def object_size(key: str) -> int | None:
    """The object's size in bytes, or ``None`` when it does not exist."""
    return objects.size(_bucket(), key)


def put_object(key: str, body: bytes, content_type: str) -> None:
    objects.put(_bucket(), key, body, content_type)


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

    cache_key = f"{_bucket()}/{key}"
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
    return objects.list_keys(_bucket(), prefix)


def delete_prefix(prefix: str) -> int:
    """Delete every object under ``prefix`` (and forget their cached bars); returns how many."""
    count = objects.delete_prefix(_bucket(), prefix)
    with _cache_lock:
        stale = f"{_bucket()}/{prefix}"
        for key in [k for k in _cache if k.startswith(stale)]:
            del _cache[key]
    return count


def presigned_put(key: str, content_type: str, expires_in: int) -> str:
    """A URL that lets the client PUT exactly this object with this content type."""
    return objects.presigned_url(
        "put_object", expires_in, Bucket=_bucket(), Key=key, ContentType=content_type
    )
