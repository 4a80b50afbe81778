"""Checks behind the prose of docs/reference/queue-semantics.md.

The tables of that page are probes run during the build; these back the
"What this means" paragraphs around them.
"""

from __future__ import annotations

import asyncio
import inspect
import multiprocessing
import multiprocessing.connection
import queue
import sys
import threading
import time

import pytest

from claims import claim
from claims._util import (
    BOUND,
    Gate,
    close_queue,
    context,
    gevent_or_skip,
    raises,
    returns_at_once,
    still_waiting,
)

PAGE = "reference/queue-semantics"


def _full(kind=queue.Queue):
    q = kind(1)
    q.put(0)
    return q


@claim("By default (`block=True`, `timeout=None`) it waits until another thread")
def put_defaults():
    params = inspect.signature(queue.Queue.put).parameters
    assert params["block"].default is True and params["timeout"].default is None
    params = inspect.signature(multiprocessing.queues.Queue.put).parameters
    assert params["block"].default is True and params["timeout"].default is None


@claim(
    "With a positive timeout it waits at most that long and then raises `queue.Full`."
)
def put_timeout_raises_full():
    q = _full()
    started = time.monotonic()
    raises(queue.Full, lambda: q.put(1, timeout=0.05))
    assert 0.05 <= time.monotonic() - started < BOUND


@claim("`put_nowait()` or a timeout of 0 it never waits")
def put_timeout_zero():
    q = _full()
    returns_at_once(lambda: raises(queue.Full, lambda: q.put(1, timeout=0)))
    returns_at_once(lambda: raises(queue.Full, lambda: q.put_nowait(1)))


@claim("A negative timeout is rejected with `ValueError` by the `queue` module")
def negative_timeout_queue_module():
    raises(ValueError, lambda: _full().put(1, timeout=-1))
    raises(ValueError, lambda: queue.Queue().get(timeout=-1))


@claim(
    "and by a manager's queue (which is a `queue.Queue` in the manager's process)",
    alone=True,
)
def negative_timeout_manager_queue():
    with context().Manager() as manager:
        q = manager.Queue(1)
        q.put(0)
        raises(ValueError, lambda: q.put(1, timeout=-1))


@claim("while `multiprocessing.Queue` and gevent's `put()` treat it like 0.")
def negative_timeout_mp_queue():
    q = _full(multiprocessing.Queue)
    returns_at_once(lambda: raises(queue.Full, lambda: q.put(1, timeout=-1)))
    close_queue(q)


@claim("gevent's `put()` treat it like 0.", alone=True)
def negative_timeout_gevent_put():
    gevent_or_skip()
    import gevent.queue

    q = _full(gevent.queue.Queue)
    returns_at_once(lambda: raises(queue.Full, lambda: q.put(1, timeout=-1)))


@claim("A `queue.SimpleQueue` has no size limit, so it is never full.")
def simple_queue_unbounded():
    q = queue.SimpleQueue()
    assert "maxsize" not in inspect.signature(queue.SimpleQueue).parameters
    for i in range(100000):
        q.put(i, block=False)
    assert q.qsize() == 100000


@claim(
    "A `multiprocessing.SimpleQueue` has no `maxsize` either, but its `put()` writes "
    "straight into a pipe, and waits while the pipe's buffer is full until a reader "
    "makes room."
)
def mp_simple_queue_put_waits_on_pipe():
    q = multiprocessing.SimpleQueue()
    big = b"x" * (1 << 20)  # more than any default pipe buffer
    got = []
    still_waiting(lambda: q.put(big), lambda: got.append(q.get()))
    assert got == [big]
    q.close()


@claim(
    "A gevent `Channel` has no buffer, so every `put()` waits for a `get()`.",
    alone=True,
)
def gevent_channel_no_buffer():
    gevent_or_skip()
    import gevent
    import gevent.queue

    channel = gevent.queue.Channel()
    raises(queue.Full, lambda: channel.put_nowait(1))
    events = []

    def consumer():
        events.append(("got", channel.get()))

    reader = gevent.spawn(consumer)
    channel.put("x", timeout=BOUND)
    events.append(("put returned",))
    reader.join(BOUND)
    assert events == [("got", "x"), ("put returned",)]


@claim(
    "gives up with `queue.Empty` (asyncio: `asyncio.QueueEmpty` for "
    "`get_nowait()`, `TimeoutError` from `wait_for`)."
)
def get_gives_up():
    raises(queue.Empty, lambda: queue.Queue().get(timeout=0.01))
    raises(asyncio.QueueEmpty, asyncio.Queue().get_nowait)

    async def wait():
        await asyncio.wait_for(asyncio.Queue().get(), 0.01)

    raises((TimeoutError, asyncio.TimeoutError), lambda: asyncio.run(wait()))


@claim("`multiprocessing.SimpleQueue.get()` takes no arguments at all")
def mp_simple_queue_get_signature():
    assert str(inspect.signature(multiprocessing.queues.SimpleQueue.get)) == "(self)"


