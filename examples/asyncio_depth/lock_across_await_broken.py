"""
Broken: read, await, write -- a race with a single thread
=========================================================

asyncio tasks share one thread and switch only at ``await``, so code
between two ``await`` points runs without interruption. That makes
``balance += amount`` safe. It does not make safe a read and a write with
an ``await`` between them: at that ``await`` other tasks run, and they can
read the same old value. The last one to write wins and the other updates
are lost -- the same race condition as between threads, only the places
where it can happen are easier to see.

``asyncio.Lock`` guards a region that contains awaits: ``async with
lock:`` lets one task in and suspends the others until it leaves. It
belongs to the event loop and is meant for tasks only; according to the
documentation it is not thread-safe and, unlike ``threading.RLock``, not
re-entrant.
"""

# %%
# An account updated by ten deposits
# ----------------------------------
# ``deposit`` reads the balance, awaits something (a database round trip,
# say) and writes back the sum.

import asyncio


class Account:
    def __init__(self) -> None:
        self.balance = 0


async def deposit(account: Account, amount: int, lock: asyncio.Lock | None) -> None:
    async def update() -> None:
        current = account.balance
        await asyncio.sleep(0.01)  # other tasks run here
        account.balance = current + amount

    if lock is None:
        await update()
    else:
        async with lock:
            await update()


async def main(lock: asyncio.Lock | None) -> int:
    account = Account()
    await asyncio.gather(*(deposit(account, 10, lock) for _ in range(10)))
    return account.balance


# %%
# Broken: no lock
# ---------------
# All ten tasks read 0 before any of them writes, so nine deposits are
# lost.

print(f"broken: balance {asyncio.run(main(None))}, expected 100")

# %%
# Fixed: ``asyncio.Lock`` around the read-modify-write
# ----------------------------------------------------
# The deposits now go one after another through the locked region; the
# timeline shows them in sequence.


async def with_lock() -> int:
    return await main(asyncio.Lock())  # created inside the running loop


print(f"fixed: balance {asyncio.run(with_lock())}, expected 100")
