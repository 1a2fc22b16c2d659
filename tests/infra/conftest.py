"""Synthesize the ``dev`` stage once per module, offline, from assets prepared in a temp build dir.

The deps layer and the frontend build are stand-ins (a marker module, an index.html): the tests
assert on the template, and downloading wheels would make them slow and network-bound.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Template

from infra.app import create_app
from infra.assets import resolve_assets
from infra.stack import TradewindStack

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

STAGE = "dev"


@dataclass(frozen=True)
class Synthesized:
    """One synth: the stack object, its template, where it was written, and how synth ended."""

    stack: TradewindStack
    template: Template
    template_json: dict[str, Any]
    outdir: Path
    synth_error: str | None

    @property
    def resources(self) -> dict[str, Any]:
        resources: dict[str, Any] = self.template_json["Resources"]
        return resources

    def of_type(self, cfn_type: str) -> dict[str, dict[str, Any]]:
        return {key: res for key, res in self.resources.items() if res["Type"] == cfn_type}


def prepare_build(root: Path) -> tuple[Path, Path]:
    """A fake deps layer and frontend build, as `make layers` / `make frontend` would leave them."""
    deps = root / "build" / "layers" / "deps" / "python"
    deps.mkdir(parents=True)
    (deps / "marker.py").write_text("VALUE = 1\n")
    dist = root / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><title>Tradewind</title>")
    return root / "build", dist


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    root = tmp_path_factory.mktemp("infra")
    build_root, dist = prepare_build(root)
    assets = resolve_assets(STAGE, build_root=build_root, frontend_dist=dist)
    outdir = root / "cdk.out"
    app, stack = create_app(STAGE, assets=assets, outdir=str(outdir))
    try:
        app.synth()
        error = None
    except RuntimeError as exc:  # cdk-nag errors fail synth after the template is written
        error = str(exc)
    template = json.loads((outdir / f"{stack.stack_name}.template.json").read_text())
    return Synthesized(
        stack=stack,
        template=Template.from_json(template),
        template_json=template,
        outdir=outdir,
        synth_error=error,
    )
