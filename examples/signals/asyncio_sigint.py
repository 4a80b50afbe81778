"""
asyncio and Ctrl-C: asyncio.run() cancels the main task
=======================================================

Since Python 3.11, ``asyncio.run()`` installs its own ``SIGINT`` handler
while the loop runs. On Ctrl-C it does not raise ``KeyboardInterrupt``
in whatever callback happens to be running; it *cancels the main task*.
The coroutine sees ``CancelledError`` at its current ``await``, so its
``finally`` blocks and ``async with`` exits run, and then ``asyncio.run()``
raises ``KeyboardInterrupt`` to its caller.
"""

# %%
# A clean-up that runs
# --------------------
# The main coroutine waits for a long job; the loop itself sends ``SIGINT``
# to the process 0.2 s later. The job's ``finally`` block runs, and the
# caller of ``asyncio.run()`` gets ``KeyboardInterrupt``.

import asyncio
import os
import signal

signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
events: list[str] = []


async def main() -> None:
    loop = asyncio.get_running_loop()
    loop.call_later(0.2, os.kill, os.getpid(), signal.SIGINT)
    try:
        await asyncio.sleep(30)
    except asyncio.CancelledError:
        events.append("main task cancelled")
        raise
    finally:
        events.append("finally ran")


try:
    asyncio.run(main())
except KeyboardInterrupt:
    events.append("asyncio.run() raised KeyboardInterrupt")
print("\n".join(events))
print(
    f"SIGINT handler restored afterwards: "
    f"{signal.getsignal(signal.SIGINT) is signal.default_int_handler}"
)
