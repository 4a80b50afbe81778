"""
Executors: submit() and map(), with threads or processes
========================================================

An executor owns a set of workers. ``submit(fn, *args)`` schedules one call
and returns a ``Future`` at once; ``future.result()`` waits for the call and
returns its value. ``map(fn, items)`` schedules a call per item and yields
the results in the order of the items, whichever finished first.

``ThreadPoolExecutor`` suits calls that mostly wait (network, disk, sleep):
the waiting happens in parallel. ``ProcessPoolExecutor`` suits CPU work,
which threads cannot run in parallel under the GIL; it pickles the function
and its arguments to send them to worker processes, so the function must be
defined at module level and the pool created under ``if __name__ ==
"__main__":``.
"""

# %%
# The work
# --------
# ``download`` waits, as I/O does; ``count_primes`` computes. Both are
# module-level functions, so worker processes started with *spawn* or
# *forkserver*, which import this file afresh, can find them.

import concurrent.futures
import time

WAIT = 0.1  # seconds each download waits


def download(name: str) -> str:
    time.sleep(WAIT)  # stands for waiting on the network
    return f"{name}: 200 OK"


def count_primes(limit: int) -> int:
    return sum(all(n % d for d in range(2, int(n**0.5) + 1)) for n in range(2, limit))


# %%
# Threads: ``submit()`` and ``result()``
# --------------------------------------
# Four downloads on four threads wait at the same time, so together they
# take about one wait, not four. The ``with`` block calls ``shutdown()``
# on exit, which waits for every submitted call and joins the threads.

if __name__ == "__main__":
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(download, name) for name in "abcd"]
        for future in futures:
            print(future.result())
    elapsed = time.monotonic() - start
    print(f"four waits overlapped (less than their sum): {elapsed < 4 * WAIT}")

# %%
# Processes: ``map()``
# --------------------
# ``map()`` returns an iterator; each result comes out in the order of the
# input. The limits are small so the example stays fast; the point is that
# each call ran in a worker process, and the values came back by pickling.

if __name__ == "__main__":
    limits = [1_000, 2_000, 3_000, 4_000]
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        counts = list(pool.map(count_primes, limits))
    for limit, count in zip(limits, counts, strict=True):
        print(f"primes below {limit}: {count}")
