"""
Lock: one thread at a time, and how to stop waiting
===================================================

A ``threading.Lock`` is either unlocked or locked. ``acquire()`` on an
unlocked lock locks it and returns at once; on a locked lock it *blocks*
until the holder calls ``release()``. The ``with lock:`` statement pairs the
two, so the lock is released even when the body raises.

``acquire()`` takes the same two knobs as a queue's ``get()``: ``blocking``
(default ``True``) and ``timeout`` (default ``-1``, meaning no limit). A
bounded acquire returns ``False`` instead of raising when it gives up, so
the caller must look at the result.
"""

# %%
# A critical section
# ------------------
# Four threads append to a shared list in two steps. The lock keeps each
# pair of entries together: no thread can enter while another is between
# its two steps.

import threading

lock = threading.Lock()
log: list[str] = []


def record(name: str) -> None:
    with lock:
        log.append(f"{name} in")
        log.append(f"{name} out")


threads = [threading.Thread(target=record, args=(f"t{i}",)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
pairs = list(zip(log[::2], log[1::2], strict=True))
print(
    f"{len(pairs)} pairs, each 'in' followed by its own 'out': "
    f"{all(a.split()[0] == b.split()[0] for a, b in pairs)}"
)

# %%
# A held lock makes acquire() wait; a timeout bounds the wait
# -----------------------------------------------------------
# A helper thread takes the lock and keeps it until the main thread sets an
# event. Meanwhile the main thread tries three ways: without blocking,
# with a timeout, and (after the release) with a plain ``acquire()``.

holding = threading.Event()
let_go = threading.Event()


def holder() -> None:
    with lock:
        holding.set()
        let_go.wait(10)


helper = threading.Thread(target=holder)
helper.start()
holding.wait(10)
print(f"locked() while the helper holds it: {lock.locked()}")
print(f"acquire(blocking=False) -> {lock.acquire(blocking=False)}")
print(f"acquire(timeout=0.2)    -> {lock.acquire(timeout=0.2)}")
let_go.set()
helper.join()
print(f"acquire() after the helper released it -> {lock.acquire()}")
lock.release()

# %%
# Releasing an unlocked lock is an error
# --------------------------------------
# ``release()`` on an unlocked lock raises ``RuntimeError``. A plain
# ``Lock`` has no owner, though: any thread may release a lock that another
# thread acquired. That is allowed, and it is how a lock can be misused as a
# signal; an ``Event`` says that intent better.

try:
    lock.release()
except RuntimeError as exc:
    print(f"release() of an unlocked lock raised RuntimeError: {exc}")

lock.acquire()
releaser = threading.Thread(target=lock.release)
releaser.start()
releaser.join()
print(f"released by another thread, locked() now: {lock.locked()}")
