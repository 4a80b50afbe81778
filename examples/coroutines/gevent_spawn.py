"""
Cooperative sleeps with gevent
==============================

gevent runs greenlets on an event loop and switches between them whenever
one of them would block. After ``monkey.patch_all()``, ordinary blocking
calls such as ``time.sleep()`` or socket reads become such switch points, so
code written in a plain, blocking style runs concurrently within one thread.

Here ``foo`` and ``bar`` each sleep three times. Their sleeps overlap, so
the whole run takes about as long as the slower of the two, not as long as
all six sleeps added up.
"""

# %%
# Patch first
# -----------
# ``monkey.patch_all()`` replaces functions in standard modules such as
# ``time``, ``socket`` and ``threading`` with cooperative versions. It must
# run before anything else is imported: a name taken earlier with ``from
# time import sleep``, or a lock or socket a module created when it was
# imported, keeps the original, blocking version, which would stall every
# greenlet. (A module that calls ``time.sleep()`` through ``time`` at run
# time gets the patched one, wherever it was imported.) That is why the other
# imports come after it, and why linters must be told (``noqa: E402``) that
# this is deliberate.

from gevent import monkey

monkey.patch_all()

import random  # noqa: E402
import time  # noqa: E402

import gevent  # noqa: E402

print(f"time.sleep is gevent.sleep: {time.sleep is gevent.sleep}")

# %%
# Two tasks
# ---------
# The sleep lengths are seeded random values between 50 and 250 ms, drawn up
# front, so every run sleeps the same amounts and the lines below always
# interleave in the same order.

# this seed puts the wake-ups at least 115 ms apart, so that a loaded machine
# stalling the loop for a moment does not swap two of them
rng = random.Random(582)
delays = {name: [rng.uniform(0.05, 0.25) for _ in range(3)] for name in ("foo", "bar")}


def task(name: str) -> None:
    for i, delay in enumerate(delays[name]):
        print(f"{name}: {i}")
        time.sleep(delay)  # patched: lets the other greenlet run


# %%
# Spawning and joining
# --------------------
# ``gevent.spawn()`` schedules a greenlet, and ``gevent.joinall()`` runs the
# event loop until all of them have finished. We compare the elapsed time
# with the sum of all sleeps rather than printing raw timings, which vary
# from run to run.

start = time.monotonic()
greenlets = [gevent.spawn(task, "foo"), gevent.spawn(task, "bar")]
gevent.joinall(greenlets, raise_error=True)
elapsed = time.monotonic() - start

total = sum(sum(d) for d in delays.values())
print(f"all greenlets finished: {all(g.dead for g in greenlets)}")
print(f"overlapped: {elapsed < total}")
