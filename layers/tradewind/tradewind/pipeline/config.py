"""The pipeline's settings, from ``TW_PIPELINE_*`` variables (set by the stack, docs/architecture.md).

Read on every use (cheap): tests and the local cloud set them after import.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_BATCH_SYMBOLS = 25
DEFAULT_MAX_RECEIVES = 3


@dataclass(frozen=True)
class PipelineConfig:
    queue_url: str  # the batch queue (API: it sends one message per batch)
    batch_symbols: int  # symbols per message
    max_receives: int  # the queue's maxReceiveCount: the last try of a batch fails the run


def pipeline_config() -> PipelineConfig:
    env = os.environ
    return PipelineConfig(
        queue_url=env.get("TW_PIPELINE_QUEUE_URL", ""),
        batch_symbols=int(env.get("TW_PIPELINE_BATCH_SYMBOLS", DEFAULT_BATCH_SYMBOLS)),
        max_receives=int(env.get("TW_PIPELINE_MAX_RECEIVES", DEFAULT_MAX_RECEIVES)),
    )
