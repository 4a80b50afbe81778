"""
asyncio.Event and asyncio.Condition
===================================

asyncio has its own versions of the threading primitives, with the same
names and meanings, except that waiting is an ``await``: a task that waits
is suspended and the event loop runs the others. Their waits take no
``timeout`` argument (the signatures are printed below); wrap the wait in
``asyncio.wait_for()`` or ``asyncio.timeout()`` instead. According to the
documentation none of them is thread-safe: they are for the tasks of one
event loop.

- ``asyncio.Event``: ``await event.wait()`` suspends until some task calls
  ``event.set()``; then every waiter wakes, and later waits return at once
  until ``clear()``.
- ``asyncio.Condition``: a lock plus a way to wait for a change. Under
  ``async with cond:``, ``await cond.wait_for(predicate)`` releases the
  lock, waits for a ``notify()``, takes the lock back and checks the
  predicate again; ``notify(n)`` wakes ``n`` waiters, ``notify_all()``
  all of them.
"""

# %%
# An Event as a starting signal
# -----------------------------
# Three workers wait for the same signal; one ``set()`` releases them all.

import asyncio
import inspect

for method in (asyncio.Event.wait, asyncio.Condition.wait, asyncio.Condition.wait_for):
    print(f"{method.__qualname__}{inspect.signature(method)}")


async def worker(name: str, go: asyncio.Event, log: list[str]) -> None:
    await go.wait()
    log.append(f"{name} started")


async def starting_signal() -> None:
    go = asyncio.Event()
    log: list[str] = []
    workers = [asyncio.create_task(worker(f"w{i}", go, log)) for i in range(3)]
    await asyncio.sleep(0.02)
    print(f"before set(): {log}")
    go.set()
    await asyncio.gather(*workers)
    print(f"after set(): {log}")
    try:
        async with asyncio.timeout(0.05):  # a bounded wait on an Event
            await asyncio.Event().wait()  # nobody will set this one
    except TimeoutError:
        print("waiting on an Event nobody sets: TimeoutError after 50 ms")


asyncio.run(starting_signal())

# %%
# A Condition guarding a stock level
# ----------------------------------
# Two buyers each need a different number of items. They wait on the
# condition until the stock is high enough; the supplier adds items one
# at a time and calls ``notify_all()``, since each buyer waits for a
# different amount. ``wait_for`` rechecks each buyer's own predicate
# after every wake-up.


class Stock:
    def __init__(self) -> None:
        self.items = 0
        self.cond = asyncio.Condition()


async def buyer(name: str, wanted: int, stock: Stock, log: list[str]) -> None:
    async with stock.cond:
        await stock.cond.wait_for(lambda: stock.items >= wanted)
        stock.items -= wanted
        log.append(f"{name} took {wanted}, {stock.items} left")


async def supplier(stock: Stock, count: int) -> None:
    for _ in range(count):
        await asyncio.sleep(0.01)
        async with stock.cond:
            stock.items += 1
            stock.cond.notify_all()


async def shop() -> None:
    stock, log = Stock(), []
    await asyncio.gather(
        buyer("big", 3, stock, log), buyer("small", 1, stock, log), supplier(stock, 4)
    )
    print("\n".join(log))


asyncio.run(shop())
