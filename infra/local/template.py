"""Find (and when stale, produce) the synthesized CloudFormation template of the local stage.

The local cloud is provisioned from the same template ``cdk deploy`` would use, so local and cloud
cannot drift. Synth takes 10-15 s, so the template in ``cdk.out`` is reused while it is newer than
every file of the CDK app (``infra/`` minus ``infra/local/``) and of ``functions/`` (the assets the
template stages: a handler edit must re-stage them for the handler lookup to match).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("tradewind.local")

STACK_NAME = "Tradewind-local"


@dataclass(frozen=True)
class SynthesizedStack:
    """A template with the folder it was synthesized into (assets live next to it)."""

    stack_name: str
    template: dict[str, Any]
    cdk_out: Path


def _newest_source_mtime(root: Path) -> float:
    newest = 0.0
    for folder in (root / "infra", root / "functions"):
        for path in folder.rglob("*"):
            parts = path.relative_to(root).parts
            if parts[:2] == ("infra", "local") or "__pycache__" in parts or not path.is_file():
                continue
            newest = max(newest, path.stat().st_mtime)
    for name in ("cdk.json",):
        if (root / name).exists():
            newest = max(newest, (root / name).stat().st_mtime)
    return newest


def synthesize(root: Path, stack_name: str = STACK_NAME) -> SynthesizedStack:
    """Return the local stage's template, running ``python -m infra.app`` only when it is stale."""
    cdk_out = root / "cdk.out"
    path = cdk_out / f"{stack_name}.template.json"
    if not path.exists() or path.stat().st_mtime < _newest_source_mtime(root):
        log.info("synthesizing the CDK app (stage=local) ...")
        env = {
            **os.environ,
            "TW_STAGE": "local",
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
            "PYTHONPATH": os.pathsep.join([str(root), str(root / "layers" / "tradewind")]),
        }
        result = subprocess.run(
            [sys.executable, "-m", "infra.app"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0 or not path.exists():
            raise RuntimeError(f"CDK synth failed (exit {result.returncode}):\n{result.stderr[-4000:]}")
    return load(path)


def load(path: Path) -> SynthesizedStack:
    """Read a template file; the stack name is the file name without ``.template.json``."""
    return SynthesizedStack(
        stack_name=path.name.removesuffix(".template.json"),
        template=json.loads(path.read_text()),
        cdk_out=path.parent,
    )
