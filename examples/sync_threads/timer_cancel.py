"""
Timer: run a call later, unless cancelled
=========================================

``threading.Timer(interval, function, args)`` is a thread that waits
``interval`` seconds and then calls ``function``. ``cancel()`` before the
interval has passed stops it, and the function is never called; after the
call has started, ``cancel()`` has no effect. A timer is a thread: start it
with ``start()``, and join it (or cancel and join it) before the program
ends. The wait is an ``Event.wait(interval)``, which ``cancel()`` ends
early by setting the event.
"""

# %%
# A timer that fires
# ------------------

import threading
import time

calls: list[str] = []

start = time.monotonic()
timer = threading.Timer(0.2, calls.append, args=("fired",))
timer.start()
timer.join()
print(f"calls: {calls}, after at least 0.2 s: {time.monotonic() - start >= 0.2}")

# %%
# A timer cancelled in time
# -------------------------
# A reminder is due in 5 s, but the work it guards finishes first, so it is
# cancelled. The timer thread ends at once instead of after 5 s, and the
# reminder is never sent.

calls.clear()
start = time.monotonic()
reminder = threading.Timer(5, calls.append, args=("reminder",))
reminder.start()
reminder.cancel()
reminder.join()
print(
    f"calls: {calls}, timer thread ended well before 5 s: "
    f"{time.monotonic() - start < 5}"
)

# %%
# cancel() after the call has started does nothing
# -------------------------------------------------
# The function is already running when ``cancel()`` is called, and runs to
# the end.

in_call = threading.Event()
may_finish = threading.Event()


def slow_call() -> None:
    in_call.set()
    may_finish.wait(10)
    calls.append("slow call finished")


late = threading.Timer(0.05, slow_call)
late.start()
in_call.wait(10)
late.cancel()
may_finish.set()
late.join()
print(f"calls: {calls}")
