"""
Producer and consumers over an asyncio.Queue
============================================

The ``queue.Queue`` pattern works unchanged with tasks: a producer puts
items, consumers get them, and a sentinel per consumer says that nothing
more will come. The difference is what waits. ``await q.put()`` on a full
queue and ``await q.get()`` on an empty one suspend only the task that
called them; the event loop meanwhile runs the other tasks, all in one
thread.

The queue is bounded, so a fast producer is held back to the consumers'
pace (back-pressure), exactly as with threads. The timeline shows it:
once the queue holds two items, the producer waits in ``put()`` until a
consumer takes one, while the consumers spend their time on the items (the
sleeps), and the depth panel stays at the bound. All three tasks take turns
on the single thread.
"""

# %%
# The tasks
# ---------
# Each consumer stops at the first ``None`` it gets. The producer puts one
# ``None`` per consumer after its last item, so each consumer sees exactly
# one sentinel. The consumers append to one list; no lock is needed, since
# a task is never interrupted between two ``await`` points.

import asyncio

ITEMS = 6
CONSUMERS = 2
WORK = 0.02  # seconds a consumer spends on each item


async def producer(q: asyncio.Queue[int | None]) -> None:
    for n in range(ITEMS):
        await q.put(n)  # suspends this task while the queue is full
    for _ in range(CONSUMERS):
        await q.put(None)  # one sentinel per consumer


async def consumer(name: str, q: asyncio.Queue[int | None], done: list[str]) -> None:
    while (item := await q.get()) is not None:
        await asyncio.sleep(WORK)  # pretend to do I/O; other tasks run meanwhile
        done.append(f"{item} handled by {name}")


# %%
# Running them
# ------------
# ``gather()`` runs the three coroutines as tasks and returns when all have
# finished. Which consumer gets which item depends on timing, so the items
# are checked rather than the lines printed by the consumers. With
# ``maxsize=2`` the queue never held more than two items, yet everything
# went through.
#
# The sentinel is one way to end consumers; ``q.join()`` with
# ``task_done()``, followed by cancelling the workers, is the other, shown
# in :ref:`sphx_glr_auto_examples_coroutines_asyncio_queue_timeouts.py`.


async def main() -> list[str]:
    q: asyncio.Queue[int | None] = asyncio.Queue(maxsize=2)
    done: list[str] = []
    await asyncio.gather(
        producer(q),
        consumer("a", q, done),
        consumer("b", q, done),
    )
    return done


done = asyncio.run(main())
items = sorted(int(line.split()[0]) for line in done)
print(f"items handled: {items}")
print(f"both consumers worked: {len({line[-1] for line in done}) == CONSUMERS}")
