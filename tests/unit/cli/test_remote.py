"""``tradewind remote``'s local side: reading the strategy file and the saved local key (no network)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tradewind.cli.main import main
from tradewind.cli.remote import local_key

REMOTE = ["remote", "backtest", "--api-key", "k", "--dataset", "sample", "--symbols", "AAA"]


@pytest.mark.parametrize("content", [None, "{not json", b"\xff\xfe"])
def test_an_unusable_strategy_file_names_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes | None
) -> None:
    path = tmp_path / "s.json"
    if isinstance(content, str):
        path.write_text(content)
    elif content is not None:
        path.write_bytes(content)
    assert main([*REMOTE, "--strategy", str(path)]) == 2
    err = capsys.readouterr().err
    assert "  --strategy: " in err
    assert str(path) in err


def test_the_local_key_is_read_from_the_data_directory(tmp_path: Path) -> None:
    assert local_key(tmp_path) is None
    (tmp_path / "api-key").write_text("secret\n")
    assert local_key(tmp_path) == "secret"
