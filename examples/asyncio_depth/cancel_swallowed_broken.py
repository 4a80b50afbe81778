"""
Broken: a task that swallows CancelledError
===========================================

Cancellation only works if the ``CancelledError`` is allowed to leave the
coroutine. A task that catches it and carries on has refused the request:
``cancel()`` returned ``True``, but the task keeps running, and everything
that relies on cancellation waits for it -- ``await task`` after
``cancel()``, a timeout, a ``TaskGroup`` shutting down, ``asyncio.run()``
cancelling what is left at the end.

``CancelledError`` is a ``BaseException`` (since Python 3.8), so ``except
Exception`` does not catch it; the mistake is ``except
asyncio.CancelledError`` without ``raise``, a bare ``except:`` or ``except
BaseException``.
"""

# %%
# A worker that retries on every error
# ------------------------------------
# Both workers do small units of work in a loop. ``stop`` is there only so
# that this page can end the broken one: without it, nothing could.

import asyncio

print(
    f"CancelledError is an Exception: {issubclass(asyncio.CancelledError, Exception)}"
)


async def worker_broken(stop: asyncio.Event) -> str:
    while not stop.is_set():
        try:
            await asyncio.sleep(0.01)  # one unit of work
        except asyncio.CancelledError:
            print("broken: caught CancelledError, carrying on")  # and no raise
    return "stopped by the flag"


async def worker_fixed(stop: asyncio.Event) -> str:
    while not stop.is_set():
        try:
            await asyncio.sleep(0.01)
        except asyncio.CancelledError:
            print("fixed: caught CancelledError, cleaning up, re-raising")
            raise
    return "stopped by the flag"


# %%
# Cancel, then wait a bounded time
# --------------------------------
# ``asyncio.wait(..., timeout=0.2)`` waits at most 0.2 s and never cancels
# what it waits for, so it shows whether the task ended. The broken worker
# is still running after the cancellation; only the flag ends it, and then
# it returns normally, as if it had never been cancelled. The fixed worker
# is cancelled at once.


async def main(worker) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(worker(stop))
    await asyncio.sleep(0.05)
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=0.2)
    print(f"{worker.__name__}: finished within 0.2 s of cancel(): {task in done}")
    stop.set()  # the way out the broken worker needs
    result = await asyncio.gather(task, return_exceptions=True)
    print(f"{worker.__name__}: cancelled={task.cancelled()}, result={result[0]!r}")


asyncio.run(main(worker_broken))

# %%
# Fixed: re-raise it
# ------------------
# Catch ``CancelledError`` only to clean up, and re-raise it (or use
# ``finally``, which needs no ``raise``). Catch ``Exception`` for the
# errors to retry: that leaves cancellation alone.

asyncio.run(main(worker_fixed))
