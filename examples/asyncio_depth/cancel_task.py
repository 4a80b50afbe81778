"""
Cancelling a task: a request, delivered at an await
===================================================

``task.cancel()`` does not stop a task on the spot. It asks: the next time
the task is resumed, a ``CancelledError`` is raised inside it, at the
``await`` where it is suspended. The task's ``except`` and ``finally``
clauses run, and when the exception leaves the coroutine the task is
*cancelled*. A task that is running cannot be interrupted at all, because
the one thread is busy running it; ``cancel()`` only takes effect once it
reaches an ``await`` that suspends.

Whoever awaits a cancelled task gets the ``CancelledError`` too.
"""

# %%
# A task that cleans up
# ---------------------
# ``download`` would wait a second. Its ``finally`` clause stands for
# closing a connection or a file: it runs whatever the reason the task
# ends.

import asyncio


async def download(log: list[str]) -> str:
    try:
        log.append("download: started, waiting for data")
        await asyncio.sleep(1)  # the CancelledError is raised here
        return "data"
    except asyncio.CancelledError as exc:
        log.append(f"download: CancelledError at its await, args={exc.args}")
        raise  # let the cancellation finish the task
    finally:
        log.append("download: finally ran")


# %%
# Requesting, then waiting
# ------------------------
# ``cancel()`` returns ``True`` (the request was accepted), yet right after
# the call the task is not cancelled yet: it has not run since. Only after
# the event loop resumes it does ``cancelled()`` say ``True``. The optional
# message (3.9+) travels with the exception. Awaiting the task raises
# ``CancelledError`` in the awaiter as well.


async def main() -> None:
    log: list[str] = []
    task = asyncio.create_task(download(log))
    await asyncio.sleep(0.01)  # let it start and suspend in its sleep
    print(f"cancel() accepted: {task.cancel('no longer needed')}")
    print(f"right after cancel(): done={task.done()}, cancelled={task.cancelled()}")
    try:
        await task
    except asyncio.CancelledError:
        print("awaiting the task raised CancelledError")
    print("\n".join(log))
    print(f"after it ran: done={task.done()}, cancelled={task.cancelled()}")
    print(f"cancel() on a finished task: {task.cancel()}")


asyncio.run(main())

# %%
# Cancelled before it ever ran
# ----------------------------
# A task cancelled before its first step never executes a line: its first
# step throws the ``CancelledError`` into the coroutine before the first
# line of its body, so its ``try`` is never entered and not even its
# ``finally`` clause runs.


async def never_started() -> None:
    log: list[str] = []
    task = asyncio.create_task(download(log))
    task.cancel()  # the task has not had a turn yet
    await asyncio.gather(task, return_exceptions=True)
    print(f"cancelled={task.cancelled()}, lines it logged: {log}")


asyncio.run(never_started())
