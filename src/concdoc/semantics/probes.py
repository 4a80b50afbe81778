"""Probes: call each operation on a fresh queue and record what happens.

Every cell of :data:`~concdoc.semantics.model.TABLES` is filled by running the
call on the running interpreter. A call that might wait forever runs through
a driver with a bound (:data:`~concdoc.semantics.model.BLOCK_BOUND`); if it
has not finished by then it is recorded as ``blocks`` and released by an
operation from the other side, so nothing is left waiting.
"""

from __future__ import annotations

import functools
import itertools
import platform
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from concdoc.semantics.drivers import (
    AsyncioDriver,
    Driver,
    GeventDriver,
    ThreadDriver,
)
from concdoc.semantics.implementations import (
    _START_METHOD,
    IMPLEMENTATIONS,
    Implementation,
    Maker,
)
from concdoc.semantics.model import BLOCK_BOUND, TIMEOUT, Cell, Report, cell_key
from concdoc.semantics.observe import (
    Call,
    accepts,
    not_applicable,
    observe,
    public_name,
    short_repr,
    tally,
)

# the API page documents these; the TIMING_* and VISIBILITY_TRIES settings are
# the probes' own
__all__ = ["probe", "probe_all"]

#: Timeouts whose real blocked time is measured (seconds).
TIMING_REQUESTS = (0.01, 0.03, 0.1)
#: Measurements per requested timeout.
TIMING_REPEATS = 3
#: Tries of "put, then look at once" in the visibility probe.
VISIBILITY_TRIES = 20
#: Items put by the maxsize probe.
CAPACITY_ITEMS = 64

_PYTHON = f"Python {platform.python_version()}"
#: How long a helper process may take to start or answer (seconds).
_CHILD_BOUND = 30.0


def _put_on_request(q: Any, conn: Any, tries: int) -> None:
    """In a child process: for each request on ``conn``, put it, then reply."""
    for _ in range(tries):
        if not conn.poll(_CHILD_BOUND):
            return
        item = conn.recv()
        q.put(item)
        conn.send("put returned")
    conn.close()


