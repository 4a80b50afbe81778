"""
Submitting tasks to a Pool with apply_async
===========================================

``Pool(4)`` starts four worker processes (the study note this chapter is
based on comments it as three) and runs submitted tasks on whichever worker
is free. ``apply_async()`` returns at once with an ``AsyncResult``; calling
its ``get()`` waits for the task and returns its value, or re-raises the
exception the task raised.

If you never call ``get()``, a failing task fails silently: the pool keeps
the exception in the result object and nobody looks at it. Collecting the
results is therefore part of using the pool correctly, not an extra.
"""

# %%
# Three kinds of task
# -------------------
# Each task prints three lines and returns its name and the id of the
# process that ran it. ``flush=True`` pushes each line out immediately;
# without it, a worker's lines could sit in its buffer until the pool shuts
# down.

import multiprocessing
import os
import time


def run(name: str) -> tuple[str, int]:
    for i in range(3):
        print(f"From {name} {i}", flush=True)
        time.sleep(0.01)
    return name, os.getpid()


def worker() -> tuple[str, int]:
    return run("worker")


def foo() -> tuple[str, int]:
    return run("foo")


def bar() -> tuple[str, int]:
    return run("bar")


def fail() -> None:
    raise ValueError("this task failed")


# %%
# Submitting, collecting, closing
# -------------------------------
# Four workers run nine tasks at the same time, so the order of the lines
# printed below changes from run to run, and so does which worker ran which
# task. What ``get()`` returns is in submission order, so the summary at the
# end is the same every time. ``close()`` stops new submissions and
# ``join()`` waits for the worker processes to exit.

# concdoc: output-varies
if __name__ == "__main__":
    pool = multiprocessing.Pool(4)
    print(f"worker processes started: {len(multiprocessing.active_children())}")
    results = [pool.apply_async(f) for f in (worker, foo, bar) for _ in range(3)]
    failing = pool.apply_async(fail)
    pool.close()

    names = [r.get(timeout=10)[0] for r in results]
    pids = {r.get()[1] for r in results}
    try:
        failing.get(timeout=10)
    except ValueError as exc:
        print(f"get() re-raised: ValueError: {exc}")
    pool.join()

    print(f"task results in submission order: {names}")
    print(f"tasks ran in at most 4 processes: {len(pids) <= 4}")
