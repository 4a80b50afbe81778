"""
Recycling workers: maxtasksperchild and max_tasks_per_child
===========================================================

A worker process of a pool normally lives as long as the pool. If the
tasks leak memory or other resources (a library with a cache that only
grows, file handles nobody closes), the leak grows with every task.
``multiprocessing.Pool(maxtasksperchild=n)`` and, since Python 3.11,
``ProcessPoolExecutor(max_tasks_per_child=n)`` replace each worker by a
fresh process after it has run ``n`` tasks, at the price of starting more
processes.
"""

# %%
# Pool: one worker, two tasks each
# --------------------------------
# Six tasks on a pool of one worker, each sent as its own chunk
# (``chunksize=1``; the limit counts chunks, not items). The worker is
# replaced after every second task, so three different processes ran them.

import multiprocessing
import os
import subprocess
import sys


def whoami(_: int) -> int:
    return os.getpid()


if __name__ == "__main__":
    with multiprocessing.Pool(1, maxtasksperchild=2) as pool:
        pids = pool.map(whoami, range(6), chunksize=1)
    order = {pid: n for n, pid in enumerate(dict.fromkeys(pids))}
    print(f"Pool: worker of each task {[order[p] for p in pids]}")

# %%
# ProcessPoolExecutor on Python 3.11: a hang
# ------------------------------------------
# The executor has the same option, but on the Python that built this page
# it stops after the first worker has retired: it does not start a
# replacement while tasks are still queued, so they wait for ever. This is
# CPython bug gh-115634 (its fix is in newer releases; not run here). To
# keep the page bounded, the executor runs in a child interpreter that
# waits 3 s for its six tasks, reports, and exits with ``os._exit()``
# (a normal exit would wait for the queued tasks too).
#
# Replacing workers while the executor's own threads run is unsafe with the
# ``fork`` start method, so with ``max_tasks_per_child`` and no
# ``mp_context`` the executor uses ``spawn``; an explicit ``fork`` context
# is refused with ``ValueError``.

CHILD = """
import concurrent.futures, multiprocessing, os
if __name__ == "__main__":
    ex = concurrent.futures.ProcessPoolExecutor(1, max_tasks_per_child=2)
    futures = [ex.submit(os.getpid) for _ in range(6)]
    done, pending = concurrent.futures.wait(futures, timeout=3)
    print(f"executor: {len(done)} tasks done after 3 s, {len(pending)} pending, "
          f"worker processes alive: {len(multiprocessing.active_children())}")
    try:
        concurrent.futures.ProcessPoolExecutor(
            1, max_tasks_per_child=2, mp_context=multiprocessing.get_context("fork")
        )
    except ValueError as exc:
        print(f"with a fork context: ValueError: {exc}")
    os._exit(0)
"""

if __name__ == "__main__":
    child = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=30
    )
    print(child.stdout, end="")

# %%
# Fixed on 3.11: recycle with Pool, or bound the wait
# ---------------------------------------------------
# Until the fix, ``multiprocessing.Pool(maxtasksperchild=…)``, shown above,
# is the reliable way to recycle workers; whichever you use, waiting with a
# timeout (``wait(futures, timeout)``, ``get(timeout)``) turns such a hang
# into an error you can see.
