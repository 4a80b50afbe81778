"""
Bounded multiprocessing queues: full, timeouts and draining
===========================================================

A queue created with a ``maxsize`` applies back-pressure: when it is full,
``put()`` waits for room, waits up to a timeout, or fails at once, depending
on its arguments. Knowing which exception each call raises, and how to empty
a queue reliably, keeps producers from hanging or silently dropping data.

The study note this chapter is based on catches everything with a bare
``except:``, checks ``full()`` or ``empty()`` before acting, and drains the
queue with ``for i in range(q.qsize())``. This page fixes all three.
"""

# %%
# Filling the queue
# -----------------
# ``multiprocessing.Queue(3)`` holds at most three items. The exceptions it
# raises are the ones from the ``queue`` module, so we import that too.
# Everything runs under ``if __name__ == "__main__":`` because a process
# started with the *spawn* method re-imports the main module.

import multiprocessing
import queue
import time

TIMEOUT = 0.2

if __name__ == "__main__":
    q = multiprocessing.Queue(maxsize=3)
    q.put("Message01")
    q.put("Message02")
    print(f"full after 2 puts: {q.full()}")
    q.put("Message03")
    print(f"full after 3 puts: {q.full()}")

# %%
# When there is no room
# ---------------------
# ``put(item, block=True, timeout=...)`` waits up to the timeout for room,
# then raises ``queue.Full``. ``put_nowait()`` (the same as
# ``put(item, block=False)``) raises it immediately. Catch ``queue.Full``
# specifically: a bare ``except:`` would also swallow typos and Ctrl-C.

if __name__ == "__main__":
    start = time.monotonic()
    try:
        q.put("Message04", block=True, timeout=TIMEOUT)
    except queue.Full:
        waited = time.monotonic() - start
        print(f"queue.Full after waiting at least {TIMEOUT} s: {waited >= TIMEOUT}")

    try:
        q.put_nowait("Message04")
    except queue.Full:
        print("queue.Full at once from put_nowait()")

# %%
# Check-then-act is a race
# ------------------------
# The seed recommends ``if not q.full(): q.put_nowait(...)``. With several
# processes, another one can fill the queue between the check and the put.
# Just try the operation and handle the exception. Here we make room by
# taking one item first.

if __name__ == "__main__":
    print(f"took {q.get(timeout=1)!r}")
    try:
        q.put_nowait("Message04")
        print("put_nowait() succeeded")
    except queue.Full:
        print("still full")

# %%
# Draining until ``queue.Empty``
# ------------------------------
# ``qsize()`` is only approximate while other processes use the queue, and
# it raises ``NotImplementedError`` on macOS, so do not loop over
# ``range(q.qsize())``. Get until ``queue.Empty`` instead. Note that an item
# put on a ``multiprocessing.Queue`` becomes visible only after its
# background feeder thread has written it to the pipe, so right after a
# ``put()`` even ``get_nowait()`` may find nothing; a short timeout avoids
# that race.

if __name__ == "__main__":
    while True:
        try:
            print(f"drained {q.get(timeout=0.5)!r}")
        except queue.Empty:
            break
    try:
        q.get_nowait()
    except queue.Empty:
        print("queue.Empty from get_nowait() on the empty queue")

    q.close()  # no more puts from this process
    q.join_thread()  # wait for the feeder thread to finish
