"""
contextvars: a value per task, copied when the task is created
==============================================================

A ``contextvars.ContextVar`` is read with ``get()`` and set with
``set()``, and its value lives in the *current context*. Every asyncio
task runs in a context of its own: ``create_task()`` (and so ``gather()``
of coroutines, and ``TaskGroup.create_task()``) takes a copy of the
creator's context at that moment (``copy_context()`` in the 3.11 source of
``Task.__init__``). So

- a task starts with the values its creator had set when it created it;
- what the task sets afterwards stays in its copy, invisible to its
  creator and to the other tasks;
- what the creator sets after creating the task does not reach the task.

That makes a ``ContextVar`` the tool for per-request state in asyncio
code, such as the id of the request being handled, which ``threading.local``
cannot do because all the tasks share one thread.
"""

# %%
# A request id for log lines
# --------------------------
# ``log()`` reads the current request id wherever it is called, without
# being passed it.

import asyncio
import contextvars

request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="-"
)


def log(message: str) -> None:
    print(f"[{request_id.get()}] {message}")


async def handle(rid: str, delay: float) -> None:
    request_id.set(rid)  # only this task's context changes
    log("started")
    await asyncio.sleep(delay)  # the other handlers run and set theirs
    log("finished")


# %%
# Three handlers, interleaved
# ---------------------------
# Each handler sets its id, then waits while the others set theirs; every
# line still carries the right id, and the creator's own value is untouched.


async def server() -> None:
    log("server starting")
    await asyncio.gather(
        handle("req-1", 0.03), handle("req-2", 0.01), handle("req-3", 0.02)
    )
    log("server done")


asyncio.run(server())

# %%
# Copied at creation, not shared afterwards
# -----------------------------------------
# ``main`` sets a value, creates a task, then changes its value. The task
# sees the value of the moment it was created; its own change does not
# come back.


async def child() -> None:
    log("child sees the value from when it was created")
    request_id.set("set-by-child")


async def main() -> None:
    request_id.set("before create_task")
    task = asyncio.create_task(child())
    request_id.set("after create_task")
    await task
    log("main after the child set its own value")


asyncio.run(main())
