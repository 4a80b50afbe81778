"""Checks behind the text of the process, pipe, manager, pool and shared-state "
"examples."""

from __future__ import annotations

import multiprocessing
import multiprocessing.managers
import multiprocessing.pool
import multiprocessing.sharedctypes
import os
import queue
import sys
import threading
from pathlib import Path

import pytest

from claims import claim
from claims._util import (
    BOUND,
    Gate,
    close_queue,
    context,
    raises,
    returns_at_once,
    still_waiting,
)

PAGE = "examples/process_queues/queue_full_and_timeouts"
PRODUCER = "examples/process_queues/producer_consumer_processes"
ONE_WAY = "examples/pipes/pipe_one_way"
DUPLEX = "examples/pipes/pipe_duplex"
DICT = "examples/managers/manager_dict"
NAMESPACE = "examples/managers/manager_namespace_list"
LIFETIME = "examples/managers/manager_lifetime_broken"
VALUE = "examples/shared_state/value_lost_update"
ARRAY = "examples/shared_state/array_disjoint_slices"
ROUND_TRIPS = "examples/shared_state/manager_round_trips"
SHM = "examples/shared_state/shared_memory_by_name"
POOL_MAP = "examples/pools/pool_map"
APPLY = "examples/pools/pool_apply_async"
CHUNKS = "examples/futures/pool_vs_executor_chunksize"
APPLY_ERRORS = "examples/pitfalls/apply_async_errors_broken"
DRAIN = "examples/pitfalls/join_before_drain_broken"


# --- process queues -----------------------------------------------------------


@claim("``multiprocessing.Queue(3)`` holds at most three items.")
def queue_three_items():
    q = multiprocessing.Queue(3)
    for i in range(3):
        q.put_nowait(i)
    assert q.full()
    raises(queue.Full, lambda: q.put_nowait(3))
    assert [q.get(timeout=BOUND) for _ in range(3)] == [0, 1, 2]
    close_queue(q)


@claim("The exceptions it raises are the ones from the ``queue`` module")
def queue_module_exceptions():
    q = multiprocessing.Queue(1)
    raises(queue.Empty, q.get_nowait)
    q.put(1)
    exc = raises(queue.Full, lambda: q.put_nowait(2))
    assert type(exc) is queue.Full
    close_queue(q)


@claim(
    "``put(item, block=True, timeout=...)`` waits up to the timeout for room, then "
    "raises ``queue.Full``."
)
def mp_put_timeout():
    import time

    q = multiprocessing.Queue(1)
    q.put(0)
    started = time.monotonic()
    raises(queue.Full, lambda: q.put(1, block=True, timeout=0.05))
    assert time.monotonic() - started >= 0.05
    close_queue(q)


@claim(
    "``put_nowait()`` (the same as ``put(item, block=False)``) raises it immediately."
)
def mp_put_nowait():
    q = multiprocessing.Queue(1)
    q.put(0)
    returns_at_once(lambda: raises(queue.Full, lambda: q.put_nowait(1)))
    returns_at_once(lambda: raises(queue.Full, lambda: q.put(1, block=False)))
    close_queue(q)


@claim(
    "right after a ``put()`` even ``get_nowait()`` may find nothing; a short timeout "
    "avoids that race."
)
def get_nowait_right_after_put():
    q = multiprocessing.Queue()
    gate = Gate()
    q.put(gate)
    raises(queue.Empty, q.get_nowait)
    gate.opened.set()  # the feeder can write it now
    assert q.get(timeout=BOUND) == 7
    close_queue(q)


def _produce(q, count):
    for i in range(count):
        q.put(i)
    q.put(None)


@claim(
    "A single consumer reading from a single producer sees the items in the order they "
    "were put",
    page=PRODUCER,
    alone=True,
)
def single_producer_order():
    ctx = context()
    q = ctx.Queue()
    child = ctx.Process(target=_produce, args=(q, 2000))
    child.start()
    got = list(iter(lambda: q.get(timeout=BOUND), None))
    child.join(BOUND)
    assert got == list(range(2000)) and child.exitcode == 0


