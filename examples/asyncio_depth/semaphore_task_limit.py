"""
Limiting concurrency with asyncio.Semaphore
===========================================

Starting a task per item is cheap, so it is easy to start a thousand
requests against a server that accepts ten at a time. ``asyncio.Semaphore(n)``
holds ``n`` permits: ``async with sem:`` takes one, waiting (the task is
suspended, the loop runs others) while none is free, and gives it back on
the way out, even when the body raises.

The tasks still all exist at once; what the semaphore limits is how many
are inside the ``async with`` block at the same time. Releasing more often
than acquiring would silently raise the limit; ``BoundedSemaphore``
raises ``ValueError`` instead.
"""

# %%
# Six downloads, counted
# ----------------------
# ``Gauge`` counts how many downloads are inside the limited part at any
# moment and remembers the highest count.

import asyncio


class Gauge:
    def __init__(self) -> None:
        self.now = self.peak = 0

    def enter(self) -> None:
        self.now += 1
        self.peak = max(self.peak, self.now)

    def leave(self) -> None:
        self.now -= 1


async def download(item: int, gauge: Gauge, sem: asyncio.Semaphore | None) -> int:
    async def transfer() -> int:
        gauge.enter()
        await asyncio.sleep(0.02)  # stands for the request
        gauge.leave()
        return item

    if sem is None:
        return await transfer()
    async with sem:  # waits here while both permits are taken
        return await transfer()


async def main(limit: int | None) -> None:
    gauge = Gauge()
    sem = asyncio.Semaphore(limit) if limit else None
    results = await asyncio.gather(*(download(i, gauge, sem) for i in range(6)))
    print(f"limit {limit}: results {results}, at most {gauge.peak} at once")


# %%
# Without and with a limit of two
# -------------------------------
# Without a semaphore all six requests are in flight together. With
# ``Semaphore(2)`` no more than two are, and the six go through in three
# rounds, as the timeline shows.

asyncio.run(main(None))
asyncio.run(main(2))

# %%
# ``BoundedSemaphore`` catches an extra release
# ---------------------------------------------
# A plain ``Semaphore`` accepts a ``release()`` that matches no
# ``acquire()`` and then lets three tasks in where two were meant;
# a ``BoundedSemaphore`` refuses it.


async def extra_release() -> None:
    plain = asyncio.Semaphore(2)
    plain.release()
    admitted = 0
    while not plain.locked():  # locked(): no permit is free
        await plain.acquire()
        admitted += 1
    print(f"Semaphore(2) after an extra release admits {admitted} at once")
    bounded = asyncio.BoundedSemaphore(2)
    try:
        bounded.release()
    except ValueError as exc:
        print(f"BoundedSemaphore(2): ValueError: {exc}")


asyncio.run(extra_release())
