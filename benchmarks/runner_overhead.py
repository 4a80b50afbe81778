"""How much does running an example in isolation cost?

Times ``concdoc.runner.run_example`` on a one-line script (interpreter start,
supervisor, capture, interpreter shutdown, clean-up) against the same script
run as ``python one_line.py`` with ``subprocess.run``, and prints the
difference of the medians: what isolation costs per example.

Run: ``python benchmarks/runner_overhead.py [--repeats N]``
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from concdoc.runner import run_example


def _measure(func, repeats: int) -> list[float]:
    func()  # warm-up: caches, imports
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return samples


def _report(name: str, samples: list[float]) -> None:
    ms = sorted(s * 1000 for s in samples)
    q1, _, q3 = statistics.quantiles(ms, n=4)
    print(
        f"{name:<28} median {statistics.median(ms):7.1f} ms   "
        f"IQR {q1:6.1f}-{q3:6.1f} ms   min {ms[0]:6.1f}   max {ms[-1]:6.1f}"
    )


def _header(repeats: int) -> None:
    """Python, machine and repeat count, printed above the numbers."""
    print(f"Python {platform.python_version()} ({sys.executable})")
    print(f"{platform.platform()}, {os.cpu_count()} CPUs, {platform.processor() or ''}")
    print(f"{repeats} repeats after one warm-up\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    if args.repeats < 2:
        parser.error("--repeats must be at least 2")
    _header(args.repeats)
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp, "one_line.py")
        script.write_text("print('hello')\n")
        plain = _measure(
            lambda: subprocess.run(
                [sys.executable, str(script)], capture_output=True, check=True
            ),
            args.repeats,
        )
        _report("python one_line.py", plain)
        isolated = _measure(lambda: run_example(script), args.repeats)
        _report("run_example(one_line.py)", isolated)
        overhead = statistics.median(isolated) - statistics.median(plain)
        print(f"{'overhead (median difference)':<28} {overhead * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
