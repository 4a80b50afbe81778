"""
``Value``: why ``+= 1`` loses updates, and the lock that fixes it
=================================================================

``multiprocessing.Value("i", 0)`` puts one C ``int`` in shared memory, so
every process that receives it reads and writes the same number. By default
it also carries a lock, and each single read of ``.value`` and each single
write takes that lock. That does not make ``counter.value += 1`` safe: it
is a read, an addition in the process's own memory, and a write, and
another process can change the value between the read and the write. The
write then puts back a number computed from a stale read, and the other
process's updates are lost: a race condition.

When two processes really increment at the same time, how many updates
are lost depends on the scheduler, and may be none on a given run. So this
page does not print a racy total. It first forces the bad interleaving on
purpose, to show the mechanism with a result that is the same on every
run, then runs real concurrent increments under ``get_lock()``, which always
give the exact total.
"""

# %%
# The lost update, step by step
# -----------------------------
# ``slow`` reads the counter, then waits; meanwhile ``fast`` adds 1000 to it;
# then ``slow`` writes back what it read plus one. Two events fix the order
# of these steps, so the result does not depend on timing.

import multiprocessing

FAST_STEPS = 1000


def slow(counter, have_read, may_write) -> None:
    seen = counter.value  # read (locked, but only for the read)
    have_read.set()
    may_write.wait(10)
    counter.value = seen + 1  # write, computed from a stale read


def fast(counter, have_read, may_write) -> None:
    have_read.wait(10)
    for _ in range(FAST_STEPS):
        counter.value += 1
    may_write.set()


if __name__ == "__main__":
    counter = multiprocessing.Value("i", 0)
    have_read, may_write = multiprocessing.Event(), multiprocessing.Event()
    workers = [
        multiprocessing.Process(target=f, args=(counter, have_read, may_write))
        for f in (slow, fast)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print(f"increments done: {FAST_STEPS + 1}, counter: {counter.value}")

# %%
# Fixed: hold the lock for the whole read-modify-write
# ----------------------------------------------------
# ``get_lock()`` returns the lock that guards the value (a recursive lock,
# so the read and the write inside may take it again). Holding it across
# the ``+=`` makes the three steps one: two processes incrementing at the
# same time never lose an update.
#
# ``Value("i", 0, lock=False)`` returns the bare shared number without any
# lock. That is enough when only one process writes, or when the program
# already protects it with a lock of its own.

INCREMENTS = 5000


def add_locked(counter, n: int) -> None:
    for _ in range(n):
        with counter.get_lock():
            counter.value += 1


if __name__ == "__main__":
    counter = multiprocessing.Value("i", 0)
    workers = [
        multiprocessing.Process(target=add_locked, args=(counter, INCREMENTS))
        for _ in range(2)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print(f"expected {2 * INCREMENTS}, counter: {counter.value}")
