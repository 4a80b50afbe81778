"""
Broken: one release() too many raises the limit
===============================================

A plain ``Semaphore`` does not know its starting value. A ``release()``
without a matching ``acquire()``, for example in an error path that
releases twice, simply adds a unit: the limit of two has silently become
three, and nothing reports it. ``BoundedSemaphore`` remembers its starting
value and raises ``ValueError`` when a release would go above it, so the
bug shows up where it happens.
"""

# %%
# An error path that releases twice
# ---------------------------------
# ``use()`` releases in its ``except`` block and again in ``finally``. After
# one failing call we count how many units can be taken without blocking.

import threading


def use(sem, fail: bool) -> None:
    sem.acquire()
    try:
        if fail:
            raise OSError("connection reset")
    except OSError:
        sem.release()  # the bug: finally releases as well
    finally:
        sem.release()


def free_units(sem) -> int:
    taken = 0
    while sem.acquire(blocking=False):
        taken += 1
    for _ in range(taken):
        sem.release()
    return taken


# %%
# Broken: a plain Semaphore
# -------------------------
# The failing call returns normally, and the semaphore now lets three
# holders in.

sem = threading.Semaphore(2)
use(sem, fail=False)
print(f"Semaphore(2) after a good call: {free_units(sem)} units free")
use(sem, fail=True)
print(f"Semaphore(2) after a failing call: {free_units(sem)} units free")

# %%
# Fixed: a BoundedSemaphore
# -------------------------
# The second ``release()`` raises ``ValueError`` inside the failing call, so
# the double release is found at once, and the limit stays two.

sem = threading.BoundedSemaphore(2)
try:
    use(sem, fail=True)
except ValueError as exc:
    print(f"BoundedSemaphore raised ValueError: {exc}")
print(f"BoundedSemaphore(2) after the failing call: {free_units(sem)} units free")
