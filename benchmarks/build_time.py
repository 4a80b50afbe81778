"""How long does the docs build take, against the examples it runs?

Measures, on this machine:

1. the sum of the examples' standalone run times: each example run alone
   with :func:`concdoc.runner.run_example`, as the build runs it (trace on
   unless the example says ``# concdoc: timeline = off``), one after another;
2. a clean build of both languages, as ``tox -e docs`` runs it
   (``docs/build.py``), from a fresh copy of ``docs/`` and ``examples/``
   with no gallery, output, doctrees or cached probe results;
3. a rebuild of both languages with nothing changed.

Each clean build follows its own measurement of the standalone sum, since
a machine's speed can drift from minute to minute (it did on the 2-core
machine this was written on). The script then checks the targets of the
fast build (issue 6): a clean build within 0.6 × the sum of standalone run
times + 30 s, and within 120 s; a rebuild with nothing changed within 5 s.
Medians, minimum and maximum over the repeats; Python, machine and load
average printed. Exit status 1 if a target is missed.

Run: ``python benchmarks/build_time.py [--repeats N] [--rebuilds N]``
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from concdoc.blocks import read_directives
from concdoc.runner import run_example

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
#: the targets of issue 6
CLEAN_FACTOR, CLEAN_EXTRA, CLEAN_MAX, REBUILD_MAX = 0.6, 30.0, 120.0, 5.0


def standalone_sum() -> tuple[float, int]:
    """Run every example alone, as the build does; the sum of wall times."""
    total = 0.0
    paths = sorted(p for p in EXAMPLES.rglob("*.py") if p.name != "__init__.py")
    with tempfile.TemporaryDirectory() as figures:
        for path in paths:
            trace = read_directives(path.read_text(encoding="utf-8")).timeline
            start = time.perf_counter()
            result = run_example(
                path, figure_template=f"{figures}/{path.stem}_{{0:03}}.png", trace=trace
            )
            total += time.perf_counter() - start
            if not result.ok:
                print(f"  warning: {result.reason}", file=sys.stderr)
    return total, len(paths)


def build(tmp: Path) -> float:
    """``python docs/build.py`` in the copy; its wall time (fails on failure)."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(tmp / "docs" / "build.py")],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"the build failed:\n{proc.stdout[-3000:]}")
    return seconds


def _fresh_copy(tmp: Path) -> None:
    for name in ("docs", "examples"):
        shutil.rmtree(tmp / name, ignore_errors=True)
    ignore = shutil.ignore_patterns("_build", "auto_examples", "*.mo")
    shutil.copytree(REPO / "docs", tmp / "docs", ignore=ignore)
    shutil.copytree(EXAMPLES, tmp / "examples", ignore=ignore)


def _clean_limit(standalone: float) -> float:
    """The clean-build target for a given sum of standalone run times."""
    return min(CLEAN_FACTOR * standalone + CLEAN_EXTRA, CLEAN_MAX)


def _summary(samples: list[float]) -> str:
    return (
        f"median {statistics.median(samples):6.1f} s "
        f"(min {min(samples):.1f}, max {max(samples):.1f}, n={len(samples)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2, help="clean builds")
    parser.add_argument("--rebuilds", type=int, default=3, help="no-change rebuilds")
    args = parser.parse_args()
    if args.repeats < 1 or args.rebuilds < 1:
        parser.error("--repeats and --rebuilds must be at least 1")
    os.environ.setdefault("MPLBACKEND", "Agg")
    print(f"Python {platform.python_version()} ({sys.executable})")
    print(f"{platform.platform()}, {os.cpu_count()} CPUs")
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    sums: list[float] = []
    clean: list[float] = []
    rebuilds: list[float] = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        for _ in range(args.repeats):
            # each clean build next to its own standalone sum: this machine's
            # speed drifts, and the target relates the two
            runs, count = standalone_sum()
            sums.append(runs)
            _fresh_copy(tmp)
            clean.append(build(tmp))
            print(
                f"  standalone runs: {count} examples, sum {runs:.1f} s "
                f"(target {_clean_limit(runs):.1f} s); clean build {clean[-1]:.1f} s"
            )
        for _ in range(args.rebuilds):
            rebuilds.append(build(tmp))
            print(f"  no-change rebuild {rebuilds[-1]:.1f} s")
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"{'sum of standalone runs':<34} {_summary(sums)}")
    checks = [
        ("clean build, both languages", clean, _clean_limit(statistics.median(sums))),
        ("no-change rebuild, both languages", rebuilds, REBUILD_MAX),
    ]
    failed = False
    for what, samples, target in checks:
        ok = statistics.median(samples) <= target
        failed |= not ok
        verdict = "ok" if ok else "MISSED"
        print(f"{what:<34} {_summary(samples)}  target <= {target:.1f} s: {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
