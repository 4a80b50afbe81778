"""
Broken: two locks taken in opposite orders
==========================================

Thread A takes lock 1 and then wants lock 2; thread B takes lock 2 and then
wants lock 1. If each gets its first lock before the other asks for its
second, each waits for a lock the other holds, and neither can ever
release: a deadlock. Nothing is wrong with either thread on its own; the
bug is in the combination, which is why it can pass tests for months and
hang on a busy day.

The cure is one global order: every thread that needs several locks takes
them in the same order, so a cycle of waits cannot form.
"""

# %%
# Broken: opposite orders
# -----------------------
# A barrier makes the unlucky interleaving certain: both threads hold their
# first lock before either asks for the second. A plain ``acquire()`` would
# then block both threads for ever; here the second acquire has a timeout,
# so each thread reports that it gave up. Each keeps its first lock until
# both have given up (the barrier again), as two deadlocked threads would.

import threading

TIMEOUT = 0.5
lock_1 = threading.Lock()
lock_2 = threading.Lock()
results: dict[str, str] = {}


def worker(name: str, first, second, both_hold_one: threading.Barrier) -> None:
    with first:
        both_hold_one.wait(10)
        if second.acquire(timeout=TIMEOUT):
            second.release()
            results[name] = "got both locks"
        else:
            results[name] = f"gave up after {TIMEOUT} s waiting for its second lock"
        both_hold_one.wait(10)


def run(orders: dict[str, tuple]) -> None:
    results.clear()
    barrier = threading.Barrier(len(orders))
    threads = [
        threading.Thread(target=worker, args=(name, *locks, barrier))
        for name, locks in orders.items()
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for name in sorted(results):
        print(f"{name}: {results[name]}")


run({"A": (lock_1, lock_2), "B": (lock_2, lock_1)})

# %%
# Fixed: one order for everyone
# -----------------------------
# Both threads now take ``lock_1`` first. Whoever gets it first also gets
# ``lock_2``; the other waits at ``lock_1`` holding nothing, so there is no
# cycle. The barrier is gone: it existed only to force the bad interleaving,
# and with one order that interleaving cannot happen (the barrier would
# itself deadlock, one thread waiting at it while holding ``lock_1``).
#
# A helper that sorts the locks by a fixed key before taking them makes the
# order a property of the code rather than of each caller's memory.

ORDER = {id(lock_1): 1, id(lock_2): 2}


def worker_ordered(name: str, *locks) -> None:
    ordered = sorted(locks, key=lambda lock: ORDER[id(lock)])
    with ordered[0], ordered[1]:
        results[name] = "got both locks"


results.clear()
threads = [
    threading.Thread(target=worker_ordered, args=("A", lock_1, lock_2)),
    threading.Thread(target=worker_ordered, args=("B", lock_2, lock_1)),
]
for t in threads:
    t.start()
for t in threads:
    t.join()
for name in sorted(results):
    print(f"{name}: {results[name]}")
