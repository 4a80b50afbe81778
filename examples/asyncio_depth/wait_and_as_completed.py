"""
wait() and as_completed(): acting on tasks as they finish
=========================================================

``gather()`` hands back everything at the end. Two other calls let the
caller act earlier:

- ``asyncio.wait(tasks, return_when=...)`` returns two sets, ``done`` and
  ``pending``, as soon as the condition holds: ``FIRST_COMPLETED``,
  ``FIRST_EXCEPTION`` or ``ALL_COMPLETED`` (the default), or when its
  ``timeout`` runs out. It never cancels anything: what is pending stays
  pending, for the caller to wait for again or cancel.
- ``asyncio.as_completed(aws)`` is an iterator of awaitables; each one
  gives the next result in the order of finishing.
"""

# %%
# Three mirrors of different speed
# --------------------------------

import asyncio

DELAYS = {"mirror-a": 0.5, "mirror-b": 0.05, "mirror-c": 0.25}  # seconds


async def fetch(mirror: str) -> str:
    await asyncio.sleep(DELAYS[mirror])
    return f"file from {mirror}"


def names(tasks: set[asyncio.Task]) -> list[str]:
    return sorted(t.get_name() for t in tasks)


# %%
# ``wait(FIRST_COMPLETED)``: take the fastest, cancel the rest
# ------------------------------------------------------------
# The two slower downloads are still pending when ``wait()`` returns. The
# caller cancels them and waits for the cancellations to finish, so that
# nothing runs on behind it.


async def fastest() -> None:
    tasks = {asyncio.create_task(fetch(m), name=m) for m in DELAYS}
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print(f"done: {names(done)}, pending: {names(pending)}")
    print(f"result: {done.pop().result()!r}")
    for task in pending:
        task.cancel()
    await asyncio.wait(pending)
    print(f"pending ones cancelled: {all(t.cancelled() for t in pending)}")


asyncio.run(fastest())

# %%
# ``wait(timeout=...)``: what finished in time
# --------------------------------------------
# After 0.35 s two are done; the third is still pending, not cancelled.
# Here the caller chooses to let it finish.


async def within_deadline() -> None:
    tasks = {asyncio.create_task(fetch(m), name=m) for m in DELAYS}
    done, pending = await asyncio.wait(tasks, timeout=0.35)
    print(f"after 0.35 s: done {names(done)}, pending {names(pending)}")
    print(f"the pending one was cancelled: {any(t.cancelled() for t in pending)}")
    await asyncio.wait(pending)
    print(f"then it finished too: {all(t.done() for t in tasks)}")


asyncio.run(within_deadline())

# %%
# ``as_completed()``: results in the order they arrive
# ----------------------------------------------------
# Each ``await`` in the loop gives the next result to finish, fastest
# first, so the caller can use each one as soon as it exists.


async def in_order_of_arrival() -> None:
    for next_result in asyncio.as_completed([fetch(m) for m in DELAYS]):
        print(f"arrived: {await next_result}")


asyncio.run(in_order_of_arrival())
