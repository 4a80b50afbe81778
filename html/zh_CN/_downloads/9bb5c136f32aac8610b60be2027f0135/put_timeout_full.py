"""
put() with a timeout on a full queue
====================================

``put(item, timeout=seconds)`` waits at most that long for room in a full
queue, then raises ``queue.Full``. It is the bounded form of a blocking
``put()``: the producer is told that the consumer is not keeping up and
can decide what to do (retry, drop the item, report an error) instead of
waiting forever.

The timeline shows the two cases: the first ``put()`` is blocked for the
whole timeout and ends with ``queue.Full`` (the cross); the second one is
blocked only until a consumer thread makes room.
"""

# %%
# Nobody takes items: the timeout expires
# ---------------------------------------
# The queue holds one item and already has one. No other thread will ever
# call ``get()``, so the ``put()`` waits the full 0.2 s and raises.
# ``queue.Full`` is caught specifically; a bare ``except:`` would hide other
# errors too.

import queue
import threading
import time

q: queue.Queue = queue.Queue(maxsize=1)
q.put("first")

start = time.monotonic()
try:
    q.put("second", timeout=0.2)
except queue.Full:
    waited = time.monotonic() - start
    print(f"queue.Full after waiting the whole timeout: {waited >= 0.2}")

# %%
# A consumer makes room in time
# -----------------------------
# This time a thread takes an item out after 50 ms. The ``put()`` waits
# only until then, well within its 1 s timeout, and succeeds.


def take_later(q: queue.Queue) -> None:
    time.sleep(0.05)
    print(f"consumer took {q.get()!r}")


consumer = threading.Thread(target=take_later, args=(q,), name="consumer")
consumer.start()
q.put("second", timeout=1.0)
consumer.join()
print(f"queue now holds: {q.get_nowait()!r}")
