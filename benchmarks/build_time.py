"""How long does the docs build take, against the examples it runs?

Measures, on this machine:

1. the sum of the examples' standalone run times: each example run alone
   with :func:`concdoc.runner.run_example`, as the build runs it (trace on
   unless the example says ``# concdoc: timeline = off``), one after another;
2. a clean build of both languages, as ``tox -e docs`` runs it
   (``docs/build.py``), from a fresh copy of ``docs/`` and ``examples/``
   with no gallery, output, doctrees or cached probe results;
3. a rebuild of both languages with nothing changed;
4. a rebuild of both languages after one example was edited (a comment
   line added to or taken from its last code block, so that it runs again
   and both languages' pages of it are rebuilt).

Each clean build follows its own measurement of the standalone sum, since
a machine's speed can drift from minute to minute (it did on the 2-core
machine this was written on). The script then checks the targets of the
writer's loop (issue 15): a clean build within 0.6 × the sum of standalone
run times + 15 s; a rebuild with nothing changed within 3 s; a rebuild
after one edit within 4 s. Medians, minimum and maximum over the repeats;
Python, machine and load average printed. Exit status 1 if a target is
missed. With ``--repeats 0`` the clean build is made once, unmeasured, and
only the rebuilds are measured.

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
#: the targets of issue 15
CLEAN_FACTOR, CLEAN_EXTRA, REBUILD_MAX, EDIT_MAX = 0.6, 15.0, 3.0, 4.0
#: the example edited for the one-edit rebuild: short, and quick to run
EDITED = Path("thread_queues", "queue_kinds.py")
EDIT = "# edited by benchmarks/build_time.py\n"


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
    return CLEAN_FACTOR * standalone + CLEAN_EXTRA


def _edit(tmp: Path) -> None:
    """Add the comment line to the edited example, or take it away again."""
    path = tmp / "examples" / EDITED
    text = path.read_text(encoding="utf-8")
    edited = text[: -len(EDIT)] if text.endswith(EDIT) else text + EDIT
    path.write_text(edited, encoding="utf-8")


def _summary(samples: list[float]) -> str:
    return (
        f"median {statistics.median(samples):6.1f} s "
        f"(min {min(samples):.1f}, max {max(samples):.1f}, n={len(samples)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeats", type=int, default=2, help="clean builds (0: one, not measured)"
    )
    parser.add_argument("--rebuilds", type=int, default=3, help="rebuilds of each kind")
    args = parser.parse_args()
    if args.repeats < 0 or args.rebuilds < 1:
        parser.error("--repeats must be at least 0 and --rebuilds at least 1")
    os.environ.setdefault("MPLBACKEND", "Agg")
    print(f"Python {platform.python_version()} ({sys.executable})")
    print(f"{platform.platform()}, {os.cpu_count()} CPUs")
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    sums: list[float] = []
    clean: list[float] = []
    rebuilds: list[float] = []
    edits: list[float] = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if not args.repeats:
            _fresh_copy(tmp)
            print(f"  clean build (not measured) {build(tmp):.1f} s")
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
            _edit(tmp)
            edits.append(build(tmp))
            print(f"  rebuild after editing {EDITED.as_posix()} {edits[-1]:.1f} s")
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    checks = [
        ("no-change rebuild, both languages", rebuilds, REBUILD_MAX),
        ("one example edited, both languages", edits, EDIT_MAX),
    ]
    if sums:
        print(f"{'sum of standalone runs':<34} {_summary(sums)}")
        limit = _clean_limit(statistics.median(sums))
        checks.insert(0, ("clean build, both languages", clean, limit))
    failed = False
    for what, samples, target in checks:
        ok = statistics.median(samples) <= target
        failed |= not ok
        verdict = "ok" if ok else "MISSED"
        print(f"{what:<34} {_summary(samples)}  target <= {target:.1f} s: {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
