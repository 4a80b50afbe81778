"""
Fixed: monkey patching makes the sleeps overlap
===============================================

The same two greenlets as on the previous page, ``sleep_in_greenlets_broken.py``,
but ``monkey.patch_all()`` runs first. It replaces ``time.sleep()`` with
``gevent.sleep()``, which does not block the thread: it tells gevent's
event loop when to wake this greenlet up and switches to another one.

The naps now overlap, and the run takes about as long as the longest chain
of naps of a single greenlet (2 x 50 ms), not the sum of all naps
(4 x 50 ms).
"""

# %%
# Patch before anything else
# --------------------------
# ``monkey.patch_all()`` must run before other modules are imported, so that
# nothing keeps a reference to the original blocking functions.

from gevent import monkey

monkey.patch_all()

import time  # noqa: E402

import gevent  # noqa: E402

NAPS = 2
NAP = 0.05


def napper(name: str) -> None:
    for i in range(NAPS):
        print(f"{name}: nap {i}")
        time.sleep(NAP)  # now gevent.sleep: the other greenlet runs meanwhile


# %%
# The sleeps overlap
# ------------------
# The lines interleave: ``a`` and ``b`` take turns, because each sleep lets
# the other greenlet run. The run ends well before the sum of all naps.

start = time.monotonic()
gevent.joinall([gevent.spawn(napper, "a"), gevent.spawn(napper, "b")])
elapsed = time.monotonic() - start

print(f"time.sleep is gevent.sleep: {time.sleep is gevent.sleep}")
print(f"took less than the sum of all naps: {elapsed < 2 * NAPS * NAP}")
