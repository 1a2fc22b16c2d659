"""The two layers every function uses: the ``tradewind`` package and its third-party dependencies."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.constructs.function import RUNTIME


class Layers(Construct):
    """Layer versions from directories built by ``infra.build_layers`` (each holds ``python/``)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        tradewind_dir: Path,
        deps_dir: Path,
    ) -> None:
        super().__init__(scope, construct_id)
        self.tradewind = self._layer("Tradewind", tradewind_dir, "tradewind package (domain + data access)")
        self.deps = self._layer("Deps", deps_dir, "third-party runtime dependencies, trimmed")

    def _layer(self, construct_id: str, directory: Path, description: str) -> lambda_.LayerVersion:
        return lambda_.LayerVersion(
            self,
            construct_id,
            code=lambda_.Code.from_asset(str(directory)),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[lambda_.Architecture.X86_64],
            description=description,
        )

    @property
    def all(self) -> list[lambda_.ILayerVersion]:
        """Both layers: every Tradewind function gets exactly these (they never overlap)."""
        return [self.tradewind, self.deps]
