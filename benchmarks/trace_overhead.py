"""What does tracing cost per event?

Two measurements:

1. the recorder alone, in this thread: ``Recorder.span``, ``mark`` and
   ``depth``, each writing one JSON line with one ``os.write``;
2. an instrumented call as an example makes it: ``queue.Queue`` ``put`` +
   ``get`` pairs and ``time.sleep(0)`` in a fresh interpreter, with and
   without the tracer that ``_inside/boot/sitecustomize.py`` installs when
   ``CONCDOC_TRACE_DIR`` is set. A put/get pair records two events (two
   spans, each carrying the queue's depth). The profile hook that follows
   generators and coroutines (installed only for scripts that define some)
   is measured separately: it costs every Python call, recorded or not.

Each figure is the median over repeats of (batch time / batch size), with
the interquartile range as the spread.

Run: ``python benchmarks/trace_overhead.py [--repeats N] [--batch N]``
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
from collections.abc import Callable
from pathlib import Path

import concdoc
from concdoc._inside.instrument import COROUTINES_VARIABLE
from concdoc.trace import Recorder, now

BOOT = Path(concdoc.__file__).resolve().parent / "_inside" / "boot"

CHILD = """
import queue, sys, time
batch, repeats = int(sys.argv[1]), int(sys.argv[2])
q = queue.Queue()
for _ in range(100):
    q.put(1); q.get()
def pairs():
    for _ in range(batch):
        q.put(1)
        q.get()
def sleeps():
    for _ in range(batch):
        time.sleep(0)
for name, func in (("put+get", pairs), ("sleep(0)", sleeps)):
    for _ in range(repeats):
        start = time.perf_counter_ns()
        func()
        print(name, (time.perf_counter_ns() - start) / batch)
"""


def _per_event(func: Callable[[], None], batch: int, repeats: int) -> list[float]:
    """Nanoseconds per call of ``func``, one sample per batch."""
    for _ in range(min(batch, 1000)):
        func()  # warm-up
    samples = []
    for _ in range(repeats):
        start = time.perf_counter_ns()
        for _ in range(batch):
            func()
        samples.append((time.perf_counter_ns() - start) / batch)
    return samples


def _report(name: str, samples: list[float]) -> float:
    us = sorted(s / 1000 for s in samples)
    q1, median, q3 = statistics.quantiles(us, n=4)
    median = statistics.median(us)
    print(
        f"{name:<34} median {median:6.2f} us   IQR {q1:6.2f}-{q3:6.2f} us   "
        f"min {us[0]:6.2f}   max {us[-1]:6.2f}"
    )
    return median


def _child_samples(
    batch: int, repeats: int, traced: bool, coroutines: bool = False
) -> dict[str, list[float]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONCDOC")}
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as events:
        if traced:
            env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [str(BOOT), env.get("PYTHONPATH")])
            )
            env["CONCDOC_TRACE_DIR"] = events
            if coroutines:
                env[COROUTINES_VARIABLE] = "1"
        script = Path(tmp, "child.py")  # a file: code run with -c is not traced
        script.write_text(CHILD)
        out = subprocess.run(
            [sys.executable, str(script), str(batch), str(repeats)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp,
        ).stdout
        recorded = sum(len(f.read_text().splitlines()) for f in Path(events).iterdir())
    if traced and recorded < batch * repeats:
        raise SystemExit(f"the traced child recorded only {recorded} events")
    samples: dict[str, list[float]] = {}
    for line in out.splitlines():
        name, value = line.rsplit(" ", 1)
        samples.setdefault(name, []).append(float(value))
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--batch", type=int, default=20_000)
    args = parser.parse_args()
    if args.repeats < 2 or args.batch < 1:
        parser.error("--repeats must be at least 2 and --batch at least 1")
    print(f"Python {platform.python_version()} ({sys.executable})")
    print(f"{platform.platform()}, {os.cpu_count()} CPUs, {platform.processor() or ''}")
    print(f"{args.repeats} repeats of {args.batch} calls, after a warm-up\n")

    print("recorder alone, in this thread (one event each):")
    with tempfile.TemporaryDirectory() as tmp:
        recorder = Recorder(tmp)
        start = now()
        _report(
            "Recorder.span",
            _per_event(
                lambda: recorder.span("put", start, start + 10, queue="Queue 1"),
                args.batch,
                args.repeats,
            ),
        )
        _report(
            "Recorder.mark",
            _per_event(lambda: recorder.mark("x"), args.batch, args.repeats),
        )
        _report(
            "Recorder.depth",
            _per_event(lambda: recorder.depth("Queue 1", 3), args.batch, args.repeats),
        )
        recorder.close()

    print("\nin a fresh interpreter, per call (put+get: one pair, 2 events):")
    plain = _child_samples(args.batch, args.repeats, traced=False)
    traced = _child_samples(args.batch, args.repeats, traced=True)
    hooked = _child_samples(args.batch, args.repeats, traced=True, coroutines=True)
    for name in plain:
        base = _report(f"{name}, not traced", plain[name])
        events = 2 if name == "put+get" else 1
        for label, samples in (("traced", traced), ("+ coroutine hook", hooked)):
            cost = _report(f"{name}, {label}", samples[name])
            print(
                f"{'':<34} added {cost - base:6.2f} us per call, "
                f"{(cost - base) / events:5.2f} us per event"
            )


if __name__ == "__main__":
    main()
