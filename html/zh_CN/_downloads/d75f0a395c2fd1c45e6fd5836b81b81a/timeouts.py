"""
Timeouts: wait_for() and asyncio.timeout()
==========================================

A timeout in asyncio does not abandon the awaited call and leave it
running: it cancels it. When the time is up, the inner call is cancelled,
so a ``CancelledError`` is raised inside it, at the ``await`` where it is
suspended; its ``except`` and ``finally`` clauses run. Once it has
finished, the caller gets a ``TimeoutError`` instead. CancelledError
inside, TimeoutError outside.

``asyncio.wait_for(aw, seconds)`` exists in every supported version.
``async with asyncio.timeout(seconds)`` (Python 3.11+) puts a deadline on a
whole block, however many awaits it holds; on 3.10 this script stops
before that part.
"""

# %%
# A slow call that reports what happens to it
# -------------------------------------------
# ``slow_query`` would take a second. It catches ``CancelledError`` only to
# print it, then re-raises it: swallowing it would turn the cancellation
# into a normal return and break the timeout.

import asyncio
import sys
import time


async def slow_query(log: list[str]) -> str:
    try:
        await asyncio.sleep(1)  # stands for a slow network call
        return "answer"
    except asyncio.CancelledError:
        log.append("inner: CancelledError raised at its await")
        raise
    finally:
        log.append("inner: finally ran (cleanup happens here)")


# %%
# ``wait_for()``
# --------------
# The deadline is 50 ms. ``wait_for()`` cancels ``slow_query``, waits for it
# to finish its cleanup, then raises ``TimeoutError`` in the caller. Before
# Python 3.11 that is ``asyncio.TimeoutError``, a different class from the
# builtin one, so the ``except`` names both.


async def with_wait_for() -> None:
    log: list[str] = []
    start = time.monotonic()
    try:
        await asyncio.wait_for(slow_query(log), timeout=0.05)
    except (TimeoutError, asyncio.TimeoutError):
        log.append("outer: TimeoutError")
    print("\n".join(log))
    print(f"gave up long before the second was over: {time.monotonic() - start < 0.5}")


asyncio.run(with_wait_for())

# %%
# A task waited for with ``wait_for()`` is cancelled too
# ------------------------------------------------------
# Wrapping a task does not protect it: the task itself is cancelled. Use
# ``asyncio.shield()`` around it if it must keep running after the caller
# gives up.


async def task_is_cancelled() -> None:
    log: list[str] = []
    task = asyncio.create_task(slow_query(log))
    try:
        await asyncio.wait_for(task, timeout=0.05)
    except (TimeoutError, asyncio.TimeoutError):
        pass
    print(f"task cancelled: {task.cancelled()}")


asyncio.run(task_is_cancelled())

# %%
# ``asyncio.timeout()`` (Python 3.11+)
# ------------------------------------
# The deadline covers the whole block: here two calls in a row. The first
# takes 30 ms; the second is cancelled when the 50 ms are up. The
# ``CancelledError`` raised inside is turned into ``TimeoutError`` as it
# leaves the block, and ``expired()`` says that the deadline caused it.

if sys.version_info < (3, 11):
    print("asyncio.timeout() needs Python 3.11 or later; stopping here.")
    sys.exit(0)


async def with_timeout_block() -> None:
    log: list[str] = []
    try:
        async with asyncio.timeout(0.05) as deadline:
            await asyncio.sleep(0.03)
            log.append("first call finished within the deadline")
            await slow_query(log)
    except TimeoutError:
        log.append(f"outer: TimeoutError, deadline expired: {deadline.expired()}")
    print("\n".join(log))


asyncio.run(with_timeout_block())
