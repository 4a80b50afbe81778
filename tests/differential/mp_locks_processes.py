"""Processes share a Lock, an RLock, a Semaphore, a Condition, a Barrier and
a Value's lock; in the end one release too many raises, uncaught."""

import multiprocessing


def work(lock, rlock, slots, cond, barrier, total, n):
    barrier.wait()
    with slots, lock:
        with rlock, rlock:
            print(f"worker {n} holds the lock and the recursive lock twice")
    with cond:
        with total.get_lock():
            total.value += n
        cond.notify_all()


if __name__ == "__main__":
    lock, rlock = multiprocessing.Lock(), multiprocessing.RLock()
    slots = multiprocessing.BoundedSemaphore(1)
    cond = multiprocessing.Condition()
    barrier = multiprocessing.Barrier(3)
    total = multiprocessing.Value("i", 0)
    args = (lock, rlock, slots, cond, barrier, total)
    workers = [multiprocessing.Process(target=work, args=(*args, n)) for n in (1, 2, 3)]
    for w in workers:
        w.start()
    with cond:
        print("all added:", cond.wait_for(lambda: total.value == 6, timeout=30))
    for w in workers:
        w.join()
    print("lock taken by nobody:", lock.acquire(timeout=0.01))
    print("a lock held by its owner, again:", lock.acquire(timeout=0.01))
    lock.release()
    try:
        lock.release()
    except ValueError as exc:
        print("released twice:", exc)
    print(repr(slots), type(total.get_lock()).__name__)
    slots.release()
