"""How long does probing the queue semantics take?

Times ``concdoc.semantics.probe_all`` over every implementation, with the
behaviour probes of four implementations at a time (as the CLI and the docs
build run them) and one at a time, and the command the docs build runs,
``python -m concdoc semantics --format json``, with its interpreter start.

Run: ``python benchmarks/semantics_probes.py [--repeats N]``
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from runner_overhead import _header, _measure, _report

from concdoc.semantics import probe_all


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.repeats < 2:
        parser.error("--repeats must be at least 2")
    _header(args.repeats)
    _report(
        "probe_all(workers=4)", _measure(lambda: probe_all(workers=4), args.repeats)
    )
    _report(
        "probe_all(workers=1)", _measure(lambda: probe_all(workers=1), args.repeats)
    )
    command = [sys.executable, "-m", "concdoc", "semantics", "--format", "json"]
    _report(
        "python -m concdoc semantics",
        _measure(
            lambda: subprocess.run(command, capture_output=True, check=True),
            args.repeats,
        ),
    )


if __name__ == "__main__":
    main()
