"""
Broken: checking empty() before get()
=====================================

``if not q.empty(): item = q.get()`` looks safe, but it is two steps, and
another thread can run between them. With two consumers and one item, both
can see a queue that is not empty, both call ``get()``, and only one of
them gets the item. The other one blocks, possibly forever. The
documentation of :meth:`queue.Queue.empty` says it: a ``False`` answer
does not guarantee that a later ``get()`` will not block.

The race is rare and depends on timing, which is what makes it hard to
find. This page makes it happen every time: a barrier holds both consumers
between their check and their ``get()``, so the unlucky interleaving is the
only one possible.
"""

# %%
# Two consumers, one item
# -----------------------
# Each consumer records what happened to it. The ``get()`` has a timeout,
# so the consumer that loses the race gives up after 0.3 s instead of
# waiting forever.

import queue
import threading

TIMEOUT = 0.3


def check_then_get(q: queue.Queue, gate: threading.Barrier, outcomes: list) -> None:
    if not q.empty():
        gate.wait()  # both consumers have seen "not empty" before either gets
        try:
            outcomes.append(f"got {q.get(timeout=TIMEOUT)!r}")
        except queue.Empty:
            outcomes.append("saw a non-empty queue, then get() timed out")


def run(target, *extra) -> list:
    q: queue.Queue = queue.Queue()
    q.put("the only item")
    outcomes: list[str] = []
    consumers = [
        threading.Thread(target=target, args=(q, *extra, outcomes)) for _ in range(2)
    ]
    for c in consumers:
        c.start()
    for c in consumers:
        c.join()
    return sorted(outcomes)  # which consumer won varies; the outcomes do not


# %%
# Broken: the check is stale by the time ``get()`` runs
# -----------------------------------------------------
# Both consumers pass the check; one of them then waits in ``get()`` for an
# item that will never come. Without the timeout it would hang.

for outcome in run(check_then_get, threading.Barrier(2, timeout=5)):
    print(f"broken: {outcome}")

# %%
# Fixed: let ``get()`` decide
# ---------------------------
# ``get()`` checks and removes the item in one step, under the queue's
# lock, so there is nothing to race with. A consumer that must not wait
# calls ``get_nowait()`` (or ``get(timeout=...)``) and handles
# ``queue.Empty``; a consumer that should wait for more work blocks in
# ``get()`` and is stopped with a sentinel value, as in the producer and
# consumer examples of the first chapter.


def just_get(q: queue.Queue, outcomes: list) -> None:
    try:
        outcomes.append(f"got {q.get_nowait()!r}")
    except queue.Empty:
        outcomes.append("queue.Empty at once: nothing to wait for")


for outcome in run(just_get):
    print(f"fixed: {outcome}")
