"""The deps layer recipe: what it installs, what it trims, and the 250 MB guard."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.build_layers import check_size, runtime_requirements, trim

pytestmark = pytest.mark.infra


def touch(path: Path, size: int = 1) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)


def test_runtime_requirements_leave_out_what_lambda_provides() -> None:
    requirements = runtime_requirements()
    names = " ".join(requirements)
    assert "pandas" in names
    assert "fastapi" in names
    assert not any(spec.startswith("boto3") for spec in requirements)


def test_trim_drops_runtime_provided_packages_tests_and_caches(tmp_path: Path) -> None:
    kept = [tmp_path / "pkg" / "__init__.py", tmp_path / "pkg-1.0.dist-info" / "METADATA"]
    dropped = [
        tmp_path / "boto3" / "__init__.py",
        tmp_path / "botocore" / "data" / "x.json",
        tmp_path / "botocore-1.35.0.dist-info" / "METADATA",
        tmp_path / "pkg" / "tests" / "test_pkg.py",
        tmp_path / "pkg" / "__pycache__" / "mod.cpython-311.pyc",
        tmp_path / "pkg-1.0.dist-info" / "RECORD",
        tmp_path / "pkg" / "stubs.pyi",
        tmp_path / "bin" / "tool",
    ]
    for path in kept + dropped:
        touch(path)
    trim(tmp_path)
    assert all(path.exists() for path in kept)
    assert not any(path.exists() for path in dropped)
    assert not (tmp_path / "pkg" / "tests").exists()


def test_size_check_counts_biggest_function_plus_layers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    touch(tmp_path / "functions" / "small" / "handler.py", 10)
    touch(tmp_path / "functions" / "big" / "handler.py", 100)
    touch(tmp_path / "deps" / "python" / "lib.py", 1000)
    assert check_size([tmp_path / "deps"], tmp_path / "functions", limit=2000) == 1100
    assert "deps layer" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="over Lambda's 1000 bytes"):
        check_size([tmp_path / "deps"], tmp_path / "functions", limit=1000)
