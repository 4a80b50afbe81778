"""Checks behind the start-method, futures, asyncio and coroutine examples."""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import pickle
import sys
import threading
from concurrent.futures import (
    CancelledError,
    ThreadPoolExecutor,
    as_completed,
)
from concurrent.futures import (
    TimeoutError as FuturesTimeout,
)

import pytest

from claims import claim
from claims._util import BOUND, context, raises, returns_at_once, run_script

PAGE = "examples/start_methods/fork_only_code_broken"
GUARD = "examples/start_methods/main_guard_broken"
NO_SCRIPT = "examples/start_methods/no_script_broken"
INHERITS = "examples/start_methods/what_the_child_inherits"
BASICS = "examples/futures/executor_basics"
ORDER = "examples/futures/executor_completion_order"
FUTURES = "examples/futures/future_exceptions_cancellation"
GROUP = "examples/asyncio/task_group"
TIMEOUTS = "examples/asyncio/timeouts"
TO_THREAD = "examples/asyncio/to_thread"
AQUEUE = "examples/coroutines/asyncio_queue_timeouts"
GENERATOR = "examples/coroutines/generator_send"
GREENLET = "examples/coroutines/greenlet_switch"
CHANNEL = "examples/coroutines/gevent_queue_channel"
SPAWN = "examples/coroutines/gevent_spawn"
LOOP = "examples/pitfalls/blocking_in_event_loop_broken"


# --- start methods ------------------------------------------------------------


class _HoldsLock:
    def __init__(self):
        self.lock = threading.Lock()

    def run(self, conn):
        conn.send("ran")


class _HoldsSocket:
    def __init__(self):
        import socket

        self.sock = socket.socket()

    def run(self, conn):
        conn.send(self.sock.fileno() >= 0)
        conn.close()


def _start(ctx, target):
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=target, args=(send,))
    try:
        child.start()
    finally:
        send.close()
    try:
        return receive.recv()
    finally:
        child.join(BOUND)
        receive.close()


@claim("a bound method of an object holding a ``threading.Lock``", alone=True)
def spawn_lock_holder_fails():
    holder = _HoldsLock()
    raises(TypeError, lambda: _start(context("spawn"), holder.run))
    assert _start(context("fork"), holder.run) == "ran"


@claim(
    "a socket is fine, since ``multiprocessing`` knows how to hand one to a child",
    alone=True,
)
def spawn_socket_holder_works():
    holder = _HoldsSocket()
    try:
        assert _start(context("spawn"), holder.run) is True
    finally:
        holder.sock.close()


def _make_worker(factor):
    def work(conn):
        conn.send(factor * 2)
        conn.close()

    return work


@claim(
    "Under ``spawn`` and ``forkserver``, ``start()`` raises in the parent: a "
    "``PicklingError`` or an ``AttributeError``",
    alone=True,
)
def closure_fails_to_start():
    ctx = context("spawn")
    before = multiprocessing.active_children()
    raises(
        (pickle.PicklingError, AttributeError),
        lambda: _start(ctx, _make_worker(3)),
    )
    assert multiprocessing.active_children() == before
    assert _start(context("fork"), _make_worker(3)) == 6


@claim("a partial of a module-level function pickles too")
def partial_pickles():
    bound = functools.partial(pow, 2)
    assert pickle.loads(pickle.dumps(bound))(5) == 32
    raises(
        (pickle.PicklingError, AttributeError), lambda: pickle.dumps(_make_worker(1))
    )


