"""
Producer and consumer on a dask cluster
=======================================

The queues of the earlier chapters connect threads or processes of one
program on one machine. `dask.distributed <https://distributed.dask.org>`_
runs tasks on *workers*, separate processes that may sit on other
machines, coordinated by a *scheduler*. It offers the same two tools: a
``Queue`` that tasks can share, and futures for the results of submitted
tasks.

This page starts a small cluster on the machine that builds the site: a
scheduler inside this script and two worker processes with one thread each,
talking over TCP on the loopback interface. The programs are the ones of
the first chapters; what changes is where the queue lives, what may be put
in it, and how things fail.
"""

# %%
# A cluster on this machine
# -------------------------
# ``LocalCluster`` starts the scheduler in this process and the workers as
# child processes; ``Client`` connects to it, and the tasks submitted
# through the client run on the workers. The scheduler always opens a small
# web server (the dashboard, when bokeh is installed); by default on one
# fixed port, so a second cluster on the same machine gets a warning.
# ``dashboard_address="127.0.0.1:0"`` lets the system pick a free port on
# the loopback interface instead. Dask logs a failed task at the ERROR level, with its
# traceback; ``silence_logs`` hides these records, so that the page shows
# only what the program prints, errors included.
#
# In a script, ``with LocalCluster(...) as cluster, Client(cluster) as
# client:`` is the usual form. This page spreads the program over several
# blocks, so an ``ExitStack`` holds both, and the last block closes them.
#
# Starting the cluster takes a few seconds: each worker is a new Python
# interpreter that imports dask. That is the first difference from a thread
# or a ``multiprocessing.Process``.
#
# This page has no timeline. The timelines of the other pages record the
# standard library's queues, threads and processes; dask's queue and
# futures are messages on its own event loop, so such a chart would show
# dask's internal threads rather than the producer and the consumer.

# concdoc: timeout = 120
# concdoc: timeline = off

import asyncio
import contextlib
import logging

from dask.distributed import Client, LocalCluster, Queue, get_worker

if __name__ == "__main__":
    stack = contextlib.ExitStack()
    cluster = stack.enter_context(
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.CRITICAL,
        )
    )
    client = stack.enter_context(Client(cluster))
    info = client.scheduler_info()["workers"]
    workers = {w["name"]: address for address, w in info.items()}
    print(f"workers: {sorted(workers)}")

# %%
# A queue between two tasks
# -------------------------
# ``Queue("items")`` names a queue that lives on the scheduler. Any task or
# client that creates a ``Queue`` with the same name talks to the same
# queue: every ``put()`` and ``get()`` is a message to the scheduler and
# back. The producer puts ten numbers and a sentinel, the consumer sums
# them until it sees the sentinel, as in the thread version.
#
# The two tasks are pinned to different workers with ``workers=``. Each
# worker has one thread, and a consumer blocked in ``get()`` holds that
# thread. If the scheduler put both tasks on the same worker, the producer
# would wait for a thread that the consumer never gives back, and the
# consumer would wait for items that never come: a deadlock, which the
# ``timeout`` of its ``get()`` turns into an error.


def produce(name: str, n: int) -> str:
    q = Queue(name)
    for i in range(n):
        q.put(i)
    q.put(None)
    return f"produced {n} items on worker {get_worker().name}"


def consume(name: str) -> str:
    q = Queue(name)
    total = 0
    while (item := q.get(timeout=10)) is not None:
        total += item
    return f"consumed a total of {total} on worker {get_worker().name}"


if __name__ == "__main__":
    producer = client.submit(produce, "items", 10, workers=workers[0])
    consumer = client.submit(consume, "items", workers=workers[1])
    for line in client.gather([producer, consumer]):
        print(line)

# %%
# What goes through the queue
# ---------------------------
# Every item travels from the caller to the scheduler and on to whoever
# gets it, so it is serialised on the way and what comes out is a copy.
# Dask's documentation asks for small data that msgpack can encode
# (numbers, strings, lists, dicts), and msgpack has only one kind of
# sequence: a list comes back as a tuple, even inside a dict. Other objects
# are pickled by the version that built this page, as the ``Point`` shows;
# one that cannot be pickled, such as a lock or an open file, is refused at
# ``put()`` with a ``TypeError``. Large data should not go through the
# scheduler at all: place it on a worker with ``client.scatter()`` and put
# the returned future in the queue.


