"""
Producer and consumer threads with a queue
==========================================

A producer thread puts characters on a ``queue.Queue`` and a consumer thread
takes them off. The queue does all the locking, so neither thread needs a
lock of its own, and the consumer's ``get()`` blocks until an item arrives,
so waiting costs no CPU at all.

The producer ends the stream with a sentinel (``None``) and the main thread
joins both threads, so every item is processed and nothing is left running
when the script ends. This is the fixed form of the polling loop shown in
``busy_polling_broken.py``.
"""

# %%
# The two thread functions
# ------------------------
# The producer sleeps a short, seeded random time between items to imitate
# real work. The consumer needs no ``empty()`` check and no sleep: ``get()``
# itself waits, and wakes up as soon as the producer puts something. The
# sentinel is a value that can never be a real item, so the consumer knows
# for certain that the stream is over.

import queue
import random
import threading
import time

MESSAGE = "Hello World!!!"
SENTINEL = None


def producer(q: queue.Queue, rng: random.Random) -> None:
    for char in MESSAGE:
        q.put(char)
        time.sleep(rng.uniform(0, 0.02))
    q.put(SENTINEL)  # tell the consumer there is nothing more


def consumer(q: queue.Queue, received: list[str]) -> None:
    while True:
        item = q.get()  # blocks, using no CPU, until an item is there
        if item is SENTINEL:
            break
        received.append(item)
        print(f"consumed {item!r}")


# %%
# Running them
# ------------
# Only the consumer prints, so the output does not depend on how the two
# threads happen to interleave. ``join()`` waits for each thread to return;
# after that the main thread can safely read ``received``.

q: queue.Queue = queue.Queue()
received: list[str] = []
threads = [
    threading.Thread(target=producer, args=(q, random.Random(42))),
    threading.Thread(target=consumer, args=(q, received)),
]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()

print(f"received {''.join(received)!r}")
print(f"all {len(MESSAGE)} items consumed: {len(received) == len(MESSAGE)}")
