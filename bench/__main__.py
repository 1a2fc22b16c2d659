"""Run every benchmark module (or those named on the command line) and print their figures.

Usage: ``python -m bench`` (all) or ``python -m bench engine api`` (``bench_engine``, ``bench_api``).
Each module measures one area and prints its own figures next to the target it is held to.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
import traceback

import bench


def _modules(selected: list[str]) -> list[str]:
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    if not selected:
        return names
    wanted = {f"bench_{name.removeprefix('bench_')}" for name in selected}
    unknown = wanted - set(names)
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; have: {', '.join(names)}")
    return [n for n in names if n in wanted]


def main(argv: list[str]) -> int:
    """Run the benchmarks one after another; a failing one is reported and the rest still run."""
    failures = 0
    for name in _modules(argv):
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        try:
            importlib.import_module(f"bench.{name}").main()
        except Exception:
            failures += 1
            traceback.print_exc()
        print(f"--- {name}: {time.perf_counter() - started:.1f} s", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
