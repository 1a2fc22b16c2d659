"""Where the stack's code assets come from, and the checks that they exist before synth.

Lambda code and layers are plain directories (no Docker bundling). The ``local`` stage's template is
only read by the local cloud, which never uploads assets, so a missing deps layer or frontend build is
replaced there by an empty directory; every other stage refuses to synthesize without them, because
deploying an empty layer or site would "work" and then fail at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from infra.build_layers import ROOT, build_tradewind_layer

FUNCTION_NAMES = (
    "api",
    "ws_connect",
    "ws_disconnect",
    "ws_default",
    "import_worker",
    "sample_seed",
    "janitor",
)


class MissingAssetError(RuntimeError):
    """A build output needed by a deployable stage is absent; the message says which make target."""


@dataclass(frozen=True)
class StackAssets:
    """Directories the stack turns into assets: layer roots (holding ``python/``) and the site."""

    functions_dir: Path
    tradewind_layer: Path
    deps_layer: Path
    frontend_dist: Path

    def function(self, name: str) -> Path:
        """The code asset of one Lambda: its folder under ``functions/``."""
        return self.functions_dir / name


def resolve_assets(
    stage: str,
    *,
    build_root: Path = ROOT / "build",
    frontend_dist: Path = ROOT / "frontend" / "dist",
    functions_dir: Path = ROOT / "functions",
) -> StackAssets:
    """Build the quick ``tradewind`` layer and locate the slow-to-build assets for ``stage``."""
    tradewind = build_tradewind_layer(build_root / "layers" / "tradewind")
    deps = build_root / "layers" / "deps"
    dist = frontend_dist

    def placeholder(name: str) -> Path:
        """An empty asset directory for the local stage (never uploaded: local reads only the template)."""
        path = build_root / "placeholders" / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    if not (deps / "python").is_dir():
        if stage != "local":
            raise MissingAssetError(f"{deps} is missing: run `make layers` before synthesizing stage {stage}")
        deps = placeholder("deps")
    if not (dist / "index.html").is_file():
        if stage != "local":
            raise MissingAssetError(
                f"{dist} is missing: run `make frontend` before synthesizing stage {stage}"
            )
        dist = placeholder("frontend-dist")
    return StackAssets(
        functions_dir=functions_dir,
        tradewind_layer=tradewind,
        deps_layer=deps,
        frontend_dist=dist,
    )
