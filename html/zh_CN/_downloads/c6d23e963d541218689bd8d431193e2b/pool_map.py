"""
Pool.map and the pool's context manager
=======================================

``Pool.map()`` is the parallel version of the built-in ``map()``: it splits
the input among the worker processes and returns the results in input
order, however the work was scheduled. For many small tasks it is much
simpler than submitting each one with ``apply_async()``.

The pool's ``with`` statement calls ``terminate()`` on exit, not ``close()``
and ``join()``: any work still running is killed. Collect every result
inside the block.
"""

# %%
# A CPU-light task
# ----------------
# The function must be defined at module level so that worker processes
# started with *spawn* or *forkserver* can import it.

import multiprocessing
import time


def square(n: int) -> int:
    return n * n


def slow_square(n: int) -> int:
    time.sleep(0.1)
    return n * n


# %%
# ``map()`` and ``chunksize``
# ---------------------------
# ``map()`` sends the input to the workers in chunks; ``chunksize`` sets how
# many items travel together. Bigger chunks mean fewer round trips between
# processes, which helps when each item is cheap, at the cost of coarser
# load balancing. The results are the same either way.

if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        squares = pool.map(square, range(10))
        chunked = pool.map(square, range(10), chunksize=5)
    print(squares)
    print(f"same results with chunksize=5: {chunked == squares}")

# %%
# Results not collected before the block ends
# -------------------------------------------
# ``map_async()`` returns at once. Leaving the block terminates the workers
# while they are still sleeping, so the result never arrives; without the
# timeout, ``get()`` would wait forever.

if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        pending = pool.map_async(slow_square, range(4))
    try:
        pending.get(timeout=0.3)
    except multiprocessing.TimeoutError:
        print("TimeoutError: the pool was terminated before the work finished")
