"""
When put() and get() block, and for how long
============================================

``put()`` waits only when the queue is *full*, and ``get()`` only when it
is *empty*. Both take the same two optional arguments: ``block`` (default
``True``) says whether to wait at all, and ``timeout`` (default ``None``,
meaning no limit) says for how long. When a wait ends without success,
``put()`` raises ``queue.Full`` and ``get()`` raises ``queue.Empty``.

The study note this chapter is based on says that ``put()`` pauses the
caller when the queue is *empty*, and that ``put()`` with ``block`` false
raises ``Full``. Both statements leave out the condition that matters: the
queue must be full. This page checks each case.
"""

# %%
# The signature
# -------------
# ``put()`` has three parameters, not two: the item, ``block`` and
# ``timeout``. ``block`` defaults to ``True``, so a plain ``put(item)`` is a
# blocking call.

import inspect
import queue
import threading
import time

print(f"Queue.put{inspect.signature(queue.Queue.put)}")
print(f"Queue.get{inspect.signature(queue.Queue.get)}")

# %%
# A queue with room never makes put() wait
# ----------------------------------------
# On an empty queue, ``put(item, block=False)`` simply stores the item: the
# non-blocking form only fails when there is no room.

q: queue.Queue = queue.Queue(maxsize=1)
q.put("first", block=False)
print(f"stored without waiting, full now: {q.full()}")

# %%
# On a full queue, put() waits for a get()
# ----------------------------------------
# A producer thread calls ``put()`` on the full queue. It is still waiting
# when we look 0.2 s later; as soon as the main thread takes an item, the
# producer's ``put()`` returns and the thread ends.

producer = threading.Thread(target=q.put, args=("second",))
producer.start()
producer.join(timeout=0.2)
print(f"producer waiting in put() on the full queue: {producer.is_alive()}")
print(f"main thread took {q.get()!r}")
producer.join()
print(f"producer finished after the get(): {not producer.is_alive()}")

# %%
# Giving up: timeout and block=False
# ----------------------------------
# With a timeout, ``put()`` waits at most that long and then raises
# ``queue.Full``; with ``block=False`` (or ``put_nowait()``) it raises at
# once, and any timeout is ignored. A timeout of 0 also means "do not
# wait", while a negative timeout is a programming error.

TIMEOUT = 0.1
start = time.monotonic()
try:
    q.put("third", timeout=TIMEOUT)
except queue.Full:
    waited = time.monotonic() - start
    print(f"queue.Full after waiting at least {TIMEOUT} s: {waited >= TIMEOUT}")

for label, call in [
    ("put(block=False, timeout=5)", lambda: q.put("third", block=False, timeout=5)),
    ("put_nowait()", lambda: q.put_nowait("third")),
    ("put(timeout=0)", lambda: q.put("third", timeout=0)),
    ("put(timeout=-1)", lambda: q.put("third", timeout=-1)),
]:
    start = time.monotonic()
    try:
        call()
    except (queue.Full, ValueError) as exc:
        # a wait would last 5 s (the timeout) or for ever (the queue stays
        # full): under a second is "at once", even on a busy machine
        quick = time.monotonic() - start < 1
        print(f"{label:<28} raises {type(exc).__name__} without waiting: {quick}")

# %%
# get() is the mirror image
# -------------------------
# ``get()`` waits only on an empty queue. Here we empty it, then ask with a
# timeout and without blocking.

print(f"took {q.get()!r}; empty now: {q.empty()}")
for label, call in [
    ("get(timeout=0.1)", lambda: q.get(timeout=TIMEOUT)),
    ("get(block=False)", lambda: q.get(block=False)),
    ("get_nowait()", q.get_nowait),
]:
    try:
        call()
    except queue.Empty:
        print(f"{label:<28} raises Empty")
