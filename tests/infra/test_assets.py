"""Asset resolution: deployable stages refuse to synthesize without builds; local falls back."""

from __future__ import annotations

from pathlib import Path

import pytest
from aws_cdk import App, RemovalPolicy

from infra.app import select_stage
from infra.assets import MissingAssetError, resolve_assets
from infra.build_layers import RUNTIME_PYTHON, build_tradewind_layer
from infra.stages import STAGES

pytestmark = pytest.mark.infra


def make_dist(root: Path) -> Path:
    dist = root / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html>")
    return dist


def test_deployable_stage_without_deps_layer_says_make_layers(tmp_path: Path) -> None:
    with pytest.raises(MissingAssetError, match="make layers"):
        resolve_assets("dev", build_root=tmp_path / "build", frontend_dist=make_dist(tmp_path))


def test_deployable_stage_without_frontend_build_says_make_frontend(tmp_path: Path) -> None:
    (tmp_path / "build" / "layers" / "deps" / "python").mkdir(parents=True)
    with pytest.raises(MissingAssetError, match="make frontend"):
        resolve_assets("prod", build_root=tmp_path / "build", frontend_dist=tmp_path / "missing")


def test_local_stage_falls_back_to_empty_placeholders(tmp_path: Path) -> None:
    assets = resolve_assets("local", build_root=tmp_path / "build", frontend_dist=tmp_path / "missing")
    assert assets.deps_layer.is_dir()
    assert list(assets.deps_layer.iterdir()) == []
    assert assets.frontend_dist.is_dir()
    assert list(assets.frontend_dist.iterdir()) == []
    assert (assets.tradewind_layer / "python" / "tradewind" / "settings.py").is_file()


@pytest.mark.skipif(not RUNTIME_PYTHON.exists(), reason="needs the Lambda runtime's Python 3.12")
def test_tradewind_layer_has_runtime_bytecode_checked_by_hash(tmp_path: Path) -> None:
    layer = build_tradewind_layer(tmp_path / "tradewind")
    pyc = layer / "python" / "tradewind" / "__pycache__" / "settings.cpython-312.pyc"
    # PEP 552 flags word: bit 0 = hash-based, bit 1 = check_source (off: zipped mtimes are meaningless).
    flags = int.from_bytes(pyc.read_bytes()[4:8], "little")
    assert flags == 0b01
    assert not list(layer.rglob("tests"))


def test_stage_comes_from_argument_then_context_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TW_STAGE", "prod")
    assert select_stage(App()).name == "prod"
    assert select_stage(App(context={"stage": "local"})).name == "local"
    assert select_stage(App(context={"stage": "local"}), "dev").name == "dev"
    monkeypatch.delenv("TW_STAGE")
    assert select_stage(App()).name == "dev"


def test_alarm_email_from_context_and_unknown_stage_rejected() -> None:
    app = App(context={"stage": "prod", "alarm_email": "ops@example.com"})
    assert select_stage(app).alarm_email == "ops@example.com"
    with pytest.raises(ValueError, match="known stages: dev, local, prod"):
        select_stage(App(context={"stage": "staging"}))


def test_only_throwaway_stages_destroy_data() -> None:
    assert STAGES["prod"].removal_policy is RemovalPolicy.RETAIN
    assert STAGES["dev"].removal_policy is RemovalPolicy.DESTROY