def _raise():
    raise RuntimeError("child failed")


def _return():
    return None


@claim(
    "An exit code of 0 means the child function returned normally.",
    page=PRODUCER,
    alone=True,
)
def exit_codes():
    ctx = context()
    codes = []
    for target in (_return, _raise):
        child = ctx.Process(target=target)
        child.start()
        child.join(BOUND)
        codes.append(child.exitcode)
    assert codes == [0, 1]


# --- pipes --------------------------------------------------------------------


@claim(
    "``multiprocessing.Pipe(duplex=False)`` returns two connection objects: the first "
    "can only receive and the second can only send.",
    page=ONE_WAY,
)
def one_way_ends():
    receive, send = multiprocessing.Pipe(duplex=False)
    assert receive.readable and not receive.writable
    assert send.writable and not send.readable
    receive.close()
    send.close()


@claim("Using an end the wrong way raises ``OSError``.", page=ONE_WAY)
def wrong_end_oserror():
    receive, send = multiprocessing.Pipe(duplex=False)
    raises(OSError, lambda: receive.send("x"))
    raises(OSError, send.recv)
    receive.close()
    send.close()


def _send_and_close(conn):
    conn.send(["spam", 42])
    conn.close()


@claim(
    "Once the parent closes its copy, ``recv()`` raises ``EOFError``.",
    page=ONE_WAY,
    alone=True,
)
def eof_after_parent_closes():
    ctx = context()
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_send_and_close, args=(send,))
    child.start()
    assert receive.recv() == ["spam", 42]
    child.join(BOUND)
    assert not receive.poll(0.1)  # the parent's send end is still open
    send.close()
    raises(EOFError, receive.recv)
    receive.close()


@claim(
    "``multiprocessing.Pipe()`` is duplex by default: both ends can send and receive.",
    page=DUPLEX,
)
def duplex_default():
    a, b = multiprocessing.Pipe()
    a.send(1)
    b.send(2)
    assert (b.recv(), a.recv()) == (1, 2)
    a.close()
    b.close()


@claim("``recv()`` blocks until the other side sends something.", page=DUPLEX)
def recv_blocks():
    a, b = multiprocessing.Pipe()
    assert still_waiting(a.recv, lambda: b.send("hello")) == "hello"
    a.close()
    b.close()


def _report_hash(conn):
    conn.send(hash("a string"))
    conn.close()


def _child_hash(method: str) -> int:
    ctx = context(method)
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_report_hash, args=(send,))
    child.start()
    send.close()
    value = receive.recv()
    child.join(BOUND)
    receive.close()
    return value


@claim("a ``fork`` child inherits the parent's hashing", page=DUPLEX, alone=True)
def fork_child_same_hash():
    assert _child_hash("fork") == hash("a string")


@claim(
    "a child started with ``spawn`` or ``forkserver`` can order the same set "
    "differently from its parent",
    page=DUPLEX,
    alone=True,
)
def spawn_child_other_hash():
    if os.environ.get("PYTHONHASHSEED", "random") != "random":
        pytest.skip("PYTHONHASHSEED fixes the hashing of every interpreter")
    assert _child_hash("spawn") != hash("a string")


# --- managers -----------------------------------------------------------------


def _store(d, key):
    d[key] = key * 2


@claim(
    "Each ``d[key] = value`` in a child is sent to the server, so after the children "
    "are joined the parent sees every write.",
    page=DICT,
    alone=True,
)
def manager_dict_writes():
    ctx = context()
    with ctx.Manager() as manager:
        d = manager.dict()
        children = [ctx.Process(target=_store, args=(d, k)) for k in range(4)]
        for child in children:
            child.start()
        for child in children:
            child.join(BOUND)
        assert dict(d) == {k: k * 2 for k in range(4)}


@claim(
    "The ``with`` statement shuts the manager's server down when the block ends",
    page=DICT,
    alone=True,
)
def manager_with_shuts_down():
    with context().Manager() as manager:
        server = manager._process  # noqa: SLF001
        assert server.is_alive()
    server.join(BOUND)
    assert not server.is_alive()


