"""
Broken: polling a queue and sleeping instead of joining
=======================================================

The study note this chapter is based on has a consumer that loops on
``if not q.empty(): q.get() else: sleep(...)``, marks both threads as daemons
with ``setDaemon(True)`` and lets the main thread end after a fixed
``time.sleep(10)``. It usually seems to work, which is what makes it
dangerous: the consumer wastes CPU checking an empty queue, and any item the
producer has not delivered when the sleep ends is silently lost, because
daemon threads are killed when the interpreter exits.

This page reproduces that design on a small, deterministic scale: the
producer needs 0.7 s for its 14 items, and the main thread waits only 0.3 s.
"""

# %%
# ``setDaemon()`` is deprecated
# -----------------------------
# Since Python 3.10, ``Thread.setDaemon()`` emits a ``DeprecationWarning``;
# pass ``daemon=True`` to the constructor (or set the ``daemon`` attribute)
# instead. We record the warning on a thread object that is never started.

import queue
import threading
import time
import warnings

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    threading.Thread().setDaemon(True)
print(f"{caught[0].category.__name__}: {caught[0].message}")

# %%
# The seed's design, with counters
# --------------------------------
# The consumer counts how often it finds the queue empty. The ``stop`` event
# is our addition: it is what the seed's daemon threads lacked, a way for the
# main thread to ask them to finish so that they can be joined instead of
# being killed at exit.

MESSAGE = "Hello World!!!"
PRODUCE_DELAY = 0.05  # 14 items * 0.05 s = 0.7 s
MAIN_SLEEP = 0.3  # the seed's time.sleep(10), scaled down
POLL_DELAY = 0.001


def put_message(q: queue.Queue, stop: threading.Event) -> None:
    for char in MESSAGE:
        q.put(char)
        if stop.wait(PRODUCE_DELAY):  # sleep, but wake up early on stop
            return


def get_message(q: queue.Queue, stop: threading.Event, counts: dict) -> None:
    while not stop.is_set():
        if not q.empty():
            q.get()
            counts["consumed"] += 1
        else:
            counts["empty_polls"] += 1
            time.sleep(POLL_DELAY)


# %%
# What has happened when the fixed sleep ends
# -------------------------------------------
# At the moment the seed's script would exit, the producer is only about
# halfway through, and the consumer has spent most of its time looking at an
# empty queue. With daemon threads, the rest of the message would be gone.

q: queue.Queue = queue.Queue()
stop = threading.Event()
counts = {"consumed": 0, "empty_polls": 0}
producer = threading.Thread(target=put_message, args=(q, stop), daemon=True)
consumer = threading.Thread(target=get_message, args=(q, stop, counts), daemon=True)
producer.start()
consumer.start()

time.sleep(MAIN_SLEEP)
consumed, empty_polls = counts["consumed"], counts["empty_polls"]
print(f"consumed fewer than all {len(MESSAGE)} items: {consumed < len(MESSAGE)}")
print(f"polled an empty queue more often than it got an item: {empty_polls > consumed}")
print(f"producer still running, so items would be lost: {producer.is_alive()}")

# %%
# Cleaning up
# -----------
# Setting the event makes both loops return, and joining them guarantees that
# no thread is still running when the script ends. ``daemon=True`` no longer
# matters once the threads are joined.

stop.set()
producer.join()
consumer.join()
print(f"both threads finished: {not producer.is_alive() and not consumer.is_alive()}")

# %%
# The fix is not a longer sleep, since no fixed duration is right for every
# run. See ``producer_consumer.py``: the consumer blocks in ``get()``, the
# producer sends a sentinel when it is done, and the main thread joins both
# threads.
