"""What does the second language cost, with and without re-running the examples?

Builds the site English then zh_CN, one after the other, from a fresh copy
of ``docs/`` and ``examples/`` in a temporary folder, in two ways:

- naive: each language generates its own gallery (the examples run twice);
- one execution: zh_CN reuses the gallery English generated, as it does
  under ``tox -e docs`` (which builds the two side by side: see
  ``benchmarks/build_time.py`` for that build's time).

Each repeat starts from an empty gallery, output and doctrees.

Run: ``python benchmarks/two_language_build.py [--repeats N]``
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

REPO = Path(__file__).resolve().parent.parent


def _build(docs: Path, out: Path, language: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-q",
            "-D",
            f"language={language}",
            "-d",
            str(out / "doctrees" / language),
            str(docs),
            str(out / "html" / language),
        ],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def _site(tmp: Path, reuse_gallery: bool) -> tuple[float, float]:
    docs = tmp / "docs"
    shutil.rmtree(docs / "auto_examples", ignore_errors=True)
    shutil.rmtree(tmp / "out", ignore_errors=True)
    english = _build(docs, tmp / "out", "en")
    if not reuse_gallery:
        shutil.rmtree(docs / "auto_examples")
    return english, _build(docs, tmp / "out", "zh_CN")


def _report(name: str, samples: list[tuple[float, float]]) -> None:
    totals = sorted(en + zh for en, zh in samples)
    zh = statistics.median(s[1] for s in samples)
    en = statistics.median(s[0] for s in samples)
    print(
        f"{name:<15} total median {statistics.median(totals):6.1f} s "
        f"(min {totals[0]:.1f}, max {totals[-1]:.1f})   "
        f"en {en:5.1f} s   zh_CN {zh:5.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    print(f"Python {platform.python_version()} ({sys.executable})")
    print(f"{platform.platform()}, {os.cpu_count()} CPUs")
    print(f"{args.repeats} repeat(s) per way, alternating\n")
    os.environ.setdefault("MPLBACKEND", "Agg")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        ignore = shutil.ignore_patterns("_build", "auto_examples", "*.mo")
        shutil.copytree(REPO / "docs", tmp / "docs", ignore=ignore)
        shutil.copytree(REPO / "examples", tmp / "examples", ignore=ignore)
        results: dict[str, list[tuple[float, float]]] = {"naive": [], "one": []}
        for _ in range(args.repeats):
            results["naive"].append(_site(tmp, reuse_gallery=False))
            results["one"].append(_site(tmp, reuse_gallery=True))
    _report("naive (2 runs)", results["naive"])
    _report("one execution", results["one"])


if __name__ == "__main__":
    main()
