"""
Futures: exceptions and cancellation
====================================

An exception raised by a submitted call does not disappear and does not
stop the executor: the future keeps it. ``future.result()`` raises it again
in the caller; ``future.exception()`` returns it (or ``None``) without
raising. A future nobody asks is a failure nobody sees, so always collect
results.

``future.cancel()`` only works while the call is still pending, waiting for
a worker. Once a worker has started it, ``cancel()`` returns ``False`` and
the call runs to the end: an executor never interrupts running code.
``shutdown(cancel_futures=True)`` (Python 3.9+) cancels every pending call
at once.
"""

# %%
# Exceptions travel through the future
# ------------------------------------
# ``parse("x")`` raises. The other calls are unaffected. (This page has no
# timeline: its story is in the states of the futures, printed below.)

# concdoc: timeline = off

import concurrent.futures
import threading


def parse(text: str) -> int:
    return int(text)


with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
    good = pool.submit(parse, "42")
    bad = pool.submit(parse, "x")
    print(f"good.result(): {good.result()}")
    print(f"good.exception(): {good.exception()}")
    print(f"bad.exception(): {bad.exception()!r}")
    try:
        bad.result()
    except ValueError as exc:
        print(f"bad.result() raised ValueError: {exc}")

# %%
# ``map()`` raises when it reaches the failed item
# ------------------------------------------------
# The results before the failure are delivered; iterating further raises
# the item's exception, and the results after it are lost to this loop.

with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
    try:
        for value in pool.map(parse, ["1", "2", "x", "4"]):
            print(f"map gave {value}")
    except ValueError as exc:
        print(f"map raised ValueError: {exc}")

# %%
# ``cancel()``: running versus pending
# ------------------------------------
# One worker and three calls: the first one runs (it holds the worker until
# ``release`` is set), the other two wait their turn. The events make the
# states certain rather than a matter of timing: ``started`` is set once the
# first call is running.

started = threading.Event()
release = threading.Event()


def hold(name: str) -> str:
    started.set()
    release.wait(timeout=5)  # bounded: the example cannot hang
    return name


with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
    running = pool.submit(hold, "first")
    pending = pool.submit(hold, "second")
    later = pool.submit(hold, "third")
    started.wait(timeout=5)
    print(f"cancel() a running call: {running.cancel()}")
    print(f"cancel() a pending call: {pending.cancel()}")
    release.set()
print(f"running finished anyway: {running.result()}")
print(f"pending cancelled: {pending.cancelled()}, third ran: {later.result()}")

# %%
# ``shutdown(cancel_futures=True)``
# ---------------------------------
# Leaving a ``with`` block waits for every pending call. To give up on the
# queued work instead, call ``shutdown(cancel_futures=True)``: the running
# call still finishes, the pending ones are cancelled, and ``result()`` on
# them raises ``CancelledError``. The cancelling is done while the first
# call is held, so which calls were pending is certain; the second
# ``shutdown()`` then waits for the worker thread to exit.

started.clear()
release.clear()
pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
futures = [pool.submit(hold, f"call {n}") for n in range(4)]
started.wait(timeout=5)
pool.shutdown(wait=False, cancel_futures=True)
release.set()
pool.shutdown(wait=True)
print(f"cancelled: {[f.cancelled() for f in futures]}")
try:
    futures[-1].result()
except concurrent.futures.CancelledError:
    print("result() of a cancelled future raised CancelledError")
