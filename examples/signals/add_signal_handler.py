"""
loop.add_signal_handler(): a signal as an event-loop callback
=============================================================

``signal.signal()`` handlers run between bytecodes of the main thread, at
any point of the loop's work. ``loop.add_signal_handler(sig, callback)``
(Unix only) instead makes the loop call ``callback`` as an ordinary
callback, between other callbacks, so it may touch the loop's objects:
set an ``asyncio.Event``, cancel tasks. A common use is a graceful
shutdown on ``SIGTERM``: stop taking new work, let the current work
finish, then leave.
"""

# %%
# Graceful shutdown on SIGTERM
# ----------------------------
# A server-like coroutine handles "requests" until the shutdown event is
# set. The handler sets it; the request in progress finishes, no new one
# starts. The signal is sent by the process itself, during the second
# request.

import asyncio
import os
import signal


async def serve(shutdown: asyncio.Event, handled: list[int]) -> None:
    n = 0
    while not shutdown.is_set():
        n += 1
        if n == 2:
            os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.sleep(0.1)  # one request
        handled.append(n)


async def main() -> None:
    loop = asyncio.get_running_loop()
    shutdown = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, shutdown.set)
    handled: list[int] = []
    server = asyncio.create_task(serve(shutdown, handled))
    await asyncio.wait_for(server, timeout=10)
    print(f"shutdown requested: {shutdown.is_set()}; requests finished: {handled}")
    print(f"handler removed: {loop.remove_signal_handler(signal.SIGTERM)}")


asyncio.run(main())
