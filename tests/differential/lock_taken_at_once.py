"""Locks and semaphores taken at once, re-entered, refused and timed out, in
a loop long enough to pass the tracer's per-object event limit; what each
call returns is printed."""

import threading

lock, rlock = threading.Lock(), threading.RLock()
slots = threading.BoundedSemaphore(2)
cond = threading.Condition(threading.Lock())
taken = 0
for _ in range(500):
    with lock, rlock, rlock, slots, cond:
        taken += 1
print("taken", taken, "locked after", lock.locked())
print("rlock re-entered", rlock.acquire(), rlock.acquire(False), rlock.acquire(True, 0))
for _ in range(3):
    rlock.release()
print("semaphore", slots.acquire(), slots.acquire(False), slots.acquire(timeout=0.01))
slots.release()
slots.release()
try:
    slots.release()
except ValueError as exc:
    print("over-released:", exc)
lock.acquire()
print("held lock", lock.acquire(False), lock.acquire(timeout=0.01))
holder_done = threading.Event()


def holder() -> None:
    print("other thread gets it", lock.acquire(timeout=5))
    lock.release()
    holder_done.set()


worker = threading.Thread(target=holder)
worker.start()
lock.release()
holder_done.wait(5)
worker.join()
with cond:
    print("condition wait", cond.wait(timeout=0.01), "owned", cond._is_owned())
