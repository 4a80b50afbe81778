"""
Broken: putting into an asyncio.Queue from another thread
=========================================================

``asyncio.Queue`` is not thread-safe: its methods may only be called from
the thread that runs its event loop. Called from another thread,
``put_nowait()`` does append the item, and it marks the waiting
``get()`` as ready to resume, but it does not wake the loop. If the loop
is asleep waiting for I/O or a timer, it sleeps on, and the consumer gets
the item only when something else wakes the loop up -- maybe much later,
maybe never. (The object's state is also changed from two threads at
once, which nothing in asyncio guards against.)

The fix is to let the loop's own thread do the put:
``loop.call_soon_threadsafe(queue.put_nowait, item)`` both schedules the
call and wakes the loop.
"""

# %%
# A consumer that waits at most half a second
# -------------------------------------------
# The consumer waits for one item with ``asyncio.wait(..., timeout=0.5)``,
# which bounds the broken case. Nothing else is scheduled, so the loop
# sleeps until that timeout unless someone wakes it. The producer is a
# thread that puts the item after 0.1 s, when the loop is surely asleep.

import asyncio
import threading
import time

LIMIT = 0.5  # seconds the consumer waits at most
PUT_AFTER = 0.1  # seconds before the producer puts


def producer(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue, safe: bool) -> None:
    time.sleep(PUT_AFTER)
    if safe:
        loop.call_soon_threadsafe(queue.put_nowait, "item")
    else:
        queue.put_nowait("item")  # called from the wrong thread


async def main(safe: bool) -> None:
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str] = asyncio.Queue()
    getter = asyncio.create_task(queue.get())
    await asyncio.sleep(0)  # the getter is now waiting
    thread = threading.Thread(target=producer, args=(loop, queue, safe))
    start = time.monotonic()
    thread.start()
    done, _ = await asyncio.wait({getter}, timeout=LIMIT)
    waited = time.monotonic() - start
    thread.join()
    label = "fixed" if safe else "broken"
    print(f"{label}: got the item: {getter in done}")
    late = waited >= LIMIT * 0.95
    print(f"{label}: it arrived only when the {LIMIT} s timeout woke the loop: {late}")


# %%
# Broken: ``put_nowait()`` from the thread
# ----------------------------------------
# The item was in the queue after 0.1 s, but the consumer saw it only when
# the loop woke up for the timeout. In the timeline, the first run's
# ``get()`` stays blocked until the 0.5 s mark, long after the producer's
# sleep ended; in the second run it ends with that sleep.

asyncio.run(main(safe=False))

# %%
# Fixed: ``call_soon_threadsafe``
# -------------------------------
# The put runs in the loop's thread and the loop is woken: the item
# arrives without waiting for the timeout.

asyncio.run(main(safe=True))