class Point:
    def __init__(self, x: int, y: int) -> None:
        self.x, self.y = x, y

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)


if __name__ == "__main__":
    q = Queue("kinds")
    for item in [[1, 2], {"a": [1, 2]}]:
        q.put(item)
        print(f"put {item!r}, got {q.get(timeout=5)!r}")
    point = Point(3, 4)
    q.put(point)
    back = q.get(timeout=5)
    print(f"put a Point, got an equal one: {back == point}, the same: {back is point}")

# %%
# Futures instead of a queue
# --------------------------
# Often no queue is needed. ``client.submit()`` returns a future at once,
# ``client.map()`` one future per item, and a future can be passed to
# another task as an argument: dask waits for it and hands over its value,
# moving the data straight from worker to worker. ``client.gather()``
# collects the values in the order of the futures, whichever worker
# finished first.


def square(x: int) -> int:
    return x * x


if __name__ == "__main__":
    squares = client.map(square, range(10))
    total = client.submit(sum, squares)
    print(f"squares: {client.gather(squares)}")
    print(f"their sum, computed by another task: {total.result(timeout=10)}")

# %%
# Failures, seen from the client
# ------------------------------
# A ``get()`` with a timeout on an empty queue raises ``TimeoutError``. The
# waiting happens on the scheduler, and the exception raised there is sent
# back to the caller: the built-in ``TimeoutError`` on Python 3.11 and
# later, ``asyncio.TimeoutError`` on Python 3.10, where the two are still
# different classes. Catching both works everywhere.
#
# A task that raises does not stop the worker: the exception is pickled and
# kept by the cluster, the future's ``status`` becomes ``"error"``, and
# ``result()`` raises the same exception in the client, as ``get()`` does
# for ``multiprocessing.Pool``.


def invert(x: int) -> float:
    return 1 / x


if __name__ == "__main__":
    try:
        Queue("empty").get(timeout=0.5)
    except (TimeoutError, asyncio.TimeoutError):
        print("get(timeout=0.5) on an empty queue: TimeoutError")

    future = client.submit(invert, 0)
    try:
        future.result(timeout=10)
    except ZeroDivisionError as exc:
        print(f"result() re-raised ZeroDivisionError: {exc}; status: {future.status}")

# %%
# What changes compared with a local queue
# ----------------------------------------
# - **Where the queue lives.** On the scheduler, not in the producer or the
#   consumer. Each operation is a round trip over the network, where
#   ``queue.Queue`` needs a lock and a list operation, so send fewer and
#   larger items (or futures) rather than many tiny ones. It has
#   ``put()``, ``get()`` and ``qsize()``, all with a ``timeout``, and a
#   ``maxsize``, but no ``task_done()`` or ``join()``. ``get(batch=True)``
#   takes everything there at once. Dask's documentation calls the
#   ``Queue`` experimental.
# - **What goes in it.** Small data that can be serialised, or futures.
#   Nothing is shared by reference: every item is a copy.
# - **A worker that dies.** Dask treats the tasks that were running on it
#   as lost and runs them again on another worker. A task that was running
#   on a dying worker too often (``distributed.scheduler.allowed-failures``,
#   3 by default) is given up, and its future raises ``KilledWorker``. The
#   task may therefore run more than once: items it already put in a queue
#   are put again. Results are safe only when tasks can be repeated.
# - **The scheduler that dies.** Its queues, with every item in them, and
#   all futures are gone; the clients lose their connection.

# %%
# Shutting down
# -------------
# Closing the stack closes the client, then the cluster: the workers are
# stopped and joined, and the scheduler shuts down. One thread is left:
# dask keeps a single "offload" thread per process for work it moves off
# its event loop, in a thread pool that is stopped only when the
# interpreter exits. This page shuts that pool down itself, so that the
# build can check that nothing else was left running. An ordinary script
# does not need to: the interpreter joins the thread at exit.

if __name__ == "__main__":
    stack.close()
    import distributed.utils

    distributed.utils._offload_executor.shutdown(wait=True)
    print(f"workers still alive: {len(cluster.workers)}")
