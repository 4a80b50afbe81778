"""Checks behind docs/reference/errata.md."""

from __future__ import annotations

import inspect
import multiprocessing
import multiprocessing.connection
import multiprocessing.managers
import multiprocessing.pool
import os
import queue
import threading
import warnings

from claims import claim
from claims._util import (
    BOUND,
    Gate,
    close_queue,
    context,
    raises,
    returns_at_once,
    run_script,
    still_waiting,
)

PAGE = "reference/errata"


# --- queues between threads ---------------------------------------------------


@claim("An empty queue always has room, so `put()` on it returns at once.")
def empty_queue_put_returns():
    q = queue.Queue(maxsize=1)
    returns_at_once(lambda: q.put("x"))
    assert q.qsize() == 1


@claim("`put()` waits only when the queue is *full*")
def put_waits_when_full():
    q = queue.Queue(maxsize=1)
    q.put(1)
    still_waiting(lambda: q.put(2), q.get)
    assert q.get_nowait() == 2


@claim("It is `get()` that waits on an empty queue.")
def get_waits_when_empty():
    q = queue.Queue()
    assert still_waiting(q.get, lambda: q.put("item")) == "item"


@claim(
    "With `block=False`, `put()` stores the item if there is room and raises "
    "`queue.Full` only if there is none."
)
def put_nonblocking_stores_or_raises():
    q = queue.Queue(maxsize=1)
    q.put("a", block=False)
    raises(queue.Full, lambda: q.put("b", block=False))
    assert q.get_nowait() == "a"


@claim("The signature is `put(item, block=True, timeout=None)`")
def put_signature():
    assert (
        str(inspect.signature(queue.Queue.put))
        == "(self, item, block=True, timeout=None)"
    )


@claim("`q.put(item)` is the *blocking* form: on a full queue it waits without limit.")
def plain_put_blocks():
    q = queue.Queue(maxsize=1)
    q.put(0)
    still_waiting(lambda: q.put(1), q.get)


@claim(
    "a `timeout` only bounds a blocking `put()` and is ignored when `block` is false."
)
def timeout_ignored_without_block():
    q = queue.Queue(maxsize=1)
    q.put(0)
    returns_at_once(
        lambda: raises(queue.Full, lambda: q.put(1, block=False, timeout=30))
    )


@claim("`PriorityQueue` is a min-heap, so the *smallest* item comes out first")
def priority_smallest_first():
    q = queue.PriorityQueue()
    for item in (3, 1, 2):
        q.put(item)
    assert [q.get_nowait() for _ in range(3)] == [1, 2, 3]


@claim("equal priorities are ordered by the next element of the tuple.")
def priority_ties_next_element():
    q = queue.PriorityQueue()
    for item in ((1, "b"), (1, "a"), (0, "z")):
        q.put(item)
    assert [q.get_nowait() for _ in range(3)] == [(0, "z"), (1, "a"), (1, "b")]


@claim(
    "A payload that cannot be compared (a dict, for example) is harmless until "
    "two items with equal priorities meet in the heap"
)
def uncomparable_payload_harmless_with_distinct_priorities():
    q = queue.PriorityQueue()
    for priority in (2, 1, 3):
        q.put((priority, {"n": priority}))
    assert [q.get_nowait()[0] for _ in range(3)] == [1, 2, 3]


@claim("then the `put()` or `get()` that compares them raises `TypeError`.")
def uncomparable_payload_put_and_get_raise():
    q = queue.PriorityQueue()
    q.put((1, {"job": 1}))
    raises(TypeError, lambda: q.put((1, {"job": 2})))
    # a get() that has to compare two of them: the heap's last item moves to
    # the root and is compared with the other one
    q = queue.PriorityQueue()
    q.put((0, "a"))
    q.put((1, {"job": 1}))
    q.put((1, {"job": 2}))
    raises(TypeError, q.get_nowait)


