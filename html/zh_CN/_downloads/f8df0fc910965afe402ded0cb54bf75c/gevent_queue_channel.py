"""
gevent queues and channels
==========================

``gevent.queue.Queue`` has the same interface as ``queue.Queue``, but a
waiting ``get()`` or ``put()`` suspends only the current greenlet: the hub
runs the others meanwhile. ``gevent.queue.Channel`` is a queue with no room
at all: every ``put()`` waits until a greenlet takes the item with
``get()``, which makes it a meeting point (a *rendezvous*) rather than a
buffer.

No monkey patching is needed here: the queues are gevent's own.
"""

# %%
# A channel hands each item over directly
# ---------------------------------------
# The producer's ``put()`` returns only once the consumer has called
# ``get()``. The ``events`` list records the order of what happened, so the
# output shows each hand-over: the producer resumes after the consumer took
# the item.

import gevent
from gevent.queue import Channel, Full, Queue

events: list[str] = []


def producer(ch: Channel) -> None:
    for n in range(3):
        events.append(f"producer: put({n}) ...")
        ch.put(n)
        events.append(f"producer: put({n}) returned")


def consumer(ch: Channel) -> None:
    for _ in range(3):
        events.append(f"consumer: got {ch.get()}")


channel = Channel()
gevent.joinall([gevent.spawn(producer, channel), gevent.spawn(consumer, channel)])
print("\n".join(events))

# %%
# Nobody waiting: put_nowait() and timeouts
# -----------------------------------------
# With no greenlet waiting in ``get()``, a channel is always full, so
# ``put_nowait()`` raises ``queue.Full`` (gevent reuses the standard
# exceptions) and ``put(timeout=...)`` gives up after the timeout.

for label, call in [
    ("put_nowait()", lambda: channel.put_nowait("x")),
    ("put(timeout=0.05)", lambda: channel.put("x", timeout=0.05)),
]:
    try:
        call()
    except Full:
        print(f"Channel.{label}: Full")

# %%
# A bounded queue buffers items
# -----------------------------
# A ``Queue(2)`` accepts two items without any reader, then behaves like the
# channel: a third ``put_nowait()`` raises ``Full``.

q: Queue = Queue(2)
q.put_nowait("a")
q.put_nowait("b")
try:
    q.put_nowait("c")
except Full:
    print(f"Queue(2) after two puts: Full; holds {q.qsize()} items")
print(f"taken in order: {q.get()}, {q.get()}")
