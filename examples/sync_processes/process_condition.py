"""
multiprocessing.Condition: wait for shared state
================================================

A ``multiprocessing.Condition`` works as ``threading.Condition`` does:
``wait_for(predicate, timeout)`` releases the condition's lock, *blocks*
until notified, retakes the lock and checks again. The state it guards
must itself be shared between the processes, here a ``Value`` created
with ``lock=False``, because the condition's own lock protects it.
"""

# %%
# Waiting for a shared counter
# ----------------------------
# Three workers each add their part to a shared total and notify. The
# parent waits, under the condition, until all three parts are in.

import multiprocessing
import time


def add_part(cond, total, part: int) -> None:
    with cond:
        total.value += part
        cond.notify_all()


if __name__ == "__main__":
    cond = multiprocessing.Condition()
    total = multiprocessing.Value("i", 0, lock=False)
    parts = [10, 20, 30]
    workers = [
        multiprocessing.Process(target=add_part, args=(cond, total, p)) for p in parts
    ]
    with cond:
        for w in workers:
            w.start()
        ready = cond.wait_for(lambda: total.value == sum(parts), timeout=10)
        print(f"wait_for returned {ready}, total {total.value}")
    for w in workers:
        w.join()

# %%
# wait() waits for a notification, not for the state
# --------------------------------------------------
# A worker changes the total without notifying, and has finished before
# the parent starts waiting. A bare ``wait()`` does not look at the state:
# it blocks until its timeout and returns ``False``. ``wait_for`` checks
# its predicate first and returns ``True`` at once. Always wait for a
# predicate, never for "a notification": a notification sent before the
# wait began is not stored anywhere.


def add_silently(cond, total, part: int) -> None:
    with cond:
        total.value += part


if __name__ == "__main__":
    total.value = 0
    late = multiprocessing.Process(target=add_silently, args=(cond, total, 5))
    late.start()
    late.join()
    with cond:
        start = time.monotonic()
        notified = cond.wait(timeout=0.3)
        waited = time.monotonic() - start
        print(
            f"wait(timeout=0.3) -> {notified}, after the whole timeout: "
            f"{waited >= 0.3}, total {total.value}"
        )
        start = time.monotonic()
        ready = cond.wait_for(lambda: total.value == 5, timeout=0.3)
        print(
            f"wait_for(total == 5, timeout=0.3) -> {ready}, at once: "
            f"{time.monotonic() - start < 0.3}"
        )
