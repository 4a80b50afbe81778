"""Consumers wait on a Condition; the producer thread is never joined."""

import threading

cond = threading.Condition()
items = []


def consumer(n):
    with cond:
        cond.wait_for(lambda: items)
        print(f"consumer {n} saw {items[0]}")


def producer():
    with cond:
        items.append("data")
        cond.notify_all()


consumers = [threading.Thread(target=consumer, args=(n,)) for n in range(3)]
for c in consumers:
    c.start()
threading.Thread(target=producer).start()