class _Prober:
    """Probes one implementation; fills ``report``."""

    def __init__(self, impl: Implementation, make: Maker, driver: Driver) -> None:
        self.impl = impl
        self.make = make
        self.driver = driver
        self.is_async = impl.family == "asyncio"
        self.report = Report()

    # --- helpers --------------------------------------------------------

    def new(self, maxsize: Any = None) -> Any:
        return self.driver.run(lambda: self.make(maxsize))

    def put(self, q: Any, item: Any) -> None:
        self.driver.run(lambda: q.put(item))

    def get(self, q: Any) -> Any:
        return self.driver.run(q.get)

    def set(self, table: str, column: str, cell: Cell) -> None:
        self.report.cells[cell_key(table, column)] = cell

    def timed(self, call: Call, seconds: float) -> Call:
        """``call`` bounded by ``seconds``: through wait_for for asyncio."""
        text, fn = call
        if not self.is_async:
            return call
        import asyncio

        return (
            f"await asyncio.wait_for({text.removeprefix('await ')}, {seconds:g})",
            lambda: asyncio.wait_for(fn(), seconds),
        )

    def operation(
        self, q: Any, method: str, args: tuple[Any, ...], kwargs: dict[str, Any] | None
    ) -> Call | Cell:
        """The call ``q.method(*args, **kwargs)``, or an n/a cell.

        ``kwargs=None`` means the ``_nowait`` variant. For asyncio, a
        ``timeout`` becomes :func:`asyncio.wait_for`.
        """
        shown_args = ", ".join("x" for _ in args)
        if kwargs is None:
            name = f"{method}_nowait"
            text = f"q.{name}({shown_args})"
            if not hasattr(q, name):
                return not_applicable(text, f"no {name}() method")
            bound = getattr(q, name)
            return text, lambda: bound(*args)
        bound = getattr(q, method)

        def spelled(pairs: dict[str, Any]) -> str:
            words = [shown_args] * bool(args) + [f"{k}={v}" for k, v in pairs.items()]
            return f"q.{method}({', '.join(words)})"

        requested = spelled(kwargs)
        kwargs = dict(kwargs)
        timeout = kwargs.pop("timeout", None) if self.is_async else None
        text = spelled(kwargs)
        for parameter in kwargs:
            if not accepts(bound, parameter):
                return not_applicable(
                    requested, f"{method}() takes no {parameter!r} argument"
                )
        call: Call = (
            ("await " if self.is_async else "") + text,
            lambda: bound(*args, **kwargs),
        )
        return self.timed(call, timeout) if timeout is not None else call

    # --- put / get --------------------------------------------------------

    _VARIANTS: dict[str, dict[str, Any] | None] = {
        "block": {},
        "timeout-zero": {"timeout": 0},
        "timeout": {"timeout": TIMEOUT},
        "timeout-negative": {"timeout": -1},
        "nonblocking": {"block": False},
        "nonblocking-timeout": {"block": False, "timeout": TIMEOUT},
        "nowait": None,
    }

    def full_queue(self) -> Any | str:
        """A full queue, or why this implementation cannot be full."""
        if self.impl.rendezvous:
            return self.new()  # full until someone waits in get()
        try:
            q = self.new(1)
        except TypeError as exc:
            return f"cannot be made full: {exc}"
        self.put(q, "first")
        return q

    def probe_put_get(self) -> None:
        for column, kwargs in self._VARIANTS.items():
            q = self.full_queue()
            if isinstance(q, str):
                self.set("put-full", column, not_applicable("q.put(x)", q))
            else:
                self.set_operation("put-full", column, q, "put", ("x",), kwargs)
            self.set_operation("get-empty", column, self.new(), "get", (), kwargs)

    def set_operation(
        self,
        table: str,
        column: str,
        q: Any,
        method: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any] | None,
    ) -> None:
        call = self.operation(q, method, args, kwargs)
        if isinstance(call, Cell):
            self.set(table, column, call)
            return
        if method == "put":
            release: Callable[[], Any] = q.get
        else:

            def release() -> Any:
                return q.put("released")

        bound = BLOCK_BOUND + (TIMEOUT if kwargs and "timeout" in kwargs else 0)
        self.set(table, column, observe(self.driver, call, release, bound))

    def probe_asyncio_timeouts(self) -> None:
        import asyncio

        q = self.new()
        wait_for = self.timed(("await q.get()", q.get), TIMEOUT)
        self.set(
            "asyncio-timeout", "wait-for", observe(self.driver, wait_for, None, 1.0)
        )
        zero = self.timed(("await q.get()", q.get), 0)
        self.set(
            "asyncio-timeout", "wait-for-zero", observe(self.driver, zero, None, 1.0)
        )
        text = f"async with asyncio.timeout({TIMEOUT:g}): await q.get()"
        if sys.version_info < (3, 11):  # asyncio.timeout() is new in 3.11
            self.set(
                "asyncio-timeout",
                "timeout-cm",
                not_applicable(
                    text, f"asyncio.timeout() is not available on {_PYTHON}"
                ),
            )
            return

        async def with_timeout() -> Any:
            async with asyncio.timeout(TIMEOUT):
                return await q.get()

        self.set(
            "asyncio-timeout",
            "timeout-cm",
            observe(self.driver, (text, with_timeout), None, 1.0),
        )

    # --- capacity, size, visibility -----------------------------------

    def probe_maxsize(self) -> None:
        for column, maxsize in (("zero", 0), ("negative", -1)):
            text = f"{self.impl.name.rpartition('.')[2]}(maxsize={maxsize})"
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    q = self.new(maxsize)
            except Exception as exc:  # noqa: BLE001 - the exception is the data
                self.set(
                    "maxsize",
                    column,
                    Cell("raises", public_name(type(exc)), None, text, str(exc)),
                )
                continue
            accepted = [0]

            def fill(q: Any = q, accepted: list[int] = accepted) -> str:
                put = getattr(q, "put_nowait", None) or q.put
                for _ in range(CAPACITY_ITEMS):
                    put("x")
                    accepted[0] += 1
                return f"{CAPACITY_ITEMS} puts accepted: no limit"

            cell = observe(
                self.driver,
                (f"{text}, then {CAPACITY_ITEMS} × put_nowait(x)", fill),
                None,
            )
            cell.note = " ".join(f"{w.category.__name__}: {w.message}." for w in caught)
            if cell.outcome != "returns":
                cell.note += f" After {accepted[0]} items accepted."
            else:
                cell.value = cell.value.strip("'") if cell.value else cell.value
            self.set("maxsize", column, cell)

    def probe_size(self) -> None:
        q = None
        if not self.impl.rendezvous:
            try:
                q = self.new(2)
            except TypeError:  # no maxsize: it is never full
                q = self.new()
        if q is not None:
            self.put(q, "item")
            self.wait_visible(q)
        for method in ("qsize", "empty", "full"):
            text = f"q.{method}()"
            if q is None:
                self.set(
                    "size", method, not_applicable(text, "a channel holds no items")
                )
                continue
            if not hasattr(q, method):
                self.set("size", method, not_applicable(text, f"no {method}() method"))
                continue
            self.set("size", method, observe(self.driver, (text, getattr(q, method))))

    def wait_visible(self, q: Any, bound: float = 1.0) -> None:
        """Wait (bounded) until ``empty()`` sees the item just put."""
        empty = getattr(q, "empty", None)
        deadline = time.monotonic() + bound
        while empty is not None and time.monotonic() < deadline:
            try:
                if not self.driver.run(empty):
                    return
            except (NotImplementedError, OSError):
                return
            time.sleep(0.001)

    def probe_visibility(self) -> None:
        self.probe_other_process()
        if self.impl.rendezvous:
            for column in ("empty", "get-nowait"):
                self.set(
                    "visibility",
                    column,
                    not_applicable("", "a channel holds no items"),
                )
            return
        q = self.new()
        for column, method in (("empty", "empty"), ("get-nowait", "get_nowait")):
            text = f"q.put(x); q.{method}()"
            look = getattr(q, method, None)
            if look is None:
                self.set(
                    "visibility", column, not_applicable(text, f"no {method}() method")
                )
                continue
            put = getattr(q, "put_nowait", None) or q.put
            outcomes: list[Cell] = []
            for i in range(VISIBILITY_TRIES):

                def put_then_look(
                    i: int = i, put: Any = put, look: Any = look, method: str = method
                ) -> Any:
                    put(i)
                    seen = look()
                    return "the item" if seen == i and method != "empty" else seen

                outcomes.append(observe(self.driver, (text, put_then_look)))
                if outcomes[-1].outcome != "returns" or method == "empty":
                    self.get(q)  # take the item, however long delivery takes
            self.set("visibility", column, tally(text, outcomes))

    def probe_other_process(self) -> None:
        """A child process puts, says so through a pipe; we look at once."""
        text = "child: q.put(x), then tells us; we: q.get_nowait()"
        if not self.impl.processes:
            why = "not shared between processes"
            self.set("visibility", "other-process", not_applicable(text, why))
            return
        q = self.new()
        if not hasattr(q, "get_nowait"):
            why = "no get_nowait() method"
            self.set("visibility", "other-process", not_applicable(text, why))
            return
        import multiprocessing

        # typeshed's BaseContext (what get_context(str) returns) lacks Process
        context: Any = multiprocessing.get_context(_START_METHOD)
        ours, theirs = context.Pipe()
        child = context.Process(
            target=_put_on_request, args=(q, theirs, VISIBILITY_TRIES), daemon=True
        )
        child.start()
        theirs.close()
        outcomes: list[Cell] = []
        try:
            for i in range(VISIBILITY_TRIES):
                ours.send(i)
                if not ours.poll(_CHILD_BOUND):
                    raise TimeoutError(f"the child did not put within {_CHILD_BOUND} s")
                ours.recv()

                def look(i: int = i) -> str:
                    return "the item" if q.get_nowait() == i else "another item"

                outcomes.append(observe(self.driver, (text, look)))
                if outcomes[-1].outcome != "returns":
                    self.get(q)
        finally:
            ours.close()
            child.join(_CHILD_BOUND)
            if child.is_alive():
                child.kill()
                child.join()
        self.set("visibility", "other-process", tally(text, outcomes))

    # --- tasks, order, shutdown, close ----------------------------------

    def probe_tasks(self) -> None:
        q = self.new() if not self.impl.rendezvous else None
        if q is None or not hasattr(q, "task_done"):
            for column in ("join-idle", "join-pending", "balanced", "too-many"):
                self.set(
                    "tasks",
                    column,
                    not_applicable("q.task_done()", "no task_done() method"),
                )
            return
        self.set("tasks", "join-idle", observe(self.driver, ("q.join()", q.join)))
        self.put(q, "item")

        def finish_item(q: Any = q) -> None:
            q.get_nowait() if self.is_async else q.get()
            q.task_done()

        self.set(
            "tasks",
            "join-pending",
            observe(self.driver, ("q.join()", q.join), finish_item),
        )
        q = self.new()
        self.put(q, "item")
        self.get(q)
        self.driver.run(q.task_done)
        self.set("tasks", "balanced", observe(self.driver, ("q.join()", q.join)))
        self.set(
            "tasks", "too-many", observe(self.driver, ("q.task_done()", q.task_done))
        )

    def probe_order(self) -> None:
        cases = (
            ("order", (2, 3, 1)),
            ("ties", ((1, "b"), (1, "a"))),
            ("incomparable", ((1, {"job": "a"}), (1, {"job": "b"}))),
        )
        for column, items in cases:
            text = (
                "; ".join(f"q.put({i!r})" for i in items)
                + "; q.get() × "
                + str(len(items))
            )
            if self.impl.rendezvous:
                self.set(
                    "order", column, not_applicable(text, "a channel holds no items")
                )
                continue
            q = self.new()
            start = time.monotonic()
            try:
                for item in items:
                    self.put(q, item)
            except Exception as exc:  # noqa: BLE001 - the exception is the data
                elapsed = time.monotonic() - start
                cell = Cell("raises", public_name(type(exc)), elapsed, text, str(exc))
            else:
                got = [self.get(q) for _ in items]
                cell = Cell("returns", short_repr(got), None, text)
            self.set("order", column, cell)

    def probe_shutdown(self) -> None:
        columns = ("put", "get-empty", "get-item", "get-item-immediate", "waiting")
        q: Any = self.new() if not self.impl.rendezvous else None
        if q is None or not hasattr(q, "shutdown"):
            where = "a channel" if q is None else _PYTHON
            for column in columns:
                self.set(
                    "shutdown",
                    column,
                    not_applicable("q.shutdown()", f"no shutdown() on {where}"),
                )
            return
        q.shutdown()
        aw = "await " if self.is_async else ""
        self.set(
            "shutdown",
            "put",
            observe(self.driver, (f"{aw}q.put(x)", lambda: q.put("x"))),
        )
        self.set("shutdown", "get-empty", observe(self.driver, (f"{aw}q.get()", q.get)))
        for column, immediate in (("get-item", False), ("get-item-immediate", True)):
            q = self.new()
            self.put(q, "item")
            self.wait_visible(q)
            self.driver.run(functools.partial(q.shutdown, immediate=immediate))
            self.set("shutdown", column, observe(self.driver, (f"{aw}q.get()", q.get)))
        q = self.new()
        attempt = self.driver.attempt(q.get, BLOCK_BOUND)
        text = f"{aw}q.get(); q.shutdown() from elsewhere"
        if attempt.done.is_set():
            self.set("shutdown", "waiting", not_applicable(text, "get() did not wait"))
            return
        self.driver.run(q.shutdown)
        attempt.finish()
        if attempt.error is not None:
            cell = Cell(
                "raises",
                public_name(type(attempt.error)),
                None,
                text,
                str(attempt.error),
            )
        elif attempt.done.is_set():
            cell = Cell("returns", short_repr(attempt.value), None, text)
        else:
            cell = Cell("blocks", call=text, note="shutdown() did not wake it")
        self.set("shutdown", "waiting", cell)

    def probe_close(self) -> None:
        columns = ("put", "get", "join-early", "join", "cancel")
        probe = self.new() if not self.impl.rendezvous else None
        if probe is None or not hasattr(probe, "close"):
            for column in columns:
                self.set(
                    "close", column, not_applicable("q.close()", "no close() method")
                )
            return
        q = self.new()
        q.close()
        self.set("close", "put", observe(self.driver, ("q.put(x)", lambda: q.put("x"))))
        q = self.new()
        q.close()
        self.set("close", "get", observe(self.driver, ("q.get()", q.get)))
        if not hasattr(probe, "join_thread"):
            for column in ("join-early", "join", "cancel"):
                self.set(
                    "close",
                    column,
                    not_applicable("q.join_thread()", "no join_thread() method"),
                )
            return
        q = self.new()
        self.set(
            "close",
            "join-early",
            observe(self.driver, ("q.join_thread()", q.join_thread)),
        )
        q = self.new()
        q.put("x")
        q.close()
        self.set(
            "close", "join", observe(self.driver, ("q.join_thread()", q.join_thread))
        )
        q = self.new()
        q.put("x")
        self.set(
            "close",
            "cancel",
            observe(self.driver, ("q.cancel_join_thread()", q.cancel_join_thread)),
        )

    # --- timing -----------------------------------------------------------

    def probe_timing(self, call: Callable[[Any, float], Call], q: Any) -> None:
        for requested in TIMING_REQUESTS:
            for _ in range(TIMING_REPEATS):
                cell = observe(self.driver, call(q, requested), None, requested + 1.0)
                if cell.elapsed is not None:
                    self.report.timing.append([requested, cell.elapsed])

    def queue_timeout_call(self, q: Any, seconds: float) -> Call:
        if self.is_async:
            return self.timed(("await q.get()", q.get), seconds)
        return f"q.get(timeout={seconds:g})", lambda: q.get(timeout=seconds)

    def run_queue(self) -> None:
        groups = [
            self.probe_put_get,
            *([self.probe_asyncio_timeouts] if self.is_async else []),
            self.probe_maxsize,
            self.probe_size,
            self.probe_visibility,
            self.probe_tasks,
            self.probe_order,
            self.probe_shutdown,
            self.probe_close,
        ]
        for group in groups:
            self.guarded(group)

    def guarded(self, group: Callable[[], None]) -> None:
        """Run one group of probes; an unexpected error is reported, not raised.

        The group's remaining cells are then missing, and ``report.reason``
        names the group and the error (an interpreter newer than these probes
        may change an API).
        """
        try:
            group()
        except Exception as exc:  # noqa: BLE001 - reported in the data
            error = f"{group.__name__} failed: {public_name(type(exc))}: {exc}"
            self.report.reason = "; ".join(filter(None, [self.report.reason, error]))

    def time_queue(self) -> None:
        q = self.new()
        if self.is_async or accepts(q.get, "timeout"):
            self.probe_timing(self.queue_timeout_call, q)

    # --- pipes --------------------------------------------------------------

    def run_pipe(self) -> None:
        def wake(end: Any) -> Callable[[], None]:
            return lambda: end.send("wake up")

        a, b = self.make(True)
        self.set("pipe", "recv", observe(self.driver, ("a.recv()", a.recv), wake(b)))
        for column, args in (
            ("poll", ()),
            ("poll-timeout", (TIMEOUT,)),
            ("poll-negative", (-1,)),
        ):
            text = f"a.poll({', '.join(map(str, args))})"
            self.set(
                "pipe",
                column,
                observe(
                    self.driver,
                    (text, functools.partial(a.poll, *args)),
                    wake(b),
                    BLOCK_BOUND + TIMEOUT,
                ),
            )
        self.set(
            "pipe",
            "poll-none",
            observe(self.driver, ("a.poll(None)", lambda: a.poll(None)), wake(b)),
        )
        while a.poll():
            a.recv()
        b.close()
        self.set("pipe", "eof", observe(self.driver, ("a.recv()", a.recv)))
        self.set("pipe", "poll-closed", observe(self.driver, ("a.poll()", a.poll)))
        a, b = self.make(True)
        a.close()
        self.set(
            "pipe",
            "send-closed",
            observe(self.driver, ("b.send(x)", lambda: b.send("x"))),
        )
        receiving, _sending = self.make(False)
        self.set(
            "pipe",
            "wrong-end",
            observe(self.driver, ("r.send(x)", lambda: receiving.send("x"))),
        )

    def time_pipe(self) -> None:
        a, _b = self.make(True)
        self.probe_timing(
            lambda end, seconds: (f"a.poll({seconds:g})", lambda: end.poll(seconds)), a
        )


