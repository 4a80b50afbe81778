"""
KeyboardInterrupt in a process pool and an executor
===================================================

Ctrl-C sends ``SIGINT`` to every process of the foreground job: the parent
*and* its pool workers. Reading ``multiprocessing/pool.py``: a worker that
gets ``KeyboardInterrupt`` while it waits for a task does not catch it, so
it dies with a traceback, and the pool starts another in its place, a
screenful of tracebacks for one key press. The usual recipe is to have
the workers ignore ``SIGINT`` (an initializer calling
``signal.signal(SIGINT, SIG_IGN)``) and to handle the interrupt in the
parent alone, which then shuts the pool down.

What happens in the parent differs. ``Pool.__exit__`` calls
``terminate()``: running tasks are killed. ``ProcessPoolExecutor``'s exit
calls ``shutdown(wait=True)``: it waits for every running and queued
task, unless the parent cancels them with ``shutdown(cancel_futures=True)``.
"""

# %%
# Pool: the parent is interrupted while waiting
# ---------------------------------------------
# The workers ignore ``SIGINT``; a timer thread sends it to the parent
# 0.3 s after the tasks start, as a Ctrl-C would (here to the parent only).
# The parent's ``get()`` raises ``KeyboardInterrupt``; leaving the ``with``
# block terminates the workers in the middle of their 2 s tasks.

import concurrent.futures
import multiprocessing
import os
import signal
import threading
import time


def ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def slow_square(x: int) -> int:
    time.sleep(2)
    return x * x


def interrupt_me_in(seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    return timer


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
    pool = multiprocessing.Pool(2, initializer=ignore_sigint)
    try:
        with pool:
            result = pool.map_async(slow_square, range(4))
            start = time.monotonic()
            timer = interrupt_me_in(0.3)
            result.get(timeout=30)
    except KeyboardInterrupt:
        print(
            "Pool: KeyboardInterrupt in the parent; the with block terminated "
            f"the workers; done before the 2 s tasks could end: "
            f"{time.monotonic() - start < 2}"
        )
    pool.join()  # after terminate(): waits for the pool's own threads
    timer.join()

# %%
# ProcessPoolExecutor: cancel what has not started
# ------------------------------------------------
# The same interrupt while the parent waits for a future. The parent
# catches it and calls ``shutdown(cancel_futures=True)``: the tasks that
# had already been handed to the workers are finished (an executor never
# kills running work; reading CPython 3.11's ``concurrent/futures/process.py``,
# it hands over one task more than it has workers), and the rest are
# cancelled. How many were handed over depends on when the interrupt lands,
# so the script prints what holds whatever the timing: the finished tasks
# come first, and at least one was cancelled. Without ``cancel_futures``,
# shutting down would run them all.

if __name__ == "__main__":
    executor = concurrent.futures.ProcessPoolExecutor(2, initializer=ignore_sigint)
    futures = [executor.submit(slow_square, x) for x in range(6)]
    timer = interrupt_me_in(0.3)
    try:
        futures[-1].result(timeout=30)
    except KeyboardInterrupt:
        executor.shutdown(wait=True, cancel_futures=True)
        states = ["cancelled" if f.cancelled() else "done" for f in futures]
        finished = states.count("done")
        in_order = states == ["done"] * finished + ["cancelled"] * (6 - finished)
        print(
            "executor: after KeyboardInterrupt, finished tasks first, then "
            f"cancelled ones: {in_order}; some cancelled: {finished < 6}"
        )
    timer.join()
