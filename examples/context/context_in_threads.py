"""
Context in threads: to_thread() copies it, executors and threads do not
=======================================================================

A ``ContextVar`` value follows work into a new asyncio task, because the
task copies the context. Work handed to another thread is a different
matter, and the four usual ways differ (each checked in the 3.11 source
and by the output below):

- ``asyncio.to_thread(func)`` takes ``contextvars.copy_context()`` and
  runs ``func`` inside it with ``ctx.run``: the value arrives.
- ``loop.run_in_executor(executor, func)`` only calls
  ``executor.submit(func, *args)``: no context is passed, and ``func``
  runs in whatever context the worker thread has.
- ``ThreadPoolExecutor.submit(func)`` likewise.
- ``threading.Thread(target=func)``: in 3.11 a new thread starts with an
  empty context, so every variable reads its default.

When a value is lost, the fix is to do what ``to_thread()`` does: copy the
context in the caller and submit ``ctx.run`` with the function.
"""

# %%
# The variable and the function run elsewhere
# -------------------------------------------

import asyncio
import concurrent.futures
import contextvars
import functools
import threading

user: contextvars.ContextVar[str] = contextvars.ContextVar("user", default="<default>")


def whose_request() -> str:
    return user.get()


# %%
# Four ways, same value set beforehand
# ------------------------------------
# The coroutine sets ``user`` to ``"alice"`` and then calls
# ``whose_request`` in a worker thread in each of the four ways.


async def main() -> None:
    user.set("alice")
    loop = asyncio.get_running_loop()
    print(f"asyncio.to_thread:     {await asyncio.to_thread(whose_request)}")
    print(f"loop.run_in_executor:  {await loop.run_in_executor(None, whose_request)}")
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        print(f"executor.submit:       {pool.submit(whose_request).result(timeout=5)}")
    seen: list[str] = []
    thread = threading.Thread(target=lambda: seen.append(whose_request()))
    thread.start()
    thread.join(timeout=5)
    print(f"threading.Thread:      {seen[0]}")


asyncio.run(main())

# %%
# Fixed: carry the context explicitly
# -----------------------------------
# ``copy_context()`` in the caller, ``ctx.run`` in the worker: the value
# arrives through the executor too.


async def fixed() -> None:
    user.set("alice")
    ctx = contextvars.copy_context()
    call = functools.partial(ctx.run, whose_request)
    loop = asyncio.get_running_loop()
    print(f"run_in_executor + ctx: {await loop.run_in_executor(None, call)}")


asyncio.run(fixed())