@claim(
    "since Python 3.12 ``os.fork()`` warns with a ``DeprecationWarning`` when it "
    "detects other threads.",
    alone=True,
)
def fork_with_threads_warns():
    result = run_script(
        """
        import os, sys, threading, warnings
        warnings.simplefilter("always")
        stop = threading.Event()
        thread = threading.Thread(target=stop.wait)
        thread.start()
        with warnings.catch_warnings(record=True) as caught:
            pid = os.fork()
            if pid == 0:
                os._exit(0)
        os.waitpid(pid, 0)
        stop.set()
        thread.join()
        print(any(issubclass(w.category, DeprecationWarning) for w in caught))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(sys.version_info >= (3, 12))


_LOCK = threading.Lock()


def _try_lock(conn):
    conn.send(_LOCK.acquire(timeout=0.2))
    conn.close()


@claim(
    "a lock held by another thread at the moment of the fork stays held in the child "
    "for ever",
    alone=True,
)
def held_lock_stays_held():
    with _LOCK:
        ctx = context("fork")
        receive, send = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_try_lock, args=(send,))
        child.start()
    send.close()
    assert receive.recv() is False
    child.join(BOUND)
    receive.close()


_UNGUARDED = """
import multiprocessing, sys

def greet():
    print("hello from the child", flush=True)

multiprocessing.set_start_method(sys.argv[1])
child = multiprocessing.Process(target=greet)
child.start()
child.join()
print("exit code", child.exitcode, flush=True)
"""


@claim(
    "a process that is still importing its main module and tries to start another one "
    "gets a ``RuntimeError``.",
    page=GUARD,
    alone=True,
)
def unguarded_spawn_runtime_error():
    result = run_script(_UNGUARDED, "spawn")
    assert "RuntimeError" in result.stderr
    assert "hello from the child" not in result.stdout


@claim(
    "``fork`` does not import anything, so unguarded code happens to work there",
    page=GUARD,
    alone=True,
)
def unguarded_fork_works():
    result = run_script(_UNGUARDED, "fork")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["hello from the child", "exit code 0"]


@claim(
    "the main module is imported in the child under the name ``__mp_main__``, so the "
    "guarded code runs only in the parent.",
    page=GUARD,
    alone=True,
)
def mp_main_name():
    result = run_script(
        """
        import multiprocessing
        print("imported as", __name__, flush=True)

        def child():
            pass

        if __name__ == "__main__":
            multiprocessing.set_start_method("spawn")
            p = multiprocessing.Process(target=child)
            p.start()
            p.join()
        """
    )
    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.splitlines()) == [
        "imported as __main__",
        "imported as __mp_main__",
    ]


@claim(
    "Code typed into a notebook cell, an interactive session or ``python -c`` has no "
    "script behind it: the child has nothing to import, finds no ``greet`` and fails.",
    page=NO_SCRIPT,
    alone=True,
)
def no_script_fails_under_spawn():
    import subprocess

    program = (
        "import multiprocessing\n"
        "def greet():\n    print('hello')\n"
        "multiprocessing.set_start_method('spawn')\n"
        "p = multiprocessing.Process(target=greet)\np.start()\np.join()\n"
        "print('exit code', p.exitcode)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60
    )
    assert "AttributeError" in result.stderr
    assert "exit code 1" in result.stdout and "hello" not in result.stdout


@claim("(the parent's ``sys.path`` is passed to it)", page=NO_SCRIPT)
def spawn_passes_sys_path():
    from multiprocessing import spawn

    assert spawn.get_preparation_data("child")["sys_path"] == sys.path


def _parent_pid(conn):
    conn.send(os.getppid())
    conn.close()


@claim(
    "Only the ``forkserver`` child has a different parent: the fork server.",
    page=INHERITS,
    alone=True,
)
def forkserver_parent():
    parents = {}
    for method in ("fork", "spawn", "forkserver"):
        parents[method] = _start(context(method), _parent_pid)
    assert parents["fork"] == parents["spawn"] == os.getpid()
    assert parents["forkserver"] != os.getpid()


@claim("Linux has all three.", page=INHERITS)
def linux_has_three():
    if not sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    assert {"fork", "spawn", "forkserver"} <= set(
        multiprocessing.get_all_start_methods()
    )


@claim(
    "On Linux the default was ``fork`` up to Python 3.13 and is ``forkserver`` from "
    "Python 3.14 on",
    page=INHERITS,
    alone=True,
)
def linux_default_method():
    if not sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    result = run_script(
        "import multiprocessing; print(multiprocessing.get_start_method())"
    )
    expected = "forkserver" if sys.version_info >= (3, 14) else "fork"
    assert result.stdout.strip() == expected


# --- futures ------------------------------------------------------------------


@claim(
    "``submit(fn, *args)`` schedules one call and returns a ``Future`` at once",
    page=BASICS,
)
def submit_returns_future():
    from concurrent.futures import Future

    release = threading.Event()
    with ThreadPoolExecutor(1) as executor:
        future = returns_at_once(lambda: executor.submit(release.wait, BOUND))
        assert isinstance(future, Future) and not future.done()
        release.set()
        assert future.result(BOUND) is True


def _ordered_release(events, index):
    if index + 1 < len(events):
        assert events[index + 1].wait(BOUND)  # wait for the later item to finish
    events[index].set()
    return index


@claim(
    "``map(fn, items)`` schedules a call per item and yields the results in the order "
    "of the items, whichever finished first.",
    page=BASICS,
)
def executor_map_order():
    events = [threading.Event() for _ in range(3)]
    with ThreadPoolExecutor(3) as executor:
        results = list(executor.map(lambda i: _ordered_release(events, i), range(3)))
    assert results == [0, 1, 2]


@claim(
    "The ``with`` block calls ``shutdown()`` on exit, which waits for every submitted "
    "call and joins the threads.",
    page=BASICS,
)
def executor_with_shutdown():
    release = threading.Event()
    with ThreadPoolExecutor(2) as executor:
        futures = [executor.submit(release.wait, BOUND) for _ in range(2)]
        release.set()
        threads = list(executor._threads)  # noqa: SLF001
    assert all(f.done() for f in futures)
    assert not any(t.is_alive() for t in threads)


@claim(
    "``concurrent.futures.as_completed(futures)`` yields each future as soon as it is "
    "done, so the fastest result is handled first.",
    page=ORDER,
)
def as_completed_order():
    # Call i waits for gate i. Only call 2 may finish before as_completed() starts
    # (futures done before it starts come out in set order); the loop opens the
    # next gate after each result, so the futures finish in the order 2, 1, 0,
    # against their submission order.
    gates = [threading.Event() for _ in range(3)]
    gates[2].set()
    order = []
    with ThreadPoolExecutor(3) as executor:
        futures = [executor.submit(_after_gate, gates[i], i) for i in range(3)]
        for future in as_completed(futures, timeout=BOUND):
            order.append(future.result())
            if order[-1] > 0:
                gates[order[-1] - 1].set()
    assert order == [2, 1, 0]


def _after_gate(gate, index):
    assert gate.wait(BOUND)
    return index


@claim(
    "if the futures are not all done in time, the iteration raises ``TimeoutError``.",
    page=ORDER,
)
def as_completed_timeout():
    release = threading.Event()
    with ThreadPoolExecutor(1) as executor:
        future = executor.submit(release.wait, BOUND)
        raises(FuturesTimeout, lambda: list(as_completed([future], timeout=0.05)))
        release.set()
    if sys.version_info >= (3, 11):
        assert FuturesTimeout is TimeoutError


@claim(
    "``future.result()`` raises it again in the caller; ``future.exception()`` "
    "returns it (or ``None``) without raising.",
    page=FUTURES,
)
def future_exception():
    with ThreadPoolExecutor(1) as executor:
        bad = executor.submit(int, "x")
        good = executor.submit(int, "3")
        raises(ValueError, lambda: bad.result(BOUND))
        assert isinstance(bad.exception(), ValueError)
        assert good.exception(BOUND) is None and good.result() == 3


@claim(
    "Once a worker has started it, ``cancel()`` returns ``False`` and the call runs to "
    "the end",
    page=FUTURES,
)
def cancel_running():
    started, release = threading.Event(), threading.Event()

    def job():
        started.set()
        release.wait(BOUND)
        return "finished"

    with ThreadPoolExecutor(1) as executor:
        running = executor.submit(job)
        pending = executor.submit(abs, -1)
        assert started.wait(BOUND)
        assert running.cancel() is False
        assert pending.cancel() is True
        release.set()
        assert running.result(BOUND) == "finished"
        raises(CancelledError, pending.result)


@claim(
    "``shutdown(cancel_futures=True)`` (Python 3.9+) cancels every pending call "
    "at once.",
    page=FUTURES,
)
def shutdown_cancel_futures():
    started, release = threading.Event(), threading.Event()

    def job():
        started.set()
        release.wait(BOUND)

    executor = ThreadPoolExecutor(1)
    first = executor.submit(job)
    rest = [executor.submit(abs, -i) for i in range(3)]
    assert started.wait(BOUND)
    executor.shutdown(wait=False, cancel_futures=True)
    release.set()
    executor.shutdown(wait=True)
    assert first.done() and not first.cancelled()
    assert all(f.cancelled() for f in rest)


@claim(
    "The results before the failure are delivered; iterating further raises the item's "
    "exception",
    page=FUTURES,
)
def map_raises_at_failed_item():
    with ThreadPoolExecutor(2) as executor:
        results = executor.map(int, ["1", "2", "x", "4"])
        assert [next(results), next(results)] == [1, 2]
        raises(ValueError, lambda: next(results))


# --- asyncio ------------------------------------------------------------------


@claim(
    "When one task fails, the group cancels the others, waits for them, and raises an "
    "``ExceptionGroup`` holding the failures.",
    page=GROUP,
)
def task_group_cancels():
    if sys.version_info < (3, 11):
        pytest.skip("TaskGroup is new in 3.11")

    async def main():
        seen = []

        async def slow():
            try:
                await asyncio.sleep(BOUND)
            except asyncio.CancelledError:
                seen.append("slow cancelled")
                raise

        async def broken():
            await asyncio.sleep(0)
            raise ValueError("broken")

        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(slow())
                tg.create_task(broken())
        except ExceptionGroup as group:  # noqa: F821 - 3.11+
            return seen, [type(e) for e in group.exceptions]

    assert asyncio.run(main()) == (["slow cancelled"], [ValueError])


@claim(
    "``asyncio.gather()`` does neither by default: it passes on the first exception at "
    "once and leaves the other tasks running.",
    page=GROUP,
)
def gather_leaves_others():
    async def main():
        release = asyncio.Event()

        async def slow():
            await release.wait()
            return "slow done"

        async def broken():
            raise ValueError("broken")

        task = asyncio.ensure_future(slow())
        try:
            await asyncio.gather(task, broken())
        except ValueError:
            pass
        running = not task.done()
        release.set()
        return running, await task

    assert asyncio.run(main()) == (True, "slow done")


@claim(
    "The ``CancelledError`` raised inside is turned into ``TimeoutError`` as it leaves "
    "the block, and ``expired()`` says that the deadline caused it.",
    page=TIMEOUTS,
)
def timeout_block():
    if sys.version_info < (3, 11):
        pytest.skip("asyncio.timeout() is new in 3.11")

    async def main():
        seen = []
        try:
            async with asyncio.timeout(0.02) as deadline:
                try:
                    await asyncio.sleep(BOUND)
                except asyncio.CancelledError:
                    seen.append("cancelled inside")
                    raise
        except TimeoutError:
            seen.append("TimeoutError outside")
        return seen, deadline.expired()

    assert asyncio.run(main()) == (["cancelled inside", "TimeoutError outside"], True)


@claim(
    "Wrapping a task does not protect it: the task itself is cancelled.",
    page=TIMEOUTS,
)
def wait_for_cancels_task():
    async def main():
        task = asyncio.ensure_future(asyncio.sleep(BOUND))
        try:
            await asyncio.wait_for(task, 0.02)
        except (TimeoutError, asyncio.TimeoutError):
            pass
        return task.cancelled()

    assert asyncio.run(main()) is True


@claim(
    "Use ``asyncio.shield()`` around it if it must keep running after the caller "
    "gives up.",
    page=TIMEOUTS,
)
def shield_keeps_task():
    async def main():
        release = asyncio.Event()

        async def job():
            await release.wait()
            return "kept"

        task = asyncio.ensure_future(job())
        try:
            await asyncio.wait_for(asyncio.shield(task), 0.02)
        except (TimeoutError, asyncio.TimeoutError):
            pass
        alive = not task.done()
        release.set()
        return alive, await task

    assert asyncio.run(main()) == (True, "kept")


@claim(
    "runs ``func`` in a worker thread of the loop's default executor and suspends only "
    "the calling task",
    page=TO_THREAD,
)
def to_thread_default_executor():
    async def main():
        ident = await asyncio.to_thread(threading.get_ident)
        return ident, threading.get_ident()

    worker, loop_thread = asyncio.run(main())
    assert worker != loop_thread


@claim(
    "``asyncio.run()`` shuts the default executor down before it returns",
    page=TO_THREAD,
)
def run_shuts_executor_down():
    found = {}

    async def main():
        await asyncio.to_thread(
            lambda: found.setdefault("thread", threading.current_thread())
        )

    asyncio.run(main())
    found["thread"].join(BOUND)
    assert not found["thread"].is_alive()


@claim(
    "``get_nowait()`` and ``put_nowait()``, which raise ``asyncio.QueueEmpty`` and "
    "``asyncio.QueueFull``.",
    page=AQUEUE,
)
def asyncio_nowait():
    q = asyncio.Queue(1)
    raises(asyncio.QueueEmpty, q.get_nowait)
    q.put_nowait(1)
    raises(asyncio.QueueFull, lambda: q.put_nowait(2))


@claim("Its methods take no ``block`` or ``timeout`` arguments.", page=AQUEUE)
def asyncio_queue_no_timeout():
    import inspect

    for name in ("get", "put"):
        params = inspect.signature(getattr(asyncio.Queue, name)).parameters
        assert "block" not in params and "timeout" not in params


@claim(
    "Nothing fails and nothing warns (unless asyncio's debug mode is on)",
    page=LOOP,
)
def debug_mode_warns_slow_callback():
    import logging
    import time

    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    logger = logging.getLogger("asyncio")
    handler = Keep(logging.WARNING)
    logger.addHandler(handler)

    async def main():
        asyncio.get_running_loop().slow_callback_duration = 0.01
        time.sleep(0.05)  # the blocking call this check is about

    try:
        asyncio.run(main(), debug=False)
        quiet = list(records)
        asyncio.run(main(), debug=True)
    finally:
        logger.removeHandler(handler)
    assert quiet == []
    assert any("took" in message for message in records)


# --- coroutines ---------------------------------------------------------------


def _consumer():
    result = ""
    while True:
        n = yield result
        result = f"ok {n}"


@claim(
    "A generator has to be started with ``next()`` (or ``send(None)``) before it can "
    "receive anything",
    page=GENERATOR,
)
def generator_needs_start():
    raises(TypeError, lambda: _consumer().send(1))
    c = _consumer()
    c.send(None)
    assert c.send(1) == "ok 1"


@claim(
    "``close()`` raises ``GeneratorExit`` inside the paused consumer, which ends it "
    "cleanly.",
    page=GENERATOR,
)
def close_raises_generator_exit():
    seen = []

    def consumer():
        try:
            while True:
                yield
        except GeneratorExit:
            seen.append("GeneratorExit")
            raise

    c = consumer()
    next(c)
    c.close()
    assert seen == ["GeneratorExit"]
    raises(StopIteration, lambda: next(c))


@claim(
    "``g.switch()`` pauses the current greenlet and continues ``g`` exactly where it "
    "stopped.",
    page=GREENLET,
)
def greenlet_resumes_where_stopped():
    greenlet = pytest.importorskip("greenlet")
    steps = []

    def body():
        steps.append("first half")
        greenlet.getcurrent().parent.switch()
        steps.append("second half")

    g = greenlet.greenlet(body)
    g.switch()
    steps.append("main")
    g.switch()
    assert steps == ["first half", "main", "second half"] and g.dead


@claim(
    "``put_nowait()`` raises ``queue.Full`` (gevent reuses the standard exceptions)",
    page=CHANNEL,
    alone=True,
)
def gevent_standard_exceptions():
    import queue

    pytest.importorskip("gevent")
    import gevent.queue

    assert gevent.queue.Full is queue.Full and gevent.queue.Empty is queue.Empty
    raises(queue.Full, lambda: gevent.queue.Channel().put_nowait(1))


@claim(
    "A ``Queue(2)`` accepts two items without any reader, then behaves like the "
    "channel: a third ``put_nowait()`` raises ``Full``.",
    page=CHANNEL,
    alone=True,
)
def gevent_bounded_queue():
    import queue

    pytest.importorskip("gevent")
    import gevent.queue

    q = gevent.queue.Queue(2)
    q.put_nowait(1)
    q.put_nowait(2)
    raises(queue.Full, lambda: q.put_nowait(3))


@claim(
    "``monkey.patch_all()`` replaces functions in standard modules such as ``time``, "
    "``socket`` and ``threading`` with cooperative versions.",
    page=SPAWN,
    alone=True,
)
def patch_all_replaces():
    pytest.importorskip("gevent")
    result = run_script(
        """
        from gevent import monkey
        monkey.patch_all()
        import socket, threading, time
        import gevent, gevent.socket
        print(time.sleep is gevent.sleep, socket.socket is gevent.socket.socket,
              monkey.is_module_patched("threading"))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]


