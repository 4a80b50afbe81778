"""
Semaphore: at most N threads at once
====================================

A ``threading.Semaphore(n)`` holds a counter that starts at ``n``.
``acquire()`` takes one unit, or *blocks* while the counter is zero;
``release()`` gives one back and wakes one waiter. Used as ``with sem:``
around a piece of work, it lets at most ``n`` threads do that work at the
same time, for example to limit connections to a server or files open at
once, while more threads are free to wait their turn.
"""

# %%
# Six downloads, two connections
# ------------------------------
# Six threads start at once, but only two may "download" at a time. Each
# records how many downloads were running when it entered. A barrier for
# two inside the semaphore makes each pair meet, which proves that two
# really run together; the count shows that a third never joins them.

import threading

LIMIT = 2
connections = threading.Semaphore(LIMIT)
count_lock = threading.Lock()
running = 0
seen: list[int] = []
pair = threading.Barrier(LIMIT)


def download(i: int) -> None:
    global running
    with connections:
        with count_lock:
            running += 1
            seen.append(running)
        pair.wait(10)  # both holders of the semaphore are inside now
        with count_lock:
            running -= 1


threads = [threading.Thread(target=download, args=(i,)) for i in range(6)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"downloads: {len(seen)}, most running at once: {max(seen)} (limit {LIMIT})")

# %%
# acquire() with a timeout
# ------------------------
# While both units are taken, a bounded ``acquire()`` returns ``False``
# after its timeout, exactly like a lock's.

connections.acquire()
connections.acquire()
print(f"third acquire(timeout=0.2) -> {connections.acquire(timeout=0.2)}")
connections.release()
connections.release()
print(
    f"after two releases, acquire(blocking=False) -> "
    f"{connections.acquire(blocking=False)}"
)
connections.release()
