"""
Condition: notify() wakes one waiter, notify_all() wakes them all
=================================================================

``notify(n=1)`` wakes at most ``n`` of the threads waiting on a condition;
the others keep waiting. ``notify_all()`` wakes every waiter. Which one to
use depends on the state change: when one new item can serve only one
waiter, ``notify()`` avoids waking threads that would find nothing and go
back to sleep; when the change concerns everyone (shutdown, a new phase),
``notify()`` leaves waiters blocked that should have woken, and
``notify_all()`` is right.
"""

# %%
# Three waiters
# -------------
# Each waiter waits for a ``go`` flag. On arrival it tells the main thread
# through a second condition, ``arrived``, built on the same lock (as
# ``queue.Queue`` does with its ``not_empty`` and ``not_full``): a
# notification on ``arrived`` wakes only the threads waiting on
# ``arrived``, never the waiters on ``cond``. The main thread waits until
# all three are waiting, sets ``go``, and calls the notify method under
# test. It then gives the threads 0.3 s each to finish, counts how many
# did, and finally wakes the rest itself.

import threading

lock = threading.Lock()
cond = threading.Condition(lock)
arrived = threading.Condition(lock)
go = False
waiting: list[str] = []
woken: list[str] = []


def waiter(name: str) -> None:
    with cond:
        waiting.append(name)
        arrived.notify()
        cond.wait_for(lambda: go, timeout=10)
        woken.append(name)


def run(label: str, notify_name: str) -> None:
    global go
    go = False
    waiting.clear()
    woken.clear()
    threads = [threading.Thread(target=waiter, args=(f"w{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    with cond:
        arrived.wait_for(lambda: len(waiting) == 3, timeout=10)
        go = True
        getattr(cond, notify_name)()
    for t in threads:
        t.join(timeout=0.3)
    print(
        f"{label}: {len(woken)} of 3 woken, "
        f"{sum(t.is_alive() for t in threads)} still blocked"
    )
    with cond:
        cond.notify_all()
    for t in threads:
        t.join()


run("notify()    ", "notify")

# %%
# notify_all()
# ------------
# The same three waiters; ``notify_all()`` wakes all of them. They return
# one after another, each as it retakes the lock.

run("notify_all()", "notify_all")
