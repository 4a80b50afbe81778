"""
multiprocessing.Barrier: processes start a phase together
=========================================================

``multiprocessing.Barrier(parties)`` makes ``parties`` processes meet:
``wait()`` *blocks* until all of them have called it, then releases them
all. Starting work together is useful when measuring, or when every
process must have finished setting up (loading data, opening a
connection) before any begins. As with threads, a ``wait(timeout)`` that
runs out breaks the barrier for every party.
"""

# %%
# Set up, meet, then work
# -----------------------
# Three processes set up, then meet. Each records the time it finished
# setting up and the time it passed the barrier, in shared arrays. No
# process passed the barrier before the last one had finished its set-up.

import multiprocessing
import threading  # BrokenBarrierError lives in threading
import time


def worker(barrier, set_up, passed, i: int) -> None:
    time.sleep(0.05 * i)  # set-ups of different lengths
    set_up[i] = time.monotonic()
    barrier.wait(timeout=10)
    passed[i] = time.monotonic()


if __name__ == "__main__":
    n = 3
    barrier = multiprocessing.Barrier(n)
    set_up = multiprocessing.Array("d", n)
    passed = multiprocessing.Array("d", n)
    workers = [
        multiprocessing.Process(target=worker, args=(barrier, set_up, passed, i))
        for i in range(n)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print(f"every process passed after the last set-up: {min(passed) >= max(set_up)}")
    print(f"exit codes: {[w.exitcode for w in workers]}")

# %%
# A party that never comes
# ------------------------
# With three parties and only two processes, the waits time out: the first
# to time out breaks the barrier, and both get ``BrokenBarrierError``
# (the child reports it through its exit code).


def waits_alone(barrier) -> None:
    try:
        barrier.wait(timeout=0.3)
    except threading.BrokenBarrierError:
        raise SystemExit(3) from None


if __name__ == "__main__":
    barrier = multiprocessing.Barrier(3)
    child = multiprocessing.Process(target=waits_alone, args=(barrier,))
    child.start()
    try:
        barrier.wait(timeout=0.3)
    except threading.BrokenBarrierError:
        print("parent: BrokenBarrierError")
    child.join()
    print(
        f"child exit code: {child.exitcode} (3 = BrokenBarrierError), "
        f"broken: {barrier.broken}"
    )
