"""
asyncio queues: waiting, timeouts and task_done()
=================================================

``asyncio.Queue`` is the coroutine counterpart of ``queue.Queue``: ``await
q.get()`` suspends the task (not the thread) until an item arrives, and
``await q.put(item)`` suspends it while a bounded queue is full. Its
methods take no ``block`` or ``timeout`` arguments. To give up after a
while, wrap the call in ``asyncio.wait_for()`` (or, from Python 3.11,
``async with asyncio.timeout()``); to not wait at all, use
``get_nowait()`` and ``put_nowait()``, which raise ``asyncio.QueueEmpty``
and ``asyncio.QueueFull``.
"""

# %%
# Giving up on an empty queue
# ---------------------------
# ``wait_for()`` cancels the waiting ``get()`` when the time is up and raises
# ``TimeoutError``. The queue is created inside the coroutine, so it belongs
# to the event loop that ``asyncio.run()`` starts.

import asyncio
import time

TIMEOUT = 0.1


async def give_up() -> None:
    q: asyncio.Queue[str] = asyncio.Queue(maxsize=1)
    start = time.monotonic()
    try:
        await asyncio.wait_for(q.get(), TIMEOUT)
    except (TimeoutError, asyncio.TimeoutError):  # the same class from Python 3.11
        waited = time.monotonic() - start
        print(f"TimeoutError after at least {TIMEOUT} s: {waited >= TIMEOUT}")
    try:
        q.get_nowait()
    except asyncio.QueueEmpty:
        print("get_nowait() on the empty queue: QueueEmpty")
    q.put_nowait("only")
    try:
        q.put_nowait("one too many")
    except asyncio.QueueFull:
        print("put_nowait() on the full queue: QueueFull")


asyncio.run(give_up())

# %%
# Workers, task_done() and join()
# -------------------------------
# As with threads, ``join()`` waits until every item put has been marked
# done. The workers run forever, so once ``join()`` returns the main task
# cancels them and waits for the cancellations with ``gather()``, which
# leaves no task behind. Each worker handles the items it gets in order,
# and the results are sorted before printing.


async def worker(q: asyncio.Queue[int], results: list[str]) -> None:
    while True:
        n = await q.get()
        try:
            await asyncio.sleep(0.01)  # pretend to work; other tasks run meanwhile
            results.append(f"{n} squared is {n * n}")
        finally:
            q.task_done()


async def main() -> None:
    q: asyncio.Queue[int] = asyncio.Queue()
    results: list[str] = []
    workers = [asyncio.create_task(worker(q, results)) for _ in range(2)]
    for n in range(5):
        await q.put(n)
    await q.join()
    for task in workers:
        task.cancel()
    await asyncio.gather(*workers, return_exceptions=True)
    print("\n".join(sorted(results)))
    print(f"workers cancelled: {all(task.cancelled() for task in workers)}")


asyncio.run(main())
