"""Checks behind docs/reference/free-threaded.md and docs/reference/choosing.md."""

from __future__ import annotations

import asyncio
import os
import sys
import sysconfig
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pytest

from claims import claim
from claims._util import BOUND, context, raises, run_script

FREE = "reference/free-threaded"
CHOOSING = "reference/choosing"
PAGE = FREE


def _gil_build() -> None:
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        pytest.fail("this interpreter is a free-threaded build")


@claim(
    "a check kept with the site's sources fails if the interpreter that runs it has "
    '`sysconfig.get_config_var("Py_GIL_DISABLED")` set.'
)
def not_free_threaded():
    _gil_build()
    if hasattr(sys, "_is_gil_enabled"):
        assert sys._is_gil_enabled()  # noqa: SLF001


@claim(
    '`sysconfig.get_config_var("Py_GIL_DISABLED")` is `1` on a free-threaded build '
    "and `0` otherwise (`None` before Python 3.13, which did not define it)."
)
def gil_disabled_variable():
    value = sysconfig.get_config_var("Py_GIL_DISABLED")
    if sys.version_info < (3, 13):
        assert value is None
    else:
        assert value in (0, 1)


@claim("`sys._is_gil_enabled()` (Python 3.13 and later)")
def is_gil_enabled_version():
    assert hasattr(sys, "_is_gil_enabled") == (sys.version_info >= (3, 13))


@claim("(`sys.getswitchinterval()`, 5 ms by default)", alone=True)
def switch_interval_default():
    result = run_script("import sys; print(sys.getswitchinterval())")
    assert float(result.stdout) == 0.005


counter = 0


def _nothing():
    pass


def _tight(start, times):
    global counter
    start.wait(BOUND)
    for _ in range(times):
        counter += 1


def _with_call(start, times):
    global counter
    start.wait(BOUND)
    for _ in range(times):
        seen = counter
        _nothing()
        counter = seen + 1


def _lost(body, threads=4, times=100_000) -> int:
    global counter
    counter = 0
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # ask for a switch as often as possible
    try:
        start = threading.Barrier(threads)  # all four loops run at the same time
        workers = [
            threading.Thread(target=body, args=(start, times)) for _ in range(threads)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(BOUND * 6)
    finally:
        sys.setswitchinterval(old)
    # a loop still running would be counted as lost updates
    assert not any(w.is_alive() for w in workers), "the loops did not finish"
    return threads * times - counter


@claim("four threads incrementing in a tight `+=` loop lose no update", alone=True)
def tight_loop_loses_nothing():
    _gil_build()
    assert [_lost(_tight) for _ in range(3)] == [0, 0, 0]


@claim(
    "while the same loop with a function call between the read and the write "
    "loses many in most runs",
    alone=True,
)
def call_between_read_and_write_loses():
    # how many are lost varies a lot from run to run, and some runs lose none
    # (the switches then all fall on the loop's jump): ask for a loss in one
    # of up to ten runs
    assert any(_lost(_with_call) > 1000 for _ in range(10))


# --- choosing a tool ----------------------------------------------------------


@claim(
    "A thread that dies of an uncaught exception leaves the process running",
    page=CHOOSING,
)
def dead_thread_leaves_process():
    seen = []
    old = threading.excepthook
    threading.excepthook = lambda args: seen.append(args.exc_type)
    try:
        thread = threading.Thread(target=lambda: 1 / 0)
        thread.start()
        thread.join(BOUND)
    finally:
        threading.excepthook = old
    assert seen == [ZeroDivisionError]
    assert threading.main_thread().is_alive()


def _die():
    os._exit(3)


@claim(
    "in a `ProcessPoolExecutor`, as a `BrokenProcessPool`", page=CHOOSING, alone=True
)
def executor_broken_pool():
    with ProcessPoolExecutor(1, mp_context=context()) as executor:
        future = executor.submit(_die)
        raises(BrokenProcessPool, lambda: future.result(timeout=BOUND))
        raises(BrokenProcessPool, lambda: executor.submit(abs, 1))


@claim(
    "A `multiprocessing.Pool` replaces a worker that died, but the task it was running "
    "never returns a result",
    page=CHOOSING,
    alone=True,
)
def pool_loses_dead_workers_task():
    with context().Pool(1) as pool:
        lost = pool.apply_async(_die)
        raises(context().TimeoutError, lambda: lost.get(timeout=1.0))
        assert pool.apply(abs, (-2,)) == 2  # a new worker took over


@claim(
    "blocking calls, unless moved to a thread with `asyncio.to_thread`", page=CHOOSING
)
def to_thread_runs_elsewhere():
    async def main():
        return await asyncio.to_thread(threading.get_ident)

    assert asyncio.run(main()) != threading.get_ident()


@claim(
    "a pool of workers that returns results and exceptions as futures", page=CHOOSING
)
def executor_futures_hold_exceptions():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as executor:
        good, bad = executor.submit(abs, -1), executor.submit(lambda: 1 / 0)
        assert good.result(BOUND) == 1
        assert isinstance(bad.exception(BOUND), ZeroDivisionError)
