"""
Manager proxies against shared memory: counting the round trips
===============================================================

A ``Manager`` keeps the real object (a value, a list, a dict) in its own
server process and gives out proxies. Every operation on a proxy is a
*round trip*: the request is pickled and sent to the server over a
connection, the server runs it, and the answer comes back the same way.
``Value`` and ``Array`` from ``multiprocessing`` instead live in memory
that both processes map, so reading or writing them sends no message at
all.

Timing the difference depends on the machine and how busy it is, so this
page does not: ``benchmarks/shared_state_cost.py`` measures it, with
repeats, median and spread. What does not depend on the machine is the
number of round trips each operation costs, and that is what this page
counts.
"""

# %%
# Counting round trips
# --------------------
# Every proxy sends its requests through its ``_callmethod()`` method, a
# documented part of the proxy interface. ``count_round_trips`` wraps it on
# one proxy object, in this process, and counts the calls.

import multiprocessing


def count_round_trips(proxy) -> list[int]:
    calls = [0]
    send = proxy._callmethod

    def counting(*args, **kwargs):
        calls[0] += 1
        return send(*args, **kwargs)

    proxy._callmethod = counting
    return calls


ROUNDS = 100

# %%
# ``+=`` on a manager value and on a list item
# --------------------------------------------
# ``value.value += 1`` is two round trips: a ``get`` and a ``set``. Between
# them, another process's update can slip in, exactly as with a shared
# ``Value`` (so a manager value needs a lock too). ``items[0] += 1`` is also
# two (``__getitem__``, ``__setitem__``); ``append`` is one.

if __name__ == "__main__":
    with multiprocessing.Manager() as manager:
        value = manager.Value("i", 0)
        items = manager.list([0])
        on_value, on_items = count_round_trips(value), count_round_trips(items)
        for _ in range(ROUNDS):
            value.value += 1
        print(f"{ROUNDS} x value.value += 1: {on_value[0]} round trips")
        on_items[0] = 0
        for _ in range(ROUNDS):
            items[0] += 1
        print(f"{ROUNDS} x items[0] += 1:    {on_items[0]} round trips")
        on_items[0] = 0
        for n in range(ROUNDS):
            items.append(n)
        print(f"{ROUNDS} x items.append(n):  {on_items[0]} round trips")
        print(f"final: value {value.value}, items[0] {items[0]}, len {len(items)}")

# %%
# The same on a shared ``Value``
# ------------------------------
# A shared ``Value`` has no proxy and no server: ``.value`` is a read or a
# write of memory, with a lock taken around each one. There is nothing to
# count, and the child's update is visible to the parent as soon as the
# child has made it.


def add(counter, n: int) -> None:
    for _ in range(n):
        with counter.get_lock():
            counter.value += 1


if __name__ == "__main__":
    counter = multiprocessing.Value("i", 0)
    worker = multiprocessing.Process(target=add, args=(counter, ROUNDS))
    worker.start()
    worker.join()
    print(f"shared Value after {ROUNDS} increments in a child: {counter.value}")

# %%
# Which to choose
# ---------------
# A manager can hold any picklable Python object, including lists and
# dicts that grow, and its proxies can even be used from another machine.
# It pays for that with one message per operation, so it suits state that
# is touched now and then. ``Value``, ``Array`` and ``shared_memory`` hold
# only fixed-size C data, but access costs no message; they suit numbers
# and buffers that are updated often.
