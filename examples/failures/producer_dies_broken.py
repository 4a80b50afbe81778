"""
Broken: a producer that dies before its sentinel
================================================

A consumer that reads until a sentinel value (here ``None``) relies on the
producer to send it. When the producer process dies first, from an
exception or killed from outside, no sentinel and no end-of-file arrive:
the queue's pipe stays open, because other processes (the parent
included) still hold its writing end. A consumer blocked in ``get()``
without a timeout then waits for ever.

The producer below dies of an exception on purpose. The site's strict build
(see *How the examples are run*) would count that as a broken house rule; the
line ``# concdoc: allow = process-exception`` says it is deliberate.
"""

# concdoc: allow = process-exception

# %%
# A producer that fails after three items
# ---------------------------------------

import multiprocessing
import queue


def produce(q) -> None:
    for i in range(3):
        q.put(i)
    raise ValueError("bad record 3")  # the sentinel below is never sent
    q.put(None)


# %%
# Broken: wait for the sentinel
# -----------------------------
# A plain ``get()`` would block for ever after the third item. To keep the
# page bounded it waits at most 3 s, and the ``Empty`` it then raises is
# the only sign that something went wrong. The traceback is printed by the
# dying producer.

if __name__ == "__main__":
    q = multiprocessing.Queue()
    producer = multiprocessing.Process(target=produce, args=(q,))
    producer.start()
    received = []
    try:
        while (item := q.get(timeout=3)) is not None:
            received.append(item)
    except queue.Empty:
        print(f"received {received}, then Empty after 3 s: no sentinel came")
    producer.join()

# %%
# Fixed: watch the producer while waiting
# ---------------------------------------
# The consumer waits in short slices and, after each empty slice, asks
# whether the producer is still alive. The check is made *before* the
# ``get()``: a producer found dead before a ``get()`` that then comes back
# empty had flushed everything it sent (a process joins its queue's feeder
# thread before it exits), so nothing is lost. The exit code says how it
# ended.

if __name__ == "__main__":
    q = multiprocessing.Queue()
    producer = multiprocessing.Process(target=produce, args=(q,))
    producer.start()
    received = []
    while True:
        gone = not producer.is_alive()
        try:
            item = q.get(timeout=0.1)
        except queue.Empty:
            if gone:
                print(
                    f"received {received}; the producer ended with exit code "
                    f"{producer.exitcode} and no sentinel"
                )
                break
            continue
        if item is None:
            break
        received.append(item)
    producer.join()
