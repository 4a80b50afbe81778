"""
CPU-bound work: threads take turns, processes run in parallel
=============================================================

In CPython, only the thread holding the global interpreter lock (GIL) runs
Python bytecode. Threads are therefore fine for waiting (on sockets, pipes,
sleeps), during which the GIL is released, but two threads doing pure
Python computation take turns on one core. Two processes each have their
own interpreter and their own GIL, so on a machine with two or more cores
they compute at the same time.

This page runs the same two CPU-bound tasks in a thread pool and in a
process pool. In the timeline, each task is a bar on its worker's lane: the
threads' bars both stretch over about twice the time a single task needs,
because they share one GIL, while the processes' bars are short and side by
side (given two free cores).
"""

# %%
# A purely CPU-bound task
# -----------------------
# A plain Python loop: no I/O, no sleep, nothing that releases the GIL.

import multiprocessing
from multiprocessing.pool import ThreadPool

N = 1_500_000


def count_down(n: int) -> int:
    steps = 0
    while n > 0:
        n -= 1
        steps += 1
    return steps


# %%
# The same two tasks, in threads, then in processes
# -------------------------------------------------
# ``ThreadPool`` has the same interface as ``Pool`` but its workers are
# threads. The results are identical; only the timeline differs. We do not
# print timings: they depend on the machine and on how busy it is, and on
# a single core the processes would take turns too.

if __name__ == "__main__":
    with ThreadPool(2) as pool:
        print(f"threads:   {pool.map(count_down, [N, N], chunksize=1)}")
    with multiprocessing.Pool(2) as pool:
        print(f"processes: {pool.map(count_down, [N, N], chunksize=1)}")
