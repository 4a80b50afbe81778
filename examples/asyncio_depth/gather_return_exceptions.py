"""
gather(): results in order, and what happens to the others on failure
=====================================================================

``await asyncio.gather(a, b, c)`` runs the awaitables concurrently and
returns their results in the order they were passed, whatever order they
finish in.

When one of them raises, the default ``gather()`` passes that first
exception to its caller at once, and that is all it does: the other tasks
are not cancelled, they keep running, and their results and exceptions are
no longer collected by anyone. With ``return_exceptions=True`` an
exception counts as a result: ``gather()`` waits for every one of them and
returns the exceptions in their places in the list.
"""

# %%
# Three lookups, one of which fails
# ---------------------------------

import asyncio


async def lookup(name: str, seconds: float, log: list[str]) -> str:
    await asyncio.sleep(seconds)
    if name == "bad":
        raise LookupError(f"{name} not found")
    log.append(f"{name} finished")
    return name.upper()


def start(log: list[str]) -> dict[str, asyncio.Task]:
    return {
        name: asyncio.create_task(lookup(name, seconds, log))
        for name, seconds in (("slow", 0.3), ("bad", 0.05), ("fast", 0.02))
    }


# %%
# The default: the first exception, the rest left running
# -------------------------------------------------------
# ``bad`` fails after 50 ms; ``gather()`` raises its ``LookupError``
# straight away, while ``slow`` is still running. The caller must decide
# what to do with it; here it waits for it, so that nothing is left behind.


async def default() -> None:
    log: list[str] = []
    tasks = start(log)
    try:
        await asyncio.gather(*tasks.values())
    except LookupError as exc:
        print(f"gather raised {exc!r}; finished so far: {log}")
        print(f"still running: {[name for name, t in tasks.items() if not t.done()]}")
    await asyncio.wait(tasks.values())  # the leftovers, before the loop closes
    print(f"later: {log}")


asyncio.run(default())

# %%
# ``return_exceptions=True``: every outcome, in order
# ---------------------------------------------------
# Now ``gather()`` returns when all three are done. The list follows the
# order of the arguments, not the order of finishing; the failure is an
# item of it, to be checked with ``isinstance``.


async def collect_all() -> None:
    log: list[str] = []
    results = await asyncio.gather(*start(log).values(), return_exceptions=True)
    print(f"finishing order: {log}")
    print(f"results: {results}")
    print(f"failures: {[r for r in results if isinstance(r, Exception)]}")


asyncio.run(collect_all())
