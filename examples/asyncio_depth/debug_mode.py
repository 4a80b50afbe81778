"""
Debug mode: slow steps, forgotten awaits, calls from the wrong thread
=====================================================================

asyncio has a debug mode, off by default because its checks slow the
loop down (says the documentation). It is on with ``asyncio.run(main(),
debug=True)``, with the environment variable ``PYTHONASYNCIODEBUG=1``, or
in Python's development mode (``python -X dev``). Among other checks, it

- logs a warning (logger ``asyncio``) for every callback or task step
  that holds the event loop longer than ``loop.slow_callback_duration``
  (0.1 s by default): the blocking call that stops every other task;
- adds to the *coroutine ... was never awaited* warning the place where
  the coroutine was created;
- raises ``RuntimeError`` when a thread other than the loop's calls a
  method such as ``loop.call_soon()`` that only the loop's thread may
  call.

Without debug mode the first and third happen silently. The messages go
to standard error by default; this page catches them and prints them
without file paths and timings, which change from run to run.
"""

# %%
# Switching it on
# ---------------
# A child interpreter started with ``PYTHONASYNCIODEBUG=1`` reports that its
# loop is in debug mode.

import asyncio
import logging
import os
import re
import subprocess
import sys
import threading
import time
import warnings

CHECK = "import asyncio\nasync def m(): return asyncio.get_running_loop().get_debug()\n"
for value in ("", "1"):
    env = dict(os.environ, PYTHONASYNCIODEBUG=value)
    child = subprocess.run(
        [sys.executable, "-c", CHECK + "print(asyncio.run(m()))"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    print(f"PYTHONASYNCIODEBUG={value!r}: debug mode {child.stdout.strip()}")

# %%
# A slow step
# -----------
# ``parse`` blocks the loop with ``time.sleep(0.15)``. The handler below
# prints what asyncio logs about it.


class PrintSlowSteps(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith("Executing"):
            handle, seconds = record.args
            name = re.search(r"coro=<(\w+)\(", repr(handle)).group(1)
            if name != "parse":
                return  # other steps slowed by a busy machine: not this page's point
            slow = seconds > 0.1
            print(f"asyncio warned: a step of {name}() took over 0.1 s: {slow}")


logging.getLogger("asyncio").addHandler(PrintSlowSteps())


async def parse() -> None:
    limit = asyncio.get_running_loop().slow_callback_duration
    print(f"  the loop's slow_callback_duration: {limit} s")
    time.sleep(0.15)  # blocks the loop


for debug in (False, True):
    print(f"debug={debug}:")
    asyncio.run(parse(), debug=debug)

# %%
# A coroutine never awaited
# -------------------------
# Calling a coroutine function only creates the coroutine object; without
# ``await`` its body never runs, and when the object is destroyed Python
# warns. In debug mode the warning also says where the coroutine was
# created (this script's file and line; only the function name and line
# are printed here).


async def save() -> None:
    print("saved")  # never printed


async def forgetful() -> None:
    save()  # noqa: RUF006 - the mistake: no await


for debug in (False, True):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        asyncio.run(forgetful(), debug=debug)
    message = str(caught[0].message)
    origin = re.findall(r"line (\d+), in (\w+)", message)
    print(f"debug={debug}: {caught[0].category.__name__}: {message.splitlines()[0]}")
    if origin:
        line, function = origin[-1]
        print(f"    created at line {line}, in {function}()")

# %%
# A call from the wrong thread
# ----------------------------
# A thread calls ``loop.call_soon()`` instead of ``call_soon_threadsafe()``,
# the mistake of
# :ref:`sphx_glr_auto_examples_asyncio_depth_queue_from_thread_broken.py`.
# Without debug mode the call is accepted (and the callback runs whenever
# the loop next wakes up); debug mode refuses it.


def wrong_thread(loop: asyncio.AbstractEventLoop, outcome: list[str]) -> None:
    try:
        loop.call_soon(outcome.append, "the call was accepted, unchecked")
    except RuntimeError as exc:
        outcome.append(f"RuntimeError: {exc}")


async def from_thread() -> list[str]:
    outcome: list[str] = []
    thread = threading.Thread(
        target=wrong_thread, args=(asyncio.get_running_loop(), outcome)
    )
    thread.start()
    await asyncio.to_thread(thread.join)
    return outcome


for debug in (False, True):
    print(f"debug={debug}: {asyncio.run(from_thread(), debug=debug)}")
