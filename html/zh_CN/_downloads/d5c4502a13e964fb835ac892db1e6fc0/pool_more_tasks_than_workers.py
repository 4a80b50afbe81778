"""
More tasks than workers: a Pool runs them in waves
==================================================

A ``Pool(2)`` has two worker processes, whatever the number of tasks. Give
it six tasks and each worker runs one, takes the next when it is done, and
so on, until all are finished. The pool bounds how much runs at once, which
is the point of a pool: the machine is not flooded with processes.

The timeline shows one lane per worker process and a bar for each task it
ran, three after one another on each lane.
"""

# %%
# A task that takes a known time
# ------------------------------
# Each task sleeps 50 ms, standing in for work, and returns its argument
# squared. ``chunksize=1`` hands out the tasks one at a time, so a worker
# that is free takes the next task as soon as there is one.

import multiprocessing
import time

TASKS = 6
WORKERS = 2
WORK = 0.05


def square(n: int) -> int:
    time.sleep(WORK)
    return n * n


# %%
# Six tasks, two workers
# ----------------------
# Only two tasks run at a time, so the six of them need at least three
# rounds of 50 ms. ``map()`` still returns the results in input order.

if __name__ == "__main__":
    with multiprocessing.Pool(WORKERS) as pool:
        start = time.monotonic()
        results = pool.map(square, range(TASKS), chunksize=1)
        elapsed = time.monotonic() - start
    print(results)
    rounds = TASKS // WORKERS
    print(f"took at least {rounds} rounds of {WORK} s: {elapsed >= rounds * WORK}")