@claim(
    "`join()` returns when every item ever put has been marked finished with "
    "`task_done()`."
)
def join_waits_for_task_done():
    q = queue.Queue()
    q.put(1)
    q.put(2)
    q.get()
    q.get()

    def finish():
        q.task_done()
        q.task_done()

    still_waiting(q.join, finish)


@claim(
    "A queue can be empty while its last items are still being processed, and "
    "`join()` then keeps waiting"
)
def empty_queue_join_still_waits():
    q = queue.Queue()
    q.put("job")
    q.get()
    assert q.empty()
    still_waiting(q.join, q.task_done)


@claim(
    "`join()` can be called any number of times and needs no `task_done()` of its own."
)
def join_many_times():
    q = queue.Queue()
    q.put(1)
    q.get()
    q.task_done()
    for _ in range(3):
        returns_at_once(q.join)


@claim("one call too many raises `ValueError`.")
def task_done_too_many():
    q = queue.Queue()
    q.put(1)
    q.get()
    q.task_done()
    raises(ValueError, q.task_done)


@claim("Since Python 3.10, `Thread.setDaemon()` emits a `DeprecationWarning`.")
def set_daemon_deprecated():
    thread = threading.Thread(target=print)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        thread.setDaemon(True)
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)
    assert thread.daemon


