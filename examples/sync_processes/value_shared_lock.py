"""
The lock inside Value, and one lock for two values
==================================================

``multiprocessing.Value`` and ``Array`` come wrapped with a lock by
default: ``get_lock()`` returns it (a recursive ``RLock`` unless you pass
your own), and each single read or write of ``.value`` takes it. A lock per
value protects that value only. When two values must change together,
such as the two balances of a transfer, a reader can still see one changed
and the other not. Passing the same lock to both (``lock=``) and holding
it around the pair makes the change whole.

That shared lock must be an ``RLock``: inside ``with a.get_lock():`` every
``a.value`` read or write takes the same lock again, and a plain ``Lock``
taken twice by one process blocks it for ever.

(Why ``+= 1`` on one ``Value`` loses updates is on
:ref:`its own page <sphx_glr_auto_examples_shared_state_value_lost_update.py>`.)
"""

# %%
# What get_lock() returns
# -----------------------

import multiprocessing

if __name__ == "__main__":
    v = multiprocessing.Value("i", 0)
    print(f"default lock: {type(v.get_lock()).__name__}")
    shared = multiprocessing.RLock()
    a = multiprocessing.Value("i", 100, lock=shared)
    b = multiprocessing.Value("i", 0, lock=shared)
    print(f"a and b share one lock: {a.get_lock() is b.get_lock() is shared}")
    bare = multiprocessing.Value("i", 0, lock=False)
    print(f"lock=False has get_lock(): {hasattr(bare, 'get_lock')}")
    plain = multiprocessing.Lock()
    plain.acquire()
    print(
        f"a plain Lock taken again by its holder: "
        f"acquire(timeout=0.2) -> {plain.acquire(timeout=0.2)}"
    )
    plain.release()

# %%
# Transfers and an auditor
# ------------------------
# One process moves money from ``a`` to ``b`` one unit at a time; another
# audits, checking that ``a + b`` is always 100. Both hold the shared lock
# around their pair of operations, so the auditor never sees a unit in
# flight.


def transfer(a, b, n: int) -> None:
    for _ in range(n):
        with a.get_lock():  # the same lock as b's
            a.value -= 1
            b.value += 1


def audit(a, b, rounds: int, bad) -> None:
    for _ in range(rounds):
        with a.get_lock():
            if a.value + b.value != 100:
                bad.value += 1


if __name__ == "__main__":
    bad = multiprocessing.Value("i", 0)
    procs = [
        multiprocessing.Process(target=transfer, args=(a, b, 100)),
        multiprocessing.Process(target=audit, args=(a, b, 2000, bad)),
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print(f"a={a.value}, b={b.value}, audits that saw a != 100 - b: {bad.value}")