@claim(
    "gevent accepts a negative timeout in `put()` but rejects it in `get()`.",
    alone=True,
)
def gevent_negative_get():
    gevent_or_skip()
    import gevent.queue

    raises(ValueError, lambda: gevent.queue.Queue().get(timeout=-1))


@claim(
    "`asyncio.wait_for()` and, from Python 3.11, `async with asyncio.timeout()` both "
    "cancel the waiting `get()` when the time is up and raise `TimeoutError`"
)
def asyncio_timeouts_cancel_get():
    async def main():
        q = asyncio.Queue()
        getter = asyncio.ensure_future(q.get())
        try:
            await asyncio.wait_for(asyncio.shield(getter), 0.01)
        except (TimeoutError, asyncio.TimeoutError):
            pass
        getter.cancel()
        caught = []
        waiting = asyncio.ensure_future(q.get())
        try:
            await asyncio.wait_for(waiting, 0.01)
        except (TimeoutError, asyncio.TimeoutError):
            caught.append("wait_for")
        assert waiting.cancelled()
        if sys.version_info >= (3, 11):
            try:
                async with asyncio.timeout(0.01):
                    await q.get()
            except TimeoutError:
                caught.append("timeout")
        return caught

    expected = ["wait_for", "timeout"] if sys.version_info >= (3, 11) else ["wait_for"]
    assert asyncio.run(main()) == expected


@claim("(from Python 3.11 the built-in one)")
def asyncio_timeout_error_builtin():
    assert (asyncio.TimeoutError is TimeoutError) == (sys.version_info >= (3, 11))


@claim(
    "`multiprocessing.Queue` and `JoinableQueue` replace it by the largest value "
    "their semaphore can count"
)
def mp_maxsize_sem_value_max():
    from multiprocessing.synchronize import SEM_VALUE_MAX

    for q in (multiprocessing.Queue(0), multiprocessing.JoinableQueue(-1)):
        assert q._maxsize == SEM_VALUE_MAX  # noqa: SLF001
        close_queue(q)


@claim('A `maxsize` of 0 or any negative number means "no limit"')
def maxsize_zero_negative_queue_module():
    for maxsize in (0, -1):
        q = queue.Queue(maxsize)
        for i in range(1000):
            q.put_nowait(i)
        assert not q.full()


@claim("The `SimpleQueue` classes take no `maxsize` at all")
def simple_queues_no_maxsize():
    raises(TypeError, lambda: queue.SimpleQueue(1))
    raises(TypeError, lambda: multiprocessing.SimpleQueue(1))


@claim(
    "a gevent `Channel` accepts only `maxsize=1` (any other value raises `ValueError`)",
    alone=True,
)
def gevent_channel_maxsize():
    gevent_or_skip()
    import gevent.queue

    gevent.queue.Channel(maxsize=1)
    for maxsize in (0, 2, None):
        raises(ValueError, lambda m=maxsize: gevent.queue.Channel(maxsize=m))


@claim(
    "`multiprocessing.Queue.put()` hands the item to a background *feeder thread*, "
    "which pickles it and writes it to a pipe a little later"
)
def feeder_thread_pickles():
    q = multiprocessing.Queue()
    gate = Gate()
    returns_at_once(lambda: q.put(gate))
    gate.opened.set()
    assert q.get(timeout=BOUND) == 7
    assert gate.pickled_in == ["QueueFeederThread"]
    close_queue(q)


@claim("The other implementations store the item before `put()` returns.")
def others_store_before_return():
    for q in (queue.Queue(), queue.SimpleQueue(), queue.LifoQueue()):
        q.put("x")
        assert q.get_nowait() == "x"
    q = multiprocessing.SimpleQueue()
    q.put("x")
    assert not q.empty()
    assert q.get() == "x"
    q.close()

    async def main():
        aq = asyncio.Queue()
        await aq.put("x")
        return aq.get_nowait()

    assert asyncio.run(main()) == "x"


@claim(
    "It returns at once when there is nothing unfinished, and it can be called "
    "any number of times."
)
def join_nothing_unfinished():
    q = queue.Queue()
    returns_at_once(q.join)
    returns_at_once(q.join)

    async def main():
        aq = asyncio.Queue()
        await aq.join()
        await aq.join()

    returns_at_once(lambda: asyncio.run(main()))


@claim("One `task_done()` more than items put raises `ValueError`.")
def task_done_extra_asyncio():
    raises(ValueError, queue.Queue().task_done)
    raises(ValueError, asyncio.Queue().task_done)


@claim(
    "`multiprocessing.Queue` and the `SimpleQueue` classes have no `task_done()`; use "
    "`multiprocessing.JoinableQueue` across processes."
)
def no_task_done():
    for kind in (
        multiprocessing.queues.Queue,
        queue.SimpleQueue,
        multiprocessing.queues.SimpleQueue,
    ):
        assert not hasattr(kind, "task_done")
    assert hasattr(multiprocessing.queues.JoinableQueue, "task_done")


