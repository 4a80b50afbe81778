"""What does one update of shared state cost?

The shared-state chapter counts round trips instead of timing them (the
example's output must not depend on the machine). This script measures the
time: one increment (read, add one, write back) of

* a ``multiprocessing.Value`` with ``lock=False`` (plain shared memory);
* a ``multiprocessing.Value`` holding its lock around the ``+=``;
* an 8-byte integer in a ``shared_memory.SharedMemory`` block
  (``struct.unpack_from`` / ``pack_into``);
* a manager ``Value`` proxy (``value.value += 1``: two round trips);
* a manager ``list`` item (``items[0] += 1``: two round trips);

all from the main process, with no other process competing, so the figure
is the cost of the access itself. Each figure is the median over repeats
of (batch time / batch size), with the interquartile range as the spread.

Run: ``python benchmarks/shared_state_cost.py [--repeats N] [--batch N]``
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import struct
import sys
import time
from collections.abc import Callable
from multiprocessing import shared_memory


def _per_update(func: Callable[[int], None], batch: int, repeats: int) -> list[float]:
    func(min(batch, 100))  # warm-up
    samples = []
    for _ in range(repeats):
        start = time.perf_counter_ns()
        func(batch)
        samples.append((time.perf_counter_ns() - start) / batch)
    return samples


def _report(name: str, samples: list[float]) -> None:
    us = [s / 1000 for s in samples]
    q1, _, q3 = statistics.quantiles(us, n=4)
    print(f"  {name:<32} {statistics.median(us):9.3f} µs   IQR {q3 - q1:.3f} µs")


def _cases(manager, block) -> dict[str, Callable[[int], None]]:
    raw = multiprocessing.Value("q", 0, lock=False)
    locked = multiprocessing.Value("q", 0)
    proxy_value = manager.Value("q", 0)
    proxy_list = manager.list([0])

    def raw_value(n: int) -> None:
        for _ in range(n):
            raw.value += 1

    def locked_value(n: int) -> None:
        for _ in range(n):
            with locked.get_lock():
                locked.value += 1

    def shm(n: int) -> None:
        buf = block.buf
        for _ in range(n):
            struct.pack_into("q", buf, 0, struct.unpack_from("q", buf, 0)[0] + 1)
        del buf

    def manager_value(n: int) -> None:
        for _ in range(n):
            proxy_value.value += 1

    def manager_list(n: int) -> None:
        for _ in range(n):
            proxy_list[0] += 1

    return {
        "Value(lock=False) +=": raw_value,
        "Value, get_lock() held, +=": locked_value,
        "SharedMemory struct +=": shm,
        "Manager Value proxy +=": manager_value,
        "Manager list item +=": manager_list,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--batch", type=int, default=2000)
    args = parser.parse_args()
    if args.repeats < 2 or args.batch < 1:
        parser.error("--repeats must be at least 2 and --batch at least 1")
    print(f"Python {platform.python_version()} ({sys.executable})")
    print(f"{platform.platform()}, {os.cpu_count()} CPUs, {platform.processor() or ''}")
    print(f"{args.repeats} repeats of {args.batch} increments, after a warm-up\n")
    print("time per increment (median, interquartile range):")
    block = shared_memory.SharedMemory(create=True, size=8)
    try:
        with multiprocessing.Manager() as manager:
            for name, func in _cases(manager, block).items():
                _report(name, _per_update(func, args.batch, args.repeats))
    finally:
        block.close()
        block.unlink()


if __name__ == "__main__":
    main()
