"""Layer size and the API Lambda's cold import as Lambda would run it: Python 3.12, layers on the path.

Reuses ``build/layers`` when ``make layers`` already built them (else builds them: needs PyPI). The
import runs in fresh ``python3.12`` processes with only the function folder, the two layers and the
runtime-provided boto3/botocore/s3transfer on ``sys.path`` (no venv, no source checkout) and Lambda's
environment variables, so it measures the shipped bytecode, not the developer's environment.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from infra.build_layers import (
    BUILD_DIR,
    FUNCTIONS_DIR,
    RUNTIME_PROVIDED,
    RUNTIME_PYTHON,
    build_deps_layer,
    build_tradewind_layer,
    check_size,
    compile_tree,
)

RUNS = 5
TARGET_MS = 350
_PROBE = (
    "import sys, time; t = time.perf_counter(); import handler; "
    "print((time.perf_counter() - t) * 1000, 'pandas' in sys.modules)"
)


def _runtime_provided(target: Path) -> None:
    """Copy the packages the Lambda runtime ships (pure Python) and precompile them, as the runtime is."""
    for name in RUNTIME_PROVIDED:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise SystemExit(f"{name} must be installed to benchmark the runtime's view")
        shutil.copytree(Path(spec.origin).parent, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    compile_tree(target)


def cold_imports(layers: list[Path]) -> tuple[list[float], bool]:
    """Milliseconds to import the api handler in fresh processes, and whether pandas got imported."""
    with tempfile.TemporaryDirectory() as runtime:
        _runtime_provided(Path(runtime))
        path = [str(FUNCTIONS_DIR / "api"), *(str(layer / "python") for layer in layers), runtime]
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": os.pathsep.join(path),
            "PYTHONNOUSERSITE": "1",
            # Nothing written into the checkout; the function folder ships without bytecode anyway.
            "PYTHONDONTWRITEBYTECODE": "1",
            "AWS_REGION": "us-east-1",
            # What Lambda sets: X-Ray and Powertools take their Lambda code paths.
            "LAMBDA_TASK_ROOT": str(FUNCTIONS_DIR / "api"),
            "AWS_LAMBDA_FUNCTION_NAME": "tradewind-api",
            "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12",
            "TW_STAGE": "bench",
        }
        samples, pandas = [], False
        for _ in range(RUNS):
            out = subprocess.run(
                [str(RUNTIME_PYTHON), "-S", "-c", _PROBE], env=env, check=True, capture_output=True, text=True
            ).stdout.split()
            samples.append(float(out[0]))
            pandas = pandas or out[1] == "True"
        return samples, pandas


def main() -> None:
    """Print the layers' sizes and the api handler's cold import time under Python 3.12."""
    if not RUNTIME_PYTHON.exists():
        print(f"layers: skipped, {RUNTIME_PYTHON} (the Lambda runtime's Python) is not installed")
        return
    deps = BUILD_DIR / "deps"
    layers = [build_tradewind_layer(), deps if (deps / "python").is_dir() else build_deps_layer()]
    check_size(layers)
    samples, pandas = cold_imports(layers)
    print(
        f"api handler cold import (python3.12, layers only, {RUNS} fresh processes): "
        f"median {statistics.median(samples):.0f} ms, min {min(samples):.0f} ms, max {max(samples):.0f} ms "
        f"(target <= {TARGET_MS} ms); pandas imported: {pandas}"
    )


if __name__ == "__main__":
    main()
