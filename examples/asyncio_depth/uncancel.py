"""
Handling a cancellation on purpose: cancelling() and uncancel() (3.11+)
=======================================================================

Since Python 3.11 a task counts the cancellation requests it has received:
``task.cancel()`` adds one, ``task.cancelling()`` reads the count, and
``task.uncancel()`` takes one away. asyncio's own structured tools rely on
the count. When an ``async with asyncio.timeout()`` block expires, it
cancels its task; on the way out it calls ``uncancel()`` and compares the
count with the one it noted on entry (so reads the source of a late 3.11
release; early ones, 3.11.2 for example, compare it with zero). Only if the
count is back to that value was the cancellation the timeout's own, to be turned
into a ``TimeoutError``. A higher count means somebody else also asked the
task to stop, and the ``CancelledError`` goes on.

So a task that deliberately absorbs a cancellation, say to skip one step
and carry on, must also call ``uncancel()``. Otherwise the request stays
counted, and a timeout around it ends the whole task instead of raising
``TimeoutError``.
"""

# %%
# Checking the version
# --------------------
# ``cancelling()``, ``uncancel()`` and ``asyncio.timeout()`` are new in
# 3.11.

import sys

if sys.version_info < (3, 11):
    print(
        "cancelling() and uncancel() need Python 3.11 or later; skipping this example."
    )
    sys.exit(0)

import asyncio

# %%
# A job whose first step can be skipped
# -------------------------------------
# The job runs two steps under one 100 ms deadline. The controller cancels
# the first step to skip it; the second step is bound to overrun the
# deadline. ``acknowledge`` chooses whether the job calls ``uncancel()``
# when it absorbs the skip.


async def job(acknowledge: bool) -> str:
    me = asyncio.current_task()
    assert me is not None
    try:
        async with asyncio.timeout(0.1):
            try:
                await asyncio.sleep(1)  # step 1: optional
            except asyncio.CancelledError:
                if acknowledge:
                    me.uncancel()
                print(f"  step 1 skipped; requests still counted: {me.cancelling()}")
            await asyncio.sleep(1)  # step 2: takes too long
    except TimeoutError:
        print("  the deadline passed: TimeoutError, handled")
    return "finished"


async def main(acknowledge: bool) -> None:
    task = asyncio.create_task(job(acknowledge))
    await asyncio.sleep(0.01)
    task.cancel()  # skip step 1
    result = await asyncio.gather(task, return_exceptions=True)
    print(f"  the job: cancelled={task.cancelled()}, result={result[0]!r}")


# %%
# Without ``uncancel()``
# ----------------------
# The count stays at 1. When the deadline passes, the timeout's own
# ``uncancel()`` leaves 1, more than the 0 it noted on entry, so the block
# lets the ``CancelledError`` through: the ``except TimeoutError`` never
# runs and the task ends cancelled.

print("absorbing the cancellation without uncancel():")
asyncio.run(main(acknowledge=False))

# %%
# With ``uncancel()``
# -------------------
# The count is back to 0 after the skip, the timeout recognises its own
# cancellation and raises ``TimeoutError``, and the job finishes.

print("absorbing the cancellation with uncancel():")
asyncio.run(main(acknowledge=True))