@claim(
    "`Queue` hands items out oldest first, `LifoQueue` newest first, and "
    "`PriorityQueue` smallest first"
)
def get_order():
    found = {}
    for kind in (queue.Queue, queue.LifoQueue, queue.PriorityQueue):
        q = kind()
        for item in (2, 3, 1):
            q.put(item)
        found[kind.__name__] = [q.get_nowait() for _ in range(3)]
    assert found == {
        "Queue": [2, 3, 1],
        "LifoQueue": [1, 3, 2],
        "PriorityQueue": [1, 2, 3],
    }


@claim(
    "Put a counter between the priority and the payload to break ties by "
    "insertion order."
)
def counter_breaks_ties():
    import itertools

    q = queue.PriorityQueue()
    counter = itertools.count()
    for name in ("c", "a", "b", "d"):
        q.put((1, next(counter), {"name": name}))
    assert [q.get_nowait()[2]["name"] for _ in range(4)] == ["c", "a", "b", "d"]


@claim("(on Python 3.11 and 3.12 the method does not exist)")
def shutdown_version():
    has = sys.version_info >= (3, 13)
    assert hasattr(queue.Queue, "shutdown") == has
    assert hasattr(asyncio.Queue, "shutdown") == has


@claim(
    "`put()` raises `queue.ShutDown` (`asyncio.QueueShutDown`), a `get()` still "
    "returns "
    "the items already in the queue and raises once it is empty"
)
def shutdown_semantics():
    if sys.version_info < (3, 13):
        pytest.skip("Queue.shutdown() is new in Python 3.13")
    q = queue.Queue()
    q.put(1)
    q.shutdown()
    raises(queue.ShutDown, lambda: q.put(2))
    assert q.get_nowait() == 1
    raises(queue.ShutDown, q.get_nowait)


@claim("afterwards `put()` and `get()` on that queue object fail.")
def closed_mp_queue_fails():
    q = multiprocessing.Queue()
    q.close()
    raises(ValueError, lambda: q.put(1))
    raises((ValueError, OSError), lambda: q.get(timeout=0.01))
    q.join_thread()


@claim(
    "`join_thread()` waits until the feeder thread has written every buffered "
    "item to the pipe"
)
def join_thread_waits_for_feeder():
    q = multiprocessing.Queue()
    gate = Gate()
    q.put(gate)
    q.close()
    still_waiting(q.join_thread, gate.opened.set)
    assert not q._thread.is_alive()  # noqa: SLF001 - the feeder has finished


@claim("and may only be called after `close()`.")
def join_thread_needs_close():
    if not __debug__:
        pytest.skip("the check is an assert, gone under -O")
    q = multiprocessing.Queue()
    raises(AssertionError, q.join_thread)
    close_queue(q)


@claim("A connection has no `timeout` on `recv()`")
def recv_has_no_timeout():
    assert (
        str(inspect.signature(multiprocessing.connection.Connection.recv)) == "(self)"
    )


@claim(
    "call `poll(timeout)` first: it returns `False` when the time is up and "
    "`True` when "
    "there is something to read, including the end of the stream."
)
def poll_timeout():
    receive, send = multiprocessing.Pipe(duplex=False)
    started = time.monotonic()
    assert receive.poll(0.05) is False
    assert time.monotonic() - started >= 0.05
    send.send("x")
    assert receive.poll(BOUND) is True and receive.recv() == "x"
    send.close()
    assert receive.poll(BOUND) is True
    raises(EOFError, receive.recv)
    receive.close()


@claim(
    "`poll()` without an argument does not wait, and `poll(None)` waits without limit."
)
def poll_none():
    receive, send = multiprocessing.Pipe(duplex=False)
    assert returns_at_once(receive.poll) is False
    assert still_waiting(lambda: receive.poll(None), lambda: send.send(1)) is True
    receive.close()
    send.close()


@claim(
    "Once every copy of the other end is closed, `recv()` raises `EOFError` and "
    "`send()` raises `BrokenPipeError`."
)
def closed_other_end():
    for duplex in (True, False):
        a, b = multiprocessing.Pipe(duplex=duplex)
        b.close()
        if duplex:
            raises(EOFError, a.recv)
            raises(BrokenPipeError, lambda c=a: c.send("x"))
        else:
            raises(EOFError, a.recv)
        a.close()
    receive, send = multiprocessing.Pipe(duplex=False)
    receive.close()
    raises(BrokenPipeError, lambda: send.send("x"))
    send.close()


@claim("A call never returns before its timeout")
def timeouts_not_early():
    for q in (queue.Queue(), multiprocessing.Queue()):
        started = time.monotonic()
        raises(queue.Empty, lambda q=q: q.get(timeout=0.03))
        assert time.monotonic() - started >= 0.03
    event = threading.Event()
    started = time.monotonic()
    assert not event.wait(0.03)
    assert time.monotonic() - started >= 0.03