@claim(
    "In CPython a single `list.append()` or `list.pop()` already leaves the list "
    "intact when threads call it at once"
)
def list_append_from_threads():
    items: list[int] = []
    start = threading.Barrier(4)

    def fill():
        start.wait(BOUND)
        for i in range(20000):
            items.append(i)

    threads = [threading.Thread(target=fill) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(BOUND)
    assert len(items) == 80000
    assert sorted(items) == sorted(list(range(20000)) * 4)


@claim("What a list cannot do is *wait*")
def list_cannot_wait():
    raises(IndexError, [].pop)
    q = queue.Queue()
    still_waiting(q.get, lambda: q.put(1))


# --- queues between processes -------------------------------------------------


@claim(
    "a `maxsize` of 0 (the default) or less is replaced by the largest value that "
    "semaphore can hold, `SEM_VALUE_MAX`"
)
def mp_queue_default_bound():
    from multiprocessing.synchronize import SEM_VALUE_MAX

    for q in (
        multiprocessing.Queue(),
        multiprocessing.Queue(0),
        multiprocessing.Queue(-3),
    ):
        assert q._maxsize == SEM_VALUE_MAX  # noqa: SLF001 - what put() counts against
        close_queue(q)


@claim("On Linux that is 2147483647, which is no limit in practice")
def sem_value_max_linux():
    import sys
    from multiprocessing.synchronize import SEM_VALUE_MAX

    if not sys.platform.startswith("linux"):
        import pytest

        pytest.skip("Linux only")
    assert SEM_VALUE_MAX == 2147483647


@claim("`queue.Queue` is the one without a limit.")
def queue_queue_unbounded():
    q = queue.Queue()
    assert q.maxsize == 0
    for i in range(100000):
        q.put_nowait(i)
    assert not q.full()


@claim(
    "an item just put is written to the pipe by a background feeder thread a "
    "little later, so `get_nowait()` can raise `queue.Empty` although `qsize()` "
    "counted the item"
)
def feeder_thread_delays_visibility():
    q = multiprocessing.Queue()
    gate = Gate()
    q.put(gate)
    try:
        assert q.qsize() == 1
        raises(queue.Empty, q.get_nowait)
    finally:
        gate.opened.set()
    assert q.get(timeout=BOUND) == 7
    assert gate.pickled_in == ["QueueFeederThread"]
    close_queue(q)


@claim(
    "the note's `if not q.empty():` right after a `put()` can see an empty queue "
    "and skip the loop altogether"
)
def empty_right_after_put():
    q = multiprocessing.Queue()
    gate = Gate()
    q.put(gate)
    try:
        assert q.empty()
    finally:
        gate.opened.set()
    assert q.get(timeout=BOUND) == 7
    close_queue(q)


@claim(
    "Another process can fill the queue between `full()` and `put_nowait()`, which "
    "then raises `queue.Full` anyway"
)
def full_check_is_stale():
    q = multiprocessing.Queue(1)
    assert not q.full()
    q.put("from someone else")  # what another process may do in between
    raises(queue.Full, lambda: q.put_nowait("Message04"))
    assert q.get(timeout=BOUND) == "from someone else"
    close_queue(q)


@claim("when the queue *is* full, the message is dropped without a word.")
def full_check_drops_silently():
    q = multiprocessing.Queue(1)
    q.put("Message03")
    if not q.full():
        q.put_nowait("Message04")
    assert q.get(timeout=BOUND) == "Message03"
    raises(queue.Empty, lambda: q.get(timeout=0.05))
    close_queue(q)


@claim(
    "`except:` catches every exception, including a typo's `NameError` and "
    "Ctrl-C's `KeyboardInterrupt`"
)
def bare_except_catches_everything():
    caught = []
    for exc in (NameError("qq"), KeyboardInterrupt()):
        try:
            raise exc
        except:  # noqa: E722 - the point of the check
            caught.append(type(exc))
    assert caught == [NameError, KeyboardInterrupt]


# --- pipes --------------------------------------------------------------------


@claim("a pipe reports end-of-file only when *every* copy of the other end is closed")
def pipe_eof_needs_every_copy():
    receive, send = multiprocessing.Pipe(duplex=False)
    copy = multiprocessing.connection.Connection(os.dup(send.fileno()))
    send.close()
    assert not receive.poll(0.05)  # neither data nor end-of-file
    copy.close()
    raises(EOFError, receive.recv)
    receive.close()


def _fail_before_sending(conn):
    raise SystemExit(1)


@claim(
    "if the child failed before sending, `con2.recv()` would wait forever instead "
    "of raising `EOFError`",
    alone=True,
)
def unclosed_parent_copy_hides_child_failure():
    ctx = context()
    con1, con2 = ctx.Pipe()
    child = ctx.Process(target=_fail_before_sending, args=(con1,))
    child.start()
    child.join(BOUND)
    assert child.exitcode == 1
    assert not con2.poll(0.1)  # the parent's con1 keeps the pipe open
    con1.close()
    raises(EOFError, con2.recv)
    con2.close()


@claim(
    "at exit, `multiprocessing` joins every child that is not a daemon (its exit "
    "handler, `multiprocessing.util._exit_function`), so the script waits for it.",
    alone=True,
)
def unjoined_child_is_joined_at_exit():
    result = run_script(
        """
        import time
        from multiprocessing import Event, Pipe, Process

        def send(pipe, printed):
            pipe.send(["spam", 42, "egg"])
            pipe.close()
            printed.wait(60)  # the parent's line comes first, however scheduled
            time.sleep(0.5)  # still running when the parent's code ends
            print("child done", flush=True)

        if __name__ == "__main__":
            con1, con2 = Pipe()
            printed = Event()
            sender = Process(target=send, args=(con1, printed))
            sender.start()
            print("con2 got:", con2.recv(), flush=True)
            printed.set()
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["con2 got: ['spam', 42, 'egg']", "child done"]
    import multiprocessing.util as util

    assert "_run_finalizers" in inspect.getsource(util._exit_function)  # noqa: SLF001
    assert ".join()" in inspect.getsource(util._exit_function)  # noqa: SLF001


# --- managers -----------------------------------------------------------------


@claim(
    "A manager's `list` can be changed: `append()`, item assignment and the rest "
    "are sent to the manager's process.",
    alone=True,
)
def manager_list_changes():
    with context().Manager() as manager:
        items = manager.list([1])
        items.append(2)
        items[0] = 10
        items.extend([3])
        assert list(items) == [10, 2, 3]


@claim(
    "reading `lst[0]` returns a copy, and the change is made to that copy.", alone=True
)
def manager_nested_change_lost():
    with context().Manager() as manager:
        items = manager.list([[1]])
        items[0].append(2)
        assert list(items) == [[1]]
        inner = items[0]
        inner.append(2)
        items[0] = inner
        assert list(items) == [[1, 2]]


@claim("`enumerate()` pairs a running count with each *key*")
def enumerate_dict_gives_positions():
    assert list(enumerate({"b": 1, "a": 2})) == [(0, "b"), (1, "a")]


@claim(
    "The error comes from the manager shutting down (at the end of its `with` "
    "block, or when the main process exits) while processes still use its proxies.",
    alone=True,
)
def proxy_after_shutdown_fails():
    with context().Manager() as manager:
        d = manager.dict()
        d["a"] = 1
    raises((OSError, EOFError), lambda: d.__setitem__("b", 2))


@claim("Each `Manager()` starts a server process.", alone=True)
def manager_starts_a_process():
    manager = context().Manager()
    try:
        assert manager._process.is_alive()  # noqa: SLF001
        assert manager._process.pid != os.getpid()  # noqa: SLF001
    finally:
        manager.shutdown()
    assert not manager._process.is_alive()  # noqa: SLF001


@claim(
    "leaves both running until the interpreter's exit handlers stop them", alone=True
)
def manager_stopped_by_exit_handler():
    manager = context().Manager()
    try:
        # the shutdown is a finalizer run by multiprocessing's exit handler
        assert manager.shutdown._key[0] == 0  # noqa: SLF001 - its exit priority
        assert manager.shutdown.still_active()
    finally:
        manager.shutdown()


@claim(
    "`multiprocessing.Manager()` returns a `SyncManager`, which also offers "
    "`Barrier`, `JoinableQueue` and `Pool`",
    alone=True,
)
def sync_manager_types():
    with context().Manager() as manager:
        assert isinstance(manager, multiprocessing.managers.SyncManager)
        barrier = manager.Barrier(1)
        assert barrier.wait(timeout=BOUND) == 0
        jq = manager.JoinableQueue()
        jq.put(1)
        jq.get(timeout=BOUND)
        jq.task_done()
        jq.join()
        assert callable(manager.Pool)


class _Counter:
    def __init__(self):
        self.n = 0

    def bump(self):
        self.n += 1
        return self.n


class _CounterManager(multiprocessing.managers.BaseManager):
    pass


_CounterManager.register("Counter", _Counter)


@claim("any class can be added with `register()`.", alone=True)
def manager_register():
    with _CounterManager(ctx=context()) as manager:
        counter = manager.Counter()
        counter.bump()
        assert counter.bump() == 2


@claim(
    "Its `Value` and `Array` are proxies to objects in the manager's process, not "
    "the shared-memory `multiprocessing.Value` and `Array`.",
    alone=True,
)
def manager_value_is_a_proxy():
    with context().Manager() as manager:
        value = manager.Value("i", 1)
        array = manager.Array("i", [1, 2])
        assert isinstance(value, multiprocessing.managers.BaseProxy)
        assert isinstance(array, multiprocessing.managers.BaseProxy)
        assert not hasattr(value, "get_lock")


# --- pools --------------------------------------------------------------------


_BARRIER = None


def _keep_barrier(barrier):
    global _BARRIER
    _BARRIER = barrier


def _meet(_):
    _BARRIER.wait(BOUND)
    return os.getpid()


@claim(
    "The argument is the number of worker processes, so `Pool(4)` runs up to four "
    "tasks at the same time",
    alone=True,
)
def pool_four_at_once():
    ctx = context()
    barrier = ctx.Barrier(4)
    with ctx.Pool(4, initializer=_keep_barrier, initargs=(barrier,)) as pool:
        assert len(pool._pool) == 4  # noqa: SLF001
        # four tasks that can only finish together: they ran at the same time
        pids = pool.map(_meet, range(4), chunksize=1)
    assert len(set(pids)) == 4


def _fail():
    raise ZeroDivisionError("task failed")


@claim(
    "If a task raises, the exception is stored in that object and never seen.",
    alone=True,
)
def apply_async_failure_stored():
    with context().Pool(1) as pool:
        result = pool.apply_async(_fail)
        result.wait(BOUND)
        assert result.ready() and not result.successful()
        pool.close()
        pool.join()


@claim(
    "Keep the results and call `get()` on each: it returns the value or re-raises "
    "the task's exception.",
    alone=True,
)
def apply_async_get_reraises():
    with context().Pool(1) as pool:
        good = pool.apply_async(abs, (-3,))
        bad = pool.apply_async(_fail)
        assert good.get(BOUND) == 3
        raises(ZeroDivisionError, lambda: bad.get(BOUND))


# --- coroutines ---------------------------------------------------------------


def _gen():
    received = yield "first"
    yield received


@claim("In Python 3 generators have no `next` method")
def generators_have_no_next_method():
    g = _gen()
    assert not hasattr(g, "next")
    assert next(g) == "first"


@claim("(or `c.send(None)`)")
def send_none_starts_generator():
    assert _gen().send(None) == "first"


@claim(
    "the value passed to `send()` becomes the value of that expression (`None` for "
    "`next()`)"
)
def send_value_becomes_yield_value():
    g = _gen()
    next(g)
    assert g.send("sent") == "sent"
    g = _gen()
    next(g)
    assert next(g) is None


@claim(
    "In `n = yield r` the assignment to `n` is the first thing that happens on resuming"
)
def resume_inside_yield():
    seen = []

    def consumer():
        r = "ready"
        while True:
            n = yield r
            seen.append(n)
            r = f"got {n}"

    c = consumer()
    assert next(c) == "ready"
    assert c.send(5) == "got 5"
    assert seen == [5]


def _greenlet():
    import pytest

    return pytest.importorskip("greenlet")


@claim("the call is `greenlet.greenlet(run=None, parent=None)`")
def greenlet_signature():
    greenlet = _greenlet()
    g = greenlet.greenlet(run=abs, parent=greenlet.getcurrent())
    assert g.run is abs and g.parent is greenlet.getcurrent()
    assert g.switch(-4) == 4


def _seed_greenlets():
    greenlet = _greenlet()
    lines = []

    def foo():
        for i in range(10):
            lines.append(f"foo: {i}")
            gb.switch()

    def bar():
        for i in range(10):
            lines.append(f"bar: {i}")
            gf.switch()
        lines.append("bar returned")

    gf = greenlet.greenlet(foo)
    gb = greenlet.greenlet(bar)
    gf.switch()
    return lines, gf, gb


@claim(
    "When `foo` returns, control goes to its parent, the main greenlet, and the "
    "program ends while `bar` is still paused in its last `gf.switch()`."
)
def seed_greenlet_bar_paused():
    _, gf, gb = _seed_greenlets()
    assert gf.dead and not gb.dead
    gb.throw(_greenlet().GreenletExit)  # let the paused greenlet go
    assert gb.dead


@claim("Every line of `bar` has been printed by then")
def seed_greenlet_all_lines():
    lines, _, gb = _seed_greenlets()
    assert [line for line in lines if line.startswith("bar:")] == [
        f"bar: {i}" for i in range(10)
    ]
    assert "bar returned" not in lines
    gb.throw(_greenlet().GreenletExit)


@claim("greenlets switch only where `switch()` is called.")
def greenlets_switch_only_on_switch():
    greenlet = _greenlet()
    order = []

    def worker(name):
        order.extend([name, name])  # no switch() in between: runs to the end

    for name in ("a", "b"):
        greenlet.greenlet(worker).switch(name)
    assert order == ["a", "a", "b", "b"]


@claim(
    "Any module imported before `patch_all()` that took a reference to a blocking "
    "function (`from time import sleep`, or a library that created a lock or a socket "
    "at import time) keeps the original",
    alone=True,
)
def patch_too_late_keeps_original():
    import pytest

    pytest.importorskip("gevent")
    result = run_script(
        """
        import threading
        from time import sleep
        lock = threading.Lock()
        from gevent import monkey
        monkey.patch_all()
        import gevent, time
        print(sleep is time.sleep, time.sleep is gevent.sleep,
              type(lock) is type(threading.Lock()))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "False"]
