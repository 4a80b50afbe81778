"""
Broken: a pool worker that crashes
==================================

A worker process can die without raising an exception the pool could send
back: a crash in C code, the out-of-memory killer, ``os._exit()``. The two
process pools of the standard library react very differently.

``multiprocessing.Pool`` quietly starts a replacement worker, but the task
that was running is lost: its result never comes, and ``get()`` without a
timeout blocks for ever. ``concurrent.futures.ProcessPoolExecutor``
notices that a worker died, marks itself *broken*, and fails every pending
future with ``BrokenProcessPool``; after that it accepts no new work.
"""

# %%
# A task that kills its worker
# ----------------------------
# ``os._exit(1)`` ends the worker process at once, as a crash would.

import concurrent.futures
import multiprocessing
import os


def square(x: int) -> int:
    if x == 3:
        os._exit(1)
    return x * x


# %%
# Broken: Pool waits for a result that will never come
# ----------------------------------------------------
# The other tasks succeed; the crashed one would block ``get()`` for ever,
# so it is bounded by a timeout, and ``multiprocessing.TimeoutError`` is
# all the caller learns. The pool has its two workers again: it replaced
# the dead one without a word.

if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        results = {x: pool.apply_async(square, (x,)) for x in (1, 2, 3)}
        for x, r in results.items():
            try:
                print(f"Pool: square({x}) = {r.get(timeout=2)}")
            except multiprocessing.TimeoutError:
                print(f"Pool: square({x}) gave no result within 2 s")
        print(f"Pool: worker processes alive: {len(multiprocessing.active_children())}")

# %%
# Fixed: ProcessPoolExecutor reports the crash
# --------------------------------------------
# The future of the crashed task raises ``BrokenProcessPool``, and the
# executor refuses new work. A program can catch it, log which task
# killed the pool, and start a fresh executor.

if __name__ == "__main__":
    with concurrent.futures.ProcessPoolExecutor(2) as executor:
        future = executor.submit(square, 3)
        try:
            future.result(timeout=10)
        except concurrent.futures.process.BrokenProcessPool as exc:
            print(f"executor: BrokenProcessPool: {exc}")
        try:
            executor.submit(square, 4)
        except concurrent.futures.process.BrokenProcessPool:
            print("executor: a new submit() raises BrokenProcessPool too")
