"""
Between threads and the event loop
==================================

An event loop and its objects (tasks, futures, ``asyncio.Queue``,
``asyncio.Event``) belong to the one thread that runs the loop. Code in
another thread must not call their methods directly; it asks the loop to
do it. Three calls form the bridge:

- ``loop.call_soon_threadsafe(callback, *args)``: from any thread, run
  ``callback(*args)`` in the loop's thread, soon. It also wakes the loop
  if it is asleep waiting for I/O or a timer.
- ``asyncio.run_coroutine_threadsafe(coro, loop)``: from a thread that is
  not the loop's, run a coroutine on the loop and get a
  ``concurrent.futures.Future``; ``future.result(timeout)`` blocks that
  thread, not the loop.
- ``asyncio.wrap_future(cf_future)``: the other direction. Turn a
  ``concurrent.futures.Future`` (from an executor's ``submit()``) into an
  asyncio future that a coroutine can await.
"""

# %%
# The loop side
# -------------
# ``lookup`` is a coroutine that runs on the loop. ``where()`` says which
# thread the code calling it runs in.

import asyncio
import concurrent.futures
import threading


def where() -> str:
    return (
        "loop thread"
        if threading.current_thread() is threading.main_thread()
        else "worker"
    )


async def lookup(key: str) -> str:
    await asyncio.sleep(0.01)
    return f"{key}={len(key)} (computed in the {where()})"


# %%
# A worker thread that uses the loop
# ----------------------------------
# ``worker`` runs in an executor thread. It hands one value to the loop
# with ``call_soon_threadsafe`` (setting the result of a future that a task
# awaits) and asks the loop to run ``lookup`` with
# ``run_coroutine_threadsafe``, blocking only itself while it waits.


def worker(loop: asyncio.AbstractEventLoop, ready: asyncio.Future) -> str:
    loop.call_soon_threadsafe(ready.set_result, f"hello from the {where()}")
    answer = asyncio.run_coroutine_threadsafe(lookup("spam"), loop)
    return f"worker got {answer.result(timeout=2)!r}"


# %%
# Awaiting the worker with ``wrap_future``
# ----------------------------------------
# ``executor.submit()`` returns a ``concurrent.futures.Future``; wrapped, it
# can be awaited like any asyncio future, so the loop keeps running
# ``lookup`` for the worker while main waits for it. (``loop.run_in_executor``
# does the submit and the wrap in one call.)


async def main() -> None:
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as executor:
        cf_future = executor.submit(worker, loop, ready)
        print(f"call_soon_threadsafe delivered: {await ready!r}")
        print(await asyncio.wrap_future(cf_future))


asyncio.run(main())
