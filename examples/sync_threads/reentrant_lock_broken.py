"""
Broken: taking a Lock twice in the same thread
==============================================

A plain ``Lock`` does not remember who holds it. When the thread that holds
it calls ``acquire()`` again, for example because one locked method calls
another locked method, the second ``acquire()`` waits for a release that
only this same thread could do. The thread blocks for ever: a deadlock with
a single thread.

``threading.RLock`` (a reentrant lock) remembers its owner and a count:
the owner may acquire it again, and it becomes free when the owner has
released it as many times as it acquired it.
"""

# %%
# An account whose methods lock
# -----------------------------
# ``transfer_in()`` takes the lock and calls ``deposit()``, which takes it
# again. The class takes the kind of lock as a parameter. To keep the
# broken form bounded, the inner acquire uses a timeout and reports what
# happened instead of waiting for ever.

import threading


class Account:
    def __init__(self, lock) -> None:
        self.lock = lock
        self.balance = 0

    def deposit(self, amount: int) -> bool:
        if not self.lock.acquire(timeout=0.5):  # a plain `with self.lock:` hangs
            return False
        try:
            self.balance += amount
            return True
        finally:
            self.lock.release()

    def transfer_in(self, amounts: list[int]) -> list[bool]:
        with self.lock:
            return [self.deposit(a) for a in amounts]


# %%
# Broken: a plain Lock
# --------------------
# Each inner ``acquire()`` gives up after its 0.5 s and fails: the lock is held
# by the very thread that is waiting for it. Without the timeout the thread
# would never return.

account = Account(threading.Lock())
print(
    f"Lock:  deposits done {account.transfer_in([10, 20])}, balance {account.balance}"
)

# %%
# Fixed: an RLock
# ---------------
# The owner re-enters at once. Other threads still wait until the outermost
# ``with`` has released it.

account = Account(threading.RLock())
print(
    f"RLock: deposits done {account.transfer_in([10, 20])}, balance {account.balance}"
)

# %%
# An RLock belongs to one thread
# ------------------------------
# Unlike a ``Lock``, an ``RLock`` can only be released by its owner: another
# thread's ``release()`` raises ``RuntimeError``. The owner must release it
# as many times as it acquired it before others can have it.

rlock = threading.RLock()
rlock.acquire()
rlock.acquire()
errors: list[str] = []


def foreign_release() -> None:
    try:
        rlock.release()
    except RuntimeError as exc:
        errors.append(str(exc))


other = threading.Thread(target=foreign_release)
other.start()
other.join()
print(f"release() from another thread raised RuntimeError: {errors}")

free_after: list[bool] = []


def probe() -> None:
    got = rlock.acquire(blocking=False)
    free_after.append(got)
    if got:
        rlock.release()


for _ in range(2):
    rlock.release()
    prober = threading.Thread(target=probe)
    prober.start()
    prober.join()
print(f"another thread could take it after 1 and 2 releases: {free_after}")
