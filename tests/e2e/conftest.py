"""The ``stack`` fixture: ``python -m infra.local`` (what ``make run`` starts) as a subprocess.

One stack per session on a free port with a temporary data directory (see
:class:`infra.local.launcher.LocalStack`): ``stack.url``, ``stack.ws_url``, ``stack.api_key``,
``stack.headers`` and ``stack.restart()`` (SIGINT, then start again on the same data directory).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from infra.local.launcher import LocalStack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """The local stack, started once per session (the sample universe seeds in the background)."""
    running = LocalStack(data_dir=tmp_path_factory.mktemp("stack") / "data")
    running.start()
    try:
        yield running
    finally:
        running.stop()