@claim(
    "``enumerate()`` yields *positions* and keys, not keys and values",
    page=DICT,
)
def enumerate_positions():
    d = {"x": 10, "y": 20}
    assert list(enumerate(dict(d))) == [(0, "x"), (1, "y")]


@claim(
    "Reading ``ns.items`` or ``lst[0]`` returns a *copy* of the stored object, so "
    "mutating that copy in place changes nothing on the server.",
    page=NAMESPACE,
    alone=True,
)
def namespace_copy():
    with context().Manager() as manager:
        ns = manager.Namespace()
        ns.items = [1]
        ns.items.append(2)
        assert ns.items == [1]
        copy = ns.items
        copy.append(2)
        ns.items = copy
        assert ns.items == [1, 2]


class _Counting:
    """Counts the requests a proxy sends through ``_callmethod``."""

    def __init__(self, proxy):
        self.calls: list[str] = []
        original = proxy._callmethod  # noqa: SLF001

        def counted(name, args=(), kwds={}):  # noqa: B006 - same signature
            self.calls.append(name)
            return original(name, args, kwds)

        proxy._callmethod = counted  # noqa: SLF001


@claim(
    "A nested proxy's ``append()`` is a single request to the server",
    page=NAMESPACE,
    alone=True,
)
def nested_append_one_request():
    with context().Manager() as manager:
        outer = manager.list([manager.list()])
        inner = outer[0]
        counter = _Counting(inner)
        inner.append(1)
        assert counter.calls == ["append"]
        assert list(outer[0]) == [1]


@claim(
    "A nested proxy prints as ``<ListProxy object ...>``", page=NAMESPACE, alone=True
)
def nested_proxy_repr():
    with context().Manager() as manager:
        outer = manager.list([manager.list([1])])
        assert str(list(outer)).startswith("[<ListProxy object")


def _after_shutdown_error(d):
    try:
        d["x"] = 1
    except Exception as exc:  # noqa: BLE001
        return type(exc)
    return None


@claim(
    "every proxy stops working, and workers that still use one get a connection error",
    page=LIFETIME,
    alone=True,
)
def proxy_dead_after_shutdown():
    with context().Manager() as manager:
        d = manager.dict()
    error = _after_shutdown_error(d)
    assert error is not None and issubclass(error, (OSError, EOFError)), error


# --- shared state -------------------------------------------------------------


@claim(
    "By default it also carries a lock, and each single read of ``.value`` and each "
    "single write takes that lock.",
    page=VALUE,
)
def value_read_takes_lock():
    value = multiprocessing.Value("i", 5)
    lock = value.get_lock()
    held = threading.Event()
    release = threading.Event()

    def holder():
        with lock:
            held.set()
            release.wait(BOUND)

    thread = threading.Thread(target=holder)
    thread.start()
    assert held.wait(BOUND)
    assert still_waiting(lambda: value.value, release.set) == 5
    thread.join(BOUND)


@claim(
    "``get_lock()`` returns the lock that guards the value (a recursive lock, so the "
    "read and the write inside may take it again).",
    page=VALUE,
)
def value_lock_recursive():
    value = multiprocessing.Value("i", 0)
    assert type(value.get_lock()).__name__ == "RLock"
    with value.get_lock():
        value.value += 1  # takes the lock again for the read and the write
    assert value.value == 1


@claim(
    '``Value("i", 0, lock=False)`` returns the bare shared number without any lock.',
    page=VALUE,
)
def value_without_lock():
    import ctypes

    bare = multiprocessing.Value("i", 0, lock=False)
    assert isinstance(bare, ctypes.c_int)
    assert not hasattr(bare, "get_lock")


def _slow_increment(value, read, written):
    seen = value.value
    read.set()
    assert written.wait(BOUND)
    value.value = seen + 1


def _fast_add(value, read, written):
    assert read.wait(BOUND)
    for _ in range(1000):
        with value.get_lock():
            value.value += 1
    written.set()


