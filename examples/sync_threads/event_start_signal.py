"""
Event: a flag that threads can wait for
=======================================

A ``threading.Event`` is a boolean flag with a waiting room. ``wait()``
returns at once when the flag is set and otherwise *blocks* until some
thread calls ``set()``, which wakes every waiter at once. ``clear()`` puts
the flag back to false; ``wait(timeout)`` returns the flag, so ``False``
means the time ran out.

An event suits one-time news that every interested thread should see:
"start now", "configuration loaded", "shut down". For a count of items, use
a queue or a semaphore; for a state that changes back and forth under a
lock, use a condition.
"""

# %%
# A starting gun
# --------------
# Three workers get ready, then wait for the event. Before it is set, all
# three are blocked; one ``set()`` releases them all.

import threading

start = threading.Event()
ready = threading.Barrier(4)  # three workers and the main thread
started: list[str] = []
lock = threading.Lock()


def worker(name: str) -> None:
    ready.wait(10)
    if start.wait(timeout=10):
        with lock:
            started.append(name)


threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(3)]
for t in threads:
    t.start()
ready.wait(10)
for t in threads:
    t.join(timeout=0.1)
print(f"before set(): {sum(t.is_alive() for t in threads)} workers blocked in wait()")
start.set()
for t in threads:
    t.join()
print(f"after set(): started {sorted(started)}")

# %%
# The flag stays set until cleared
# --------------------------------
# A thread that arrives late does not miss the news: ``wait()`` on a set
# event returns ``True`` at once. After ``clear()``, ``wait`` blocks again,
# here until its timeout, and returns ``False``.

print(f"is_set(): {start.is_set()}, late wait() -> {start.wait(timeout=0.2)}")
start.clear()
print(f"after clear(): wait(timeout=0.2) -> {start.wait(timeout=0.2)}")
