"""The CDK app: ``python -m infra.app`` (or ``cdk synth -c stage=dev``) -> ``cdk.out/Tradewind-{stage}``
plus ``cdk.out/TradewindAccount`` (the account-level API Gateway logging role every stage depends on).

The stage comes from ``-c stage=...``, else ``TW_STAGE``, else ``dev``; ``-c alarm_email=...`` subscribes
an address to the stage's alarms. Running the module directly also reads cdk.json's context (the CLI
passes it itself), so both ways synthesize the same template.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from aws_cdk import App

from infra.account import TradewindAccountStack
from infra.assets import StackAssets, resolve_assets
from infra.nag import add_checks
from infra.stack import TradewindStack
from infra.stages import DEFAULT_STAGE, StageSettings, stage_settings

ROOT = Path(__file__).resolve().parent.parent


def _cdk_json_context() -> dict[str, object]:
    """The feature flags in cdk.json, which only the CLI would otherwise pass to the app."""
    context: dict[str, object] = json.loads((ROOT / "cdk.json").read_text()).get("context", {})
    return context


def select_stage(app: App, stage: str | None = None) -> StageSettings:
    """``stage`` if given, else ``-c stage=``, else ``TW_STAGE``, else dev; ``-c alarm_email=`` applies."""
    name = stage or app.node.try_get_context("stage") or os.environ.get("TW_STAGE") or DEFAULT_STAGE
    settings = stage_settings(name)
    if email := app.node.try_get_context("alarm_email"):
        settings = dataclasses.replace(settings, alarm_email=email)
    return settings


def create_app(
    stage: str | None = None, *, assets: StackAssets | None = None, outdir: str = "cdk.out"
) -> tuple[App, TradewindStack]:
    """Build the app with cdk-nag attached; ``assets`` defaults to the real build outputs."""
    app = App(outdir=outdir, context=_cdk_json_context())
    settings = select_stage(app, stage)
    stack = TradewindStack(
        app,
        f"Tradewind-{settings.name}",
        settings=settings,
        assets=assets or resolve_assets(settings.name),
        # No env: the template is account/region-agnostic (the CLI's credentials pick both at deploy),
        # so local, CI and every account synthesize the same template.
    )
    # Deployed before the stage (a no-op once it exists), never destroyed with it.
    stack.add_stack_dependency(
        TradewindAccountStack(app), "API Gateway stages log through the account's logging role"
    )
    add_checks(app)
    return app, stack


def main() -> None:
    """Synthesize the selected stage into ``cdk.out``."""
    app, _ = create_app()
    app.synth()


if __name__ == "__main__":
    main()