@claim(
    "(A module that calls ``time.sleep()`` through ``time`` at run time gets the "
    "patched one, wherever it was imported.)",
    page=SPAWN,
    alone=True,
)
def late_module_lookup_patched():
    pytest.importorskip("gevent")
    result = run_script(
        """
        import time
        def nap():
            return time.sleep
        from gevent import monkey
        monkey.patch_all()
        import gevent
        print(nap() is gevent.sleep)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


# --- the chapter introductions and the dask page ----------------------------


DASK = "examples/distributed/dask_producer_consumer"


@claim(
    "its blocking ``get()`` lets a consumer wait without burning CPU.",
    page="examples/thread_queues/README",
)
def readme_get_no_cpu():
    import queue
    import time

    q = queue.Queue()
    used = {}

    def consumer():
        started = time.thread_time()
        q.get()
        used["cpu"] = time.thread_time() - started

    from claims._util import still_waiting

    still_waiting(consumer, lambda: q.put(1))
    assert used["cpu"] < 0.05


@claim("``distributed.scheduler.allowed-failures``, 3 by default", page=DASK)
def dask_allowed_failures():
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    assert dask.config.get("distributed.scheduler.allowed-failures") == 3


@claim(
    "The scheduler always opens a small web server (the dashboard, when bokeh is "
    "installed); by default on one fixed port, so a second cluster on the same "
    "machine gets a warning.",
    page=DASK,
)
def dask_scheduler_http_port():
    pytest.importorskip("distributed")
    import warnings

    from distributed import LocalCluster

    def cluster(address):
        return LocalCluster(n_workers=0, processes=False, dashboard_address=address)

    with cluster(None) as first:
        taken = first.scheduler.http_server.port
        assert taken > 0  # no dashboard, still a web server
        with pytest.warns(UserWarning, match="already in use"), cluster(None):
            pass
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with cluster("127.0.0.1:0") as other:
                assert other.scheduler.http_server.port != taken
        assert not [w for w in caught if "already in use" in str(w.message)]


@claim(
    "the built-in ``TimeoutError`` on Python 3.11 and later, "
    "``asyncio.TimeoutError`` on Python 3.10, where the two are still different "
    "classes.",
    page=DASK,
)
def asyncio_timeout_error_alias():
    assert (asyncio.TimeoutError is TimeoutError) == (sys.version_info >= (3, 11))


@claim(
    "Because switches happen only at ``await``, one blocking call stops every task.",
    page="examples/asyncio/README",
)
def readme_blocking_call_stops_tasks():
    import time

    async def main():
        beats = []

        async def heartbeat():
            for _ in range(3):
                beats.append(time.monotonic())
                await asyncio.sleep(0)

        task = asyncio.ensure_future(heartbeat())
        await asyncio.sleep(0)  # the heartbeat runs once
        time.sleep(0.1)  # the blocking call: nothing else runs meanwhile
        ran_during = len(beats)
        await task
        return ran_during, beats

    ran_during, beats = asyncio.run(main())
    assert ran_during == 1
    assert beats[1] - beats[0] >= 0.1
