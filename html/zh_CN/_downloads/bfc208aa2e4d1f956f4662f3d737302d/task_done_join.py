"""
Tracking finished work with task_done() and join()
==================================================

``Queue.join()`` blocks until every item that was ever ``put()`` on the
queue has been marked finished with ``task_done()``. That makes it a simple
way for the main thread to wait until a pool of worker threads has not only
taken, but also *processed*, everything it was given.

The study note this chapter is based on says that you need as many
``task_done()`` calls as ``join()`` calls. That is not the rule: ``join()``
can be called any number of times, and the count that matters is the number
of items put. Each worker calls ``task_done()`` exactly once per item it got.
"""

# %%
# Workers
# -------
# ``task_done()`` goes in a ``finally`` clause so that an item is marked
# finished even if processing it fails; otherwise ``join()`` would wait
# forever. The sentinel is an item too, so it gets its own ``task_done()``.

import queue
import threading
import time

SENTINEL = None


def worker(q: queue.Queue, done: list[int], lock: threading.Lock) -> None:
    while True:
        item = q.get()
        try:
            if item is SENTINEL:
                return
            time.sleep(0.01)  # pretend to work
            with lock:
                done.append(item * item)
        finally:
            q.task_done()


# %%
# ``join()`` waits for processing, not for ``get()``
# --------------------------------------------------
# When ``q.join()`` returns, all six results are already in ``done``. A
# second ``join()`` returns at once: there is no unfinished item left.

q: queue.Queue = queue.Queue()
done: list[int] = []
lock = threading.Lock()
workers = [threading.Thread(target=worker, args=(q, done, lock)) for _ in range(2)]
for thread in workers:
    thread.start()

for n in range(6):
    q.put(n)
q.join()
print(f"results when join() returned: {sorted(done)}")
q.join()
print("second join() returned at once")

# %%
# Stopping the workers
# --------------------
# One sentinel per worker ends their loops; then the threads are joined.

for _ in workers:
    q.put(SENTINEL)
for thread in workers:
    thread.join()
q.join()
print(f"workers finished: {not any(t.is_alive() for t in workers)}")

# %%
# One ``task_done()`` too many
# ----------------------------
# Calling ``task_done()`` more often than items were put is a bug, and the
# queue reports it with ``ValueError``.

q = queue.Queue()
q.put("only item")
q.get()
q.task_done()
try:
    q.task_done()
except ValueError as exc:
    print(f"ValueError: {exc}")
