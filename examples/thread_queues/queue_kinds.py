"""
FIFO, LIFO and priority queues
==============================

The ``queue`` module has three thread-safe queues that differ only in which
item ``get()`` returns next: the oldest (``Queue``), the newest
(``LifoQueue``) or the smallest (``PriorityQueue``). Choosing the right one
replaces hand-written sorting or stack code that would need its own locking.

The priority queue is the one that surprises people: it compares items with
``<``, so "priority 1" comes out before "priority 2", ties fall through to
the next element of a tuple, and when two items that cannot be compared
meet, the call comparing them raises ``TypeError``.
"""

# %%
# Order of ``get()``
# ------------------
# ``drain`` empties a queue without blocking: ``get_nowait()`` raises
# ``queue.Empty`` once nothing is left.

# concdoc: timeline = off

import itertools
import queue
from dataclasses import dataclass, field
from typing import Any


def drain(q: queue.Queue) -> list:
    items = []
    while True:
        try:
            items.append(q.get_nowait())
        except queue.Empty:
            return items


for kind in (queue.Queue, queue.LifoQueue, queue.PriorityQueue):
    q = kind()
    for item in (2, 3, 1):
        q.put(item)
    print(f"{kind.__name__:>13}: put 2, 3, 1 -> got {drain(q)}")

# %%
# Priorities: the smallest value comes out first
# ----------------------------------------------
# The study note this chapter is based on says that level 1 is "lower" than
# level 2 and comes out first. The order is right, but the reason is simply
# that 1 is the smallest value: ``PriorityQueue`` is a min-heap. In most
# code "priority 1" is read as the *highest* priority. When two tuples have
# the same priority, the next element decides.

q = queue.PriorityQueue()
for item in [(2, "world"), (1, "hello"), (1, "b-tie"), (1, "a-tie")]:
    q.put(item)
print(drain(q))

# %%
# Items that cannot be compared
# -----------------------------
# With equal priorities, the queue compares the payloads. Dicts do not
# support ``<``, so the second ``put()`` fails.

q = queue.PriorityQueue()
q.put((1, {"job": "a"}))
try:
    q.put((1, {"job": "b"}))
except TypeError as exc:
    print(f"TypeError: {exc}")

# %%
# Two fixes
# ---------
# Put a unique, increasing counter between the priority and the payload, so
# that ties are broken by insertion order and the payload is never compared.
# Or wrap items in an ``order=True`` dataclass whose payload field is
# excluded from comparisons. Tasks with equal priority then compare equal,
# and a heap does not promise to keep their insertion order; add a counter
# field too if that order matters.

counter = itertools.count()
q = queue.PriorityQueue()
for priority, job in [(2, {"job": "c"}), (1, {"job": "a"}), (1, {"job": "b"})]:
    q.put((priority, next(counter), job))
print([job for _, _, job in drain(q)])


@dataclass(order=True)
class Task:
    priority: int
    payload: Any = field(compare=False)


q = queue.PriorityQueue()
for task in [Task(2, {"job": "c"}), Task(1, {"job": "a"}), Task(1, {"job": "b"})]:
    q.put(task)
print([task.payload for task in drain(q)])
