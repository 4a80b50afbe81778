"""
Blocking code: called directly, or with asyncio.to_thread()
===========================================================

The event loop switches tasks only at an ``await``. A coroutine that calls
something blocking, such as ``time.sleep()``, a synchronous HTTP client or
a slow file read, holds the one thread the loop runs on: until the call
returns, no other task runs, and nothing warns about it.

``await asyncio.to_thread(func, *args)`` (Python 3.9+) runs ``func`` in a
worker thread of the loop's default executor and suspends only the calling
task, so the loop keeps serving the others.

A heartbeat task shows the difference: it beats every 20 ms and notes the
longest gap between two beats. In the timeline, the broken run's ``run``
task holds the thread for the whole blocking call while the heartbeat's
20 ms sleep stretches over all of it; in the fixed run the call sleeps on
a worker thread's lane and the heartbeat keeps its beat.
"""

# %%
# A heartbeat and a blocking call
# -------------------------------
# ``blocking_read`` stands for any call that does not know about asyncio.
# The heartbeat stops when ``stop`` is set, so each run ends by itself.

import asyncio
import time

BEAT = 0.02  # seconds between heartbeats
BLOCK = 0.3  # seconds the blocking call takes


def blocking_read() -> str:
    time.sleep(BLOCK)  # blocks whichever thread calls it
    return "data"


async def heartbeat(stop: asyncio.Event) -> float:
    longest = 0.0
    last = time.monotonic()
    while not stop.is_set():
        await asyncio.sleep(BEAT)
        now = time.monotonic()
        longest = max(longest, now - last)
        last = now
    return longest


async def run(work) -> float:
    stop = asyncio.Event()
    beats = asyncio.create_task(heartbeat(stop))
    await asyncio.sleep(BEAT * 2)  # let the heartbeat get going
    print(f"got {await work()!r}")
    stop.set()
    return await beats


# %%
# Broken: calling it directly in a coroutine
# ------------------------------------------
# ``blocking_read()`` runs on the event loop's thread. For 300 ms the loop
# cannot resume the heartbeat, so one gap spans the whole call.


async def direct() -> str:
    return blocking_read()  # the event loop is blocked until this returns


gap = asyncio.run(run(direct))
print(f"heartbeat stopped for the whole call: {gap >= BLOCK}")

# %%
# Fixed: ``asyncio.to_thread()``
# ------------------------------
# The same call runs in a worker thread; the task awaiting it is suspended
# and the loop goes on beating. ``asyncio.run()`` shuts the default
# executor down before it returns, so the worker thread does not outlive
# the run.


async def in_thread() -> str:
    return await asyncio.to_thread(blocking_read)


gap = asyncio.run(run(in_thread))
print(f"heartbeat kept going (longest gap well under the call): {gap < BLOCK / 2}")
