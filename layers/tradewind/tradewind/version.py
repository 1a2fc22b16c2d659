"""Version and build identity, read once; the commit comes from the environment set at deploy time."""

import os

__version__ = "0.1.0"


def build_commit() -> str:
    """The git commit the code was built from (``TW_COMMIT``), or ``unknown``."""
    return os.environ.get("TW_COMMIT", "unknown")
