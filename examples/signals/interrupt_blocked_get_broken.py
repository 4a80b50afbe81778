"""
Broken: Ctrl-C while a thread is blocked in get()
=================================================

``KeyboardInterrupt`` is raised in the main thread only. A worker thread
blocked in ``queue.get()`` never sees it and keeps waiting for an item.
Because it is not a daemon thread, the interpreter waits for it at exit:
the program, interrupted, does not end. (The main thread itself can be
interrupted in ``get()``: on POSIX a lock wait gives up when a signal
handler raises.)

The fix is to tell the worker in a way it is waiting for: put a sentinel
on its queue, or let it wait in short ``get(timeout=…)`` slices and check
a stop event between them.
"""

# %%
# Broken: the worker never hears of the interrupt
# -----------------------------------------------
# The main thread interrupts itself with ``SIGINT``, as Ctrl-C would. The
# ``KeyboardInterrupt`` arrives in the main thread; the worker is still
# blocked in ``get()`` after ``join(timeout=0.5)``. To end this page, the
# main thread then sends the sentinel it should have sent in the first
# place.

import queue
import signal
import threading

signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal


def consume(q: queue.Queue, done: list) -> None:
    while (item := q.get()) is not None:
        done.append(item)


q: queue.Queue = queue.Queue()
done: list[int] = []
worker = threading.Thread(target=consume, args=(q, done))
worker.start()
q.put(1)
try:
    signal.raise_signal(signal.SIGINT)
except KeyboardInterrupt:
    print(f"KeyboardInterrupt in: {threading.current_thread().name}")
worker.join(timeout=0.5)
print(f"worker still blocked in get() after the interrupt: {worker.is_alive()}")
q.put(None)
worker.join()

# %%
# Fixed: the handler of the interrupt stops the worker
# ----------------------------------------------------
# Here the worker waits in slices of 0.1 s and checks a stop event; the
# main thread sets it when ``KeyboardInterrupt`` arrives (a sentinel
# would do as well, if the worker has nothing queued that must be skipped).
# The worker ends within one slice.

stop = threading.Event()


def consume_until_stopped(q: queue.Queue, done: list) -> None:
    while not stop.is_set():
        try:
            item = q.get(timeout=0.1)
        except queue.Empty:
            continue
        done.append(item)


worker = threading.Thread(target=consume_until_stopped, args=(q, done))
worker.start()
try:
    signal.raise_signal(signal.SIGINT)
except KeyboardInterrupt:
    stop.set()
worker.join(timeout=5)
print(f"worker still running after stop.set(): {worker.is_alive()}")
