"""
Broken: a blocking call inside the asyncio event loop
=====================================================

All the tasks of an asyncio program run in one thread, and the event loop
switches between them only at an ``await``. A call that blocks without
awaiting, such as ``time.sleep()``, a blocking socket read or a long
computation, holds the thread, so every other task stops until it
returns. Nothing fails and nothing warns (unless asyncio's debug mode is
on); the program just stalls.

This is the same mistake as ``time.sleep()`` inside a greenlet, shown in
:ref:`sphx_glr_auto_examples_coroutines_sleep_in_greenlets_broken.py`.
"""

# %%
# A heartbeat and a slow job
# --------------------------
# ``heartbeat()`` wakes up every 20 ms and records the time, so the largest
# gap between two beats shows how long the loop was stuck. ``job`` stands
# for any piece of work that takes 0.3 s.

import asyncio
import itertools
import time

BEAT = 0.02
WORK = 0.3


async def heartbeat(stop: asyncio.Event) -> float:
    beats = [time.monotonic()]
    while not stop.is_set():
        await asyncio.sleep(BEAT)
        beats.append(time.monotonic())
    return max(b - a for a, b in itertools.pairwise(beats))


async def main(job) -> float:
    stop = asyncio.Event()
    beat = asyncio.create_task(heartbeat(stop))
    await asyncio.sleep(BEAT * 3)  # let a few beats happen first
    await job()
    stop.set()
    return await beat


# %%
# Broken: ``time.sleep()`` in a coroutine
# ---------------------------------------
# While the job sleeps, the heartbeat cannot run: the largest gap is the
# whole 0.3 s of work.


async def blocking_job() -> None:
    time.sleep(WORK)  # holds the thread: no other task runs


gap = asyncio.run(main(blocking_job))
print(f"blocking: largest gap between beats >= {WORK} s: {gap >= WORK}")

# %%
# Fixed: await, or move the blocking call to a thread
# ---------------------------------------------------
# If the waiting has an asynchronous form, await it (``asyncio.sleep()``,
# the loop's sockets, ``asyncio.open_connection()``). If it does not, for
# example a library call that blocks, ``asyncio.to_thread()`` runs it in a
# worker thread and gives the loop back to the other tasks while it runs.
# The heartbeat keeps its rhythm in both cases. (CPU-bound work in a thread
# still competes for the GIL; it belongs in a process pool.)


async def awaiting_job() -> None:
    await asyncio.sleep(WORK)


async def threaded_job() -> None:
    await asyncio.to_thread(time.sleep, WORK)


for job in (awaiting_job, threaded_job):
    gap = asyncio.run(main(job))
    print(f"{job.__name__}: largest gap between beats < {WORK / 2} s: {gap < WORK / 2}")
