"""
Broken: the manager shuts down while workers still use it
=========================================================

A proxy is only a handle: the real object lives in the manager's server
process. When the manager shuts down, because its ``with`` block ends or
because the main process exits, every proxy stops working, and workers that
still use one get a connection error (``BrokenPipeError``, ``EOFError``,
``ConnectionRefusedError`` or ``FileNotFoundError``, depending on timing).

The study note this chapter is based on turns this into the rule "join every
process when you use a Manager". Joining is the usual way to get it right,
but what actually matters is that the manager outlives every process that
uses its proxies.
"""

# %%
# A worker that notices the manager is gone
# -----------------------------------------
# The worker writes a few values with short pauses. If the manager has gone
# away it stops instead of crashing. It reports its outcome through a plain
# ``multiprocessing.Queue``, which does not depend on the manager, and the
# parent prints the reports sorted, so the output does not depend on which
# worker finished first.

import multiprocessing
import time

ROUNDS = 10


def worker(n: int, d, reports: multiprocessing.Queue) -> None:
    try:
        for i in range(ROUNDS):
            d[f"{n}-{i}"] = i
            time.sleep(0.03)
    except (OSError, EOFError):
        reports.put((n, "manager is gone (connection error)"))
    else:
        reports.put((n, f"wrote all {ROUNDS} values"))


def run_workers(d, reports: multiprocessing.Queue) -> list:
    workers = [
        multiprocessing.Process(target=worker, args=(n, d, reports)) for n in range(2)
    ]
    for w in workers:
        w.start()
    return workers


def finish(workers: list, reports: multiprocessing.Queue) -> None:
    for n, text in sorted(reports.get(timeout=5) for _ in workers):
        print(f"worker {n}: {text}")
    for w in workers:
        w.join()


# %%
# Broken: leaving the ``with`` block too early
# --------------------------------------------
# The workers are started inside the block, but the block ends right away,
# which shuts the manager down while the workers are still writing. They are
# joined only afterwards, which is too late for the manager.

if __name__ == "__main__":
    reports = multiprocessing.Queue()
    with multiprocessing.Manager() as manager:
        d = manager.dict()
        workers = run_workers(d, reports)
    finish(workers, reports)

# %%
# Fixed: the manager outlives its users
# -------------------------------------
# Waiting for the workers inside the block keeps the manager alive until the
# last proxy operation is done, and the parent can still read the results.

if __name__ == "__main__":
    with multiprocessing.Manager() as manager:
        d = manager.dict()
        workers = run_workers(d, reports)
        finish(workers, reports)
        print(f"values in the dict: {len(d)}")
    reports.close()
    reports.join_thread()