_DRIVERS: dict[str, Callable[[], Driver]] = {
    "thread": ThreadDriver,
    "pipe": ThreadDriver,
    "asyncio": AsyncioDriver,
    "gevent": GeventDriver,
}


def _missing_reason(exc: ImportError | AttributeError) -> str:
    """Why an implementation is missing: an older Python, or a package not installed."""
    module = getattr(exc, "name", None) or ""
    if isinstance(exc, ImportError) and module.partition(".")[0] not in (
        sys.stdlib_module_names
    ):
        return f"not installed: {exc}"
    return f"not available on {_PYTHON}: {exc}"


def _run(impl: Implementation, phase: str) -> Report:
    """Run one phase (``"cells"`` or ``"timing"``) of the probes of ``impl``."""
    try:
        opener = impl.opener()
        make = opener.__enter__()
    except (ImportError, AttributeError) as exc:
        return Report(available=False, reason=_missing_reason(exc))
    driver = _DRIVERS[impl.family]()
    try:
        prober = _Prober(impl, make, driver)
        kind = "pipe" if impl.family == "pipe" else "queue"
        prober.guarded(
            getattr(prober, f"{'run' if phase == 'cells' else 'time'}_{kind}")
        )
        return prober.report
    finally:
        driver.close()
        opener.__exit__(None, None, None)