@claim(
    "another process can change the value between the read and the write",
    page=VALUE,
    alone=True,
)
def lost_update_between_processes():
    ctx = context()
    value = ctx.Value("i", 0)
    read, written = ctx.Event(), ctx.Event()
    children = [
        ctx.Process(target=target, args=(value, read, written))
        for target in (_slow_increment, _fast_add)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(BOUND)
    assert [c.exitcode for c in children] == [0, 0]
    assert value.value == 1  # the 1000 additions were overwritten


@claim(
    '``multiprocessing.Array("d", 8)`` is a fixed-size array of C doubles in shared '
    "memory.",
    page=ARRAY,
)
def array_of_doubles():
    import ctypes

    array = multiprocessing.Array("d", 8)
    assert len(array) == 8 and array[:] == [0.0] * 8
    assert array.get_obj()._type_ is ctypes.c_double  # noqa: SLF001
    raises(IndexError, lambda: array[8])


@claim("With the default ``lock=True`` the array has ``get_lock()``", page=ARRAY)
def array_lock():
    assert hasattr(multiprocessing.Array("d", 2), "get_lock")
    assert not hasattr(multiprocessing.Array("d", 2, lock=False), "get_lock")


def _double_all(array):
    with array.get_lock():
        for i in range(len(array)):
            array[i] = array[i] * 2


@claim(
    "Two workers each double every element, so every element ends up four times its "
    "start value, whatever order they run in.",
    page=ARRAY,
    alone=True,
)
def array_doubled_twice():
    ctx = context()
    array = ctx.Array("d", [1.0, 2.0, 3.0])
    children = [ctx.Process(target=_double_all, args=(array,)) for _ in range(2)]
    for child in children:
        child.start()
    for child in children:
        child.join(BOUND)
    assert array[:] == [4.0, 8.0, 12.0]


@claim(
    "``value.value += 1`` is two round trips: a ``get`` and a ``set``.",
    page=ROUND_TRIPS,
    alone=True,
)
def manager_value_two_trips():
    with context().Manager() as manager:
        value = manager.Value("i", 0)
        counter = _Counting(value)
        value.value += 1
        assert counter.calls == ["get", "set"]


@claim(
    "``items[0] += 1`` is also two (``__getitem__``, ``__setitem__``); ``append`` "
    "is one.",
    page=ROUND_TRIPS,
    alone=True,
)
def manager_list_trips():
    with context().Manager() as manager:
        items = manager.list([0])
        counter = _Counting(items)
        items[0] += 1
        items.append(5)
        assert counter.calls == ["__getitem__", "__setitem__", "append"]


@claim(
    "``Value``, ``Array`` and ``shared_memory`` hold only fixed-size C data",
    page=ROUND_TRIPS,
)
def shared_ctypes_fixed():
    array = multiprocessing.Array("i", 3)
    assert not hasattr(array, "append")
    raises(TypeError, lambda: multiprocessing.Value("i", "text"))


@claim("Attaching to an unlinked block fails", page=SHM)
def shm_unlinked_attach_fails():
    from multiprocessing import shared_memory

    block = shared_memory.SharedMemory(create=True, size=64)
    name = block.name
    block.close()
    block.unlink()
    raises(FileNotFoundError, lambda: shared_memory.SharedMemory(name=name))


@claim("any process that knows the name can attach to it", page=SHM)
def shm_attach_by_name():
    from multiprocessing import shared_memory

    block = shared_memory.SharedMemory(create=True, size=16)
    try:
        block.buf[:5] = b"hello"
        other = shared_memory.SharedMemory(name=block.name)
        assert bytes(other.buf[:5]) == b"hello"
        other.close()
    finally:
        block.close()
        block.unlink()


@claim("Python 3.13 added ``track=False`` to avoid this", page=SHM)
def shm_track_version():
    import inspect
    from multiprocessing import shared_memory

    has = "track" in inspect.signature(shared_memory.SharedMemory).parameters
    assert has == (sys.version_info >= (3, 13))


@claim("on Linux it stays in ``/dev/shm`` until reboot.", page=SHM)
def shm_in_dev_shm():
    from multiprocessing import shared_memory

    if not sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    block = shared_memory.SharedMemory(create=True, size=16)
    try:
        assert Path("/dev/shm", block.name.lstrip("/")).exists()
    finally:
        block.close()
        block.unlink()
    assert not Path("/dev/shm", block.name.lstrip("/")).exists()


# --- pools --------------------------------------------------------------------


@claim(
    "The pool's ``with`` statement calls ``terminate()`` on exit, not ``close()`` and "
    "``join()``",
    page=POOL_MAP,
    alone=True,
)
def pool_with_terminates():
    calls = []
    pool = context().Pool(1)
    original = pool.terminate
    pool.terminate = lambda: (calls.append("terminate"), original())[1]
    with pool:
        pass
    assert calls == ["terminate"]
    pool.join()


@claim(
    "returns the results in input order, however the work was scheduled.",
    page=POOL_MAP,
)
def map_keeps_order():
    release = threading.Event()

    def slow_first(x):
        if x == 0:
            release.wait(BOUND)  # the first item finishes last
        else:
            release.set()
        return x * x

    with multiprocessing.pool.ThreadPool(3) as pool:
        assert pool.map(slow_first, range(6), chunksize=1) == [x * x for x in range(6)]


@claim(
    "``apply_async()`` returns at once with an ``AsyncResult``; calling its ``get()`` "
    "waits for the task and returns its value, or re-raises the exception the task "
    "raised.",
    page=APPLY,
)
def apply_async_result():
    release = threading.Event()
    with multiprocessing.pool.ThreadPool(1) as pool:
        result = returns_at_once(
            lambda: pool.apply_async(lambda: release.wait(BOUND) and 7)
        )
        assert isinstance(result, multiprocessing.pool.AsyncResult)
        assert still_waiting(lambda: result.get(BOUND), release.set) == 7
        failing = pool.apply_async(lambda: 1 / 0)
        raises(ZeroDivisionError, lambda: failing.get(BOUND))


def _chunk_sizes(run) -> list[int]:
    seen: list[int] = []
    original = multiprocessing.pool.Pool._get_tasks  # noqa: SLF001

    def record(func, it, size):
        seen.append(size)
        return original(func, it, size)

    multiprocessing.pool.Pool._get_tasks = staticmethod(record)  # noqa: SLF001
    try:
        run()
    finally:
        multiprocessing.pool.Pool._get_tasks = staticmethod(original)  # noqa: SLF001
    return seen


@claim(
    "``Pool.map()`` with 2 workers and 100 items uses chunks of 13",
    page=CHUNKS,
    alone=True,
)
def pool_map_default_chunks():
    with multiprocessing.pool.ThreadPool(2) as pool:
        assert _chunk_sizes(lambda: pool.map(abs, range(100))) == [13]


@claim(
    "``ProcessPoolExecutor.map()`` sends one item per message unless you pass "
    "``chunksize``.",
    page=CHUNKS,
)
def executor_map_chunksize_default():
    import inspect
    from concurrent.futures import ProcessPoolExecutor

    assert (
        inspect.signature(ProcessPoolExecutor.map).parameters["chunksize"].default == 1
    )


@claim(
    "an executor returns ``Future`` objects, which work with ``as_completed()`` and "
    "with asyncio's ``run_in_executor()``, and its ``with`` block waits for the "
    "work to "
    "finish.",
    page=CHUNKS,
)
def executor_with_waits():
    from concurrent.futures import ThreadPoolExecutor

    release = threading.Event()
    with ThreadPoolExecutor(1) as executor:
        future = executor.submit(lambda: release.wait(BOUND))
        threading.Timer(0.05, release.set).start()
    assert future.done() and future.result() is True


@claim(
    "``successful()`` shows it, but only if someone asks.",
    page=APPLY_ERRORS,
)
def successful_shows_failure():
    with multiprocessing.pool.ThreadPool(1) as pool:
        result = pool.apply_async(lambda: 1 / 0)
        result.wait(BOUND)
        assert result.successful() is False


def _invert(x):
    return 1 / x


@claim(
    "It runs in a thread of the parent process that handles the pool's results",
    page=APPLY_ERRORS,
    alone=True,
)
def error_callback_thread():
    seen = []
    done = threading.Event()

    def on_error(exc):
        seen.append(
            (
                type(exc),
                os.getpid(),
                threading.current_thread() is threading.main_thread(),
            )
        )
        done.set()

    with context().Pool(1) as pool:
        pool.apply_async(_invert, (0,), error_callback=on_error)
        assert done.wait(BOUND)
    assert seen == [(ZeroDivisionError, os.getpid(), False)]


# --- joining before draining --------------------------------------------------


@claim("A pipe holds only a small buffer (64 KiB by default on Linux)", page=DRAIN)
def pipe_buffer_64k():
    if not sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    import fcntl

    read, write = os.pipe()
    try:
        assert fcntl.fcntl(read, 1032) == 64 * 1024  # F_GETPIPE_SZ
    finally:
        os.close(read)
        os.close(write)


@claim(
    "``put()`` itself never blocks on an unbounded queue: it hands the item to the "
    "feeder thread and returns",
    page=DRAIN,
)
def put_returns_with_full_pipe():
    q = multiprocessing.Queue()
    for _ in range(4):
        returns_at_once(lambda: q.put(b"x" * 100_000))
    assert [len(q.get(timeout=BOUND)) for _ in range(4)] == [100_000] * 4
    close_queue(q)


def _put_large(q):
    for _ in range(4):
        q.put(b"x" * 100_000)


@claim(
    "Reading the queue unblocks the feeder thread, and then the child exits at once.",
    page=DRAIN,
    alone=True,
)
def join_before_drain():
    ctx = context()
    q = ctx.Queue()
    child = ctx.Process(target=_put_large, args=(q,))
    child.start()
    child.join(0.5)
    assert child.is_alive() and child.exitcode is None
    items = [q.get(timeout=BOUND) for _ in range(4)]
    child.join(BOUND)
    assert child.exitcode == 0 and len(items) == 4


# --- chapter introductions ----------------------------------------------------


@claim("an item put may not be visible at once", page="examples/process_queues/README")
def readme_item_not_visible():
    q = multiprocessing.Queue()
    gate = Gate()
    q.put(gate)
    visible = not q.empty()
    gate.opened.set()
    assert not visible
    assert q.get(timeout=BOUND) == 7
    close_queue(q)


@claim(
    "the end of the conversation is signalled only when every copy of the sending end "
    "has been closed",
    page="examples/pipes/README",
)
def readme_pipe_eof():
    from multiprocessing.connection import Connection

    receive, send = multiprocessing.Pipe(duplex=False)
    copy = Connection(os.dup(send.fileno()))
    send.close()
    assert not receive.poll(0.05)
    copy.close()
    raises(EOFError, receive.recv)
    receive.close()


_GLOBAL = ["parent"]


def _change_global(conn):
    _GLOBAL[0] = "changed in the child"
    conn.send(_GLOBAL[0])
    conn.close()


@claim(
    "Processes do not share memory by default: each has its own copy of every object.",
    page="examples/shared_state/README",
    alone=True,
)
def readme_no_shared_memory():
    ctx = context()
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_change_global, args=(send,))
    child.start()
    send.close()
    assert receive.recv() == "changed in the child"
    child.join(BOUND)
    receive.close()
    assert _GLOBAL == ["parent"]


@claim(
    "so access sends no message, but an update that reads and then writes needs "
    "explicit locking.",
    page="examples/shared_state/README",
)
def readme_value_no_message():
    value = multiprocessing.Value("i", 0)
    # no manager, no connection: the number lives in a shared memory block
    assert not isinstance(value, multiprocessing.managers.BaseProxy)
    assert type(value.get_obj()).__name__ == "c_int"
