"""
Condition: wait until a predicate holds
=======================================

A ``threading.Condition`` pairs a lock with a waiting room. A thread that
needs some state to change takes the lock, checks the state, and if it is
not ready calls ``wait()``: that releases the lock and *blocks* until
another thread calls ``notify()`` or ``notify_all()``, then takes the lock
again before returning. The thread that changes the state does so while
holding the lock, then notifies.

A wake-up is only a hint that the state *may* have changed, so the check
must run again after every wake-up. ``wait_for(predicate, timeout)`` is
that loop, written once: it returns the predicate's last value, which is
false when the timeout ran out.
"""

# %%
# Waiting for enough items
# ------------------------
# The consumer needs three items before it goes on. The main thread adds
# them one at a time, notifying after each. After the first two the
# consumer is still waiting (its predicate is false, so ``wait_for`` goes
# back to ``wait()``); after the third it returns.

import threading

cond = threading.Condition()
items: list[int] = []
seen: list = []


def consumer() -> None:
    with cond:
        ready = cond.wait_for(lambda: len(items) >= 3, timeout=10)
        seen.append((ready, list(items)))


c = threading.Thread(target=consumer)
c.start()
for i in range(3):
    with cond:
        items.append(i)
        cond.notify()
    c.join(timeout=0.2 if i < 2 else None)
    print(f"after {i + 1} item(s), consumer still waiting: {c.is_alive()}")
print(f"wait_for returned {seen[0][0]}, the consumer saw {seen[0][1]}")

# %%
# The timeout: wait_for returns False
# -----------------------------------
# When nobody makes the predicate true, ``wait_for`` returns ``False`` after
# the timeout, with the lock held again. The caller decides what to do;
# nothing is raised.

with cond:
    ready = cond.wait_for(lambda: len(items) >= 10, timeout=0.2)
print(f"wait_for(10 items, timeout=0.2) returned {ready}")

# %%
# wait() and notify() need the lock
# ---------------------------------
# Calling them without holding the condition's lock is an error: the state
# they are about would be unprotected.

for name, call in [("wait", lambda: cond.wait(0.1)), ("notify", cond.notify)]:
    try:
        call()
    except RuntimeError as exc:
        print(f"{name}() without the lock raised RuntimeError: {exc}")