def probe(impl: Implementation) -> Report:
    """Probe one implementation on the running interpreter.

    Returns a report with ``available=False`` (and the reason) when the
    implementation does not exist here; never raises for that.
    """
    report = _run(impl, "cells")
    if report.available:
        report.timing = _run(impl, "timing").timing
    return report


def probe_all(
    names: Iterable[str] | None = None,
    workers: int = 4,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Report]:
    """Probe every implementation (or those called ``names``), in table order.

    The behaviour probes of several implementations run side by side in
    ``workers`` threads (they spend their time waiting); the timing probes
    run afterwards, one implementation at a time, so that they measure the
    implementation rather than the other probes. ``progress``, if given, is
    called with a line of text as each implementation's probes end (from the
    probing threads, one call at a time).

    Raises
    ------
    KeyError
        If a name is not one of
        :data:`~concdoc.semantics.implementations.IMPLEMENTATIONS`.
    """
    from concdoc.semantics.implementations import implementation

    chosen = [implementation(n) for n in names] if names else list(IMPLEMENTATIONS)
    done = itertools.count(1)
    report_lock = threading.Lock()

    def tell(impl: Implementation, what: str) -> None:
        if progress is not None:
            with report_lock:
                progress(f"{what} {next(done)}/{2 * len(chosen)}: {impl.name}")

    def behaviour(impl: Implementation) -> Report:
        report = _run(impl, "cells")
        tell(impl, "behaviour")
        return report

    with ThreadPoolExecutor(
        max(1, workers), thread_name_prefix="concdoc-probe"
    ) as pool:
        reports = dict(
            zip(
                (impl.name for impl in chosen),
                pool.map(behaviour, chosen),
                strict=True,
            )
        )
    for impl in chosen:
        if reports[impl.name].available:
            reports[impl.name].timing = _run(impl, "timing").timing
        tell(impl, "timing")
    return reports
