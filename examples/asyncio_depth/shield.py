"""
shield(): the caller is cancelled, the work goes on
===================================================

Some work should not stop half-way because whoever was waiting for it gave
up: writing a record, committing a transaction. ``asyncio.shield(aw)``
wraps ``aw`` in a task and returns an outer future. Cancelling the caller
cancels only that outer future: the caller gets its ``CancelledError`` at
once, while the inner task runs on to the end.

Two consequences. The inner task now runs on its own, so something must
keep a reference to it and wait for it before the program ends
(``asyncio.run()`` cancels whatever is left over when the main coroutine
returns, shielded or not). And the shield protects only against
cancellation from outside: the inner task can still fail, or be cancelled
directly.
"""

# %%
# A save that takes 300 ms
# ------------------------

import asyncio


async def save(record: str, log: list[str]) -> str:
    log.append(f"save: writing {record!r}")
    await asyncio.sleep(0.3)  # stands for a write that must not be cut short
    log.append(f"save: {record!r} written")
    return "saved"


async def handler(
    record: str, log: list[str], saves: list[asyncio.Task] | None
) -> None:
    try:
        if saves is not None:
            inner = asyncio.create_task(save(record, log))
            saves.append(inner)  # a reference, so that main can wait for it
            await asyncio.shield(inner)
        else:
            await save(record, log)
    except asyncio.CancelledError:
        log.append("handler: cancelled while waiting")
        raise


# %%
# The caller is cancelled after 20 ms
# -----------------------------------
# Without the shield the ``CancelledError`` is raised inside ``save`` at its
# ``await``: the record is never written. With the shield the handler is
# cancelled just the same, but the inner task finishes its write; the
# program waits for it before it ends.


async def main(shielded: bool) -> None:
    log: list[str] = []
    saves: list[asyncio.Task] | None = [] if shielded else None
    task = asyncio.create_task(handler("order 7", log, saves))
    await asyncio.sleep(0.02)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    log.append(f"main: handler cancelled={task.cancelled()}")
    for inner in saves or ():
        log.append(f"main: inner task still running: {not inner.done()}")
        log.append(f"main: inner task result: {await inner!r}")
    print("\n".join(log))


print("without shield():")
asyncio.run(main(shielded=False))
print("\nwith shield():")
asyncio.run(main(shielded=True))
