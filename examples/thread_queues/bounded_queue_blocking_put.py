"""
A bounded queue makes a fast producer wait
==========================================

``queue.Queue(maxsize=2)`` holds at most two items. When it is full,
``put()`` does not fail and does not drop the item: it blocks until the
consumer has taken one out. This is back-pressure: a producer that is
faster than its consumer is slowed down to the consumer's pace, instead of
filling memory with a backlog nobody is reading yet.

In the timeline below the producer's lane shows each blocked ``put()`` as a
bar: the time it spent waiting for space. The queue-depth panel shows the
queue sitting at its limit while the producer waits.
"""

# %%
# A fast producer, a slow consumer
# --------------------------------
# The producer does no work between items, so it is limited only by the
# queue. The consumer takes 100 ms per item. Each ``put()`` measures how long
# it waited; the producer keeps the waits in a list that the main thread
# reads after joining it.

import queue
import threading
import time

ITEMS = 6
WORK = 0.1  # seconds the consumer spends on each item


def producer(q: queue.Queue, waits: list[float]) -> None:
    for n in range(ITEMS):
        start = time.monotonic()
        q.put(n)  # blocks while the queue holds maxsize items
        waits.append(time.monotonic() - start)
    q.put(None)  # sentinel: nothing more will come


def consumer(q: queue.Queue) -> None:
    while (item := q.get()) is not None:
        time.sleep(WORK)  # pretend to work
        print(f"consumed {item}")


# %%
# Running them
# ------------
# The first puts find room at once. After that, every ``put()`` has to wait
# until the consumer's next ``get()``, so the producer ends up running at the
# consumer's speed. The exact waits vary from run to run; that the last put
# waited for the consumer to finish an item does not.

q: queue.Queue = queue.Queue(maxsize=2)
waits: list[float] = []
threads = [
    threading.Thread(target=producer, args=(q, waits), name="producer"),
    threading.Thread(target=consumer, args=(q,), name="consumer"),
]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()

print(f"items put: {len(waits)}")
print(f"the last put waited for the consumer: {waits[-1] > WORK / 2}")
