"""
TaskGroup: tasks that finish together (Python 3.11+)
====================================================

``asyncio.TaskGroup`` (new in Python 3.11) ties tasks to a block: ``async
with asyncio.TaskGroup() as tg`` starts tasks with ``tg.create_task()``,
and the block does not end until every one of them has finished. No task
is left running behind the code that started it.

When one task fails, the group cancels the others, waits for them, and
raises an ``ExceptionGroup`` holding the failures. ``asyncio.gather()``
does neither by default: it passes on the first exception at once and
leaves the other tasks running.

On Python 3.10 this script prints that it needs 3.11 and exits with
status 0, so it can be run (and tested) there without failing.
"""

# %%
# Checking the version
# --------------------
# ``TaskGroup`` and ``ExceptionGroup`` do not exist before 3.11. The check
# comes first, before anything uses them.

import sys

if sys.version_info < (3, 11):
    print("asyncio.TaskGroup needs Python 3.11 or later; skipping this example.")
    sys.exit(0)

import asyncio

# %%
# Every task finished when the block ends
# ---------------------------------------
# Three downloads of different lengths start together. After the ``async
# with`` block, all three are done, and each task's ``result()`` can be
# read without waiting.


async def fetch(name: str, seconds: float) -> str:
    await asyncio.sleep(seconds)  # stands for network I/O
    return f"{name} ({seconds} s)"


async def all_succeed() -> None:
    async with asyncio.TaskGroup() as tg:
        tasks = [
            tg.create_task(fetch(name, seconds))
            for name, seconds in (("a", 0.03), ("b", 0.01), ("c", 0.02))
        ]
    print(f"all done after the block: {all(t.done() for t in tasks)}")
    print(f"results: {[t.result() for t in tasks]}")


asyncio.run(all_succeed())

# %%
# One failure cancels the rest
# ----------------------------
# ``broken`` fails after 10 ms, while ``slow`` still has most of its second
# to go. The group cancels ``slow`` (a ``CancelledError`` is raised inside
# it, at its ``await``), waits for it, and raises an ``ExceptionGroup``
# with the one real error. ``except* ValueError`` (3.11 syntax) would catch
# just the ``ValueError`` part of the group; catching ``ExceptionGroup``
# shows the whole group.


async def broken() -> None:
    await asyncio.sleep(0.01)
    raise ValueError("broken failed")


async def slow() -> None:
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("slow: cancelled by the group")
        raise  # let the cancellation finish the task


async def one_fails() -> None:
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(broken())
            tg.create_task(slow())
    except ExceptionGroup as group:  # noqa: F821 - a builtin from Python 3.11
        print(f"ExceptionGroup: {[repr(e) for e in group.exceptions]}")


asyncio.run(one_fails())
