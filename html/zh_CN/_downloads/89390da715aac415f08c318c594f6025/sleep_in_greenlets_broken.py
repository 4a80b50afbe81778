"""
Broken: a blocking sleep stops every greenlet
=============================================

Greenlets share one thread. gevent switches between them only when one of
them calls something gevent knows how to wait on. The standard
``time.sleep()`` is not such a call unless gevent's monkey patching has
replaced it: it blocks the whole thread, so while one greenlet sleeps no
other greenlet can run.

Here two greenlets each sleep twice for 50 ms, without monkey patching.
The sleeps happen one after another, and the run takes the *sum* of all
sleeps. The timeline shows them strictly in sequence. The fix is on the
next page, ``gevent_patched_sleep.py``.
"""

# %%
# Two greenlets, unpatched
# ------------------------
# ``gevent.spawn()`` and ``gevent.joinall()`` work as usual; only the sleep
# is the wrong one. Nothing warns about it: the program is correct, just
# serial.

import time

import gevent

NAPS = 2
NAP = 0.05


def napper(name: str) -> None:
    for i in range(NAPS):
        print(f"{name}: nap {i}")
        time.sleep(NAP)  # blocks the thread, and with it every greenlet


start = time.monotonic()
gevent.joinall([gevent.spawn(napper, "a"), gevent.spawn(napper, "b")])
elapsed = time.monotonic() - start

# %%
# The sleeps added up
# -------------------
# Four naps of 50 ms took at least 200 ms: no two of them overlapped.

print(f"time.sleep is gevent.sleep: {time.sleep is gevent.sleep}")
print(f"took at least the sum of all naps: {elapsed >= 2 * NAPS * NAP}")
