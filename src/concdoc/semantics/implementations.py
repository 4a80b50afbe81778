"""The queue implementations that are probed, and how to create each one.

Each :class:`Implementation` has a dotted name (``"queue.Queue"``), the
driver family that runs its calls, and an *opener*: a context manager that
yields ``make(maxsize)``, a function creating a fresh queue (``maxsize=None``
means the constructor's default), and cleans up afterwards (closes
multiprocessing queues, shuts the manager down). An opener raises
:class:`ImportError` or :class:`AttributeError` when the implementation does
not exist on the running interpreter.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

# the API page documents these; Maker and implementation() serve the probes
__all__ = ["IMPLEMENTATIONS", "Implementation"]

Maker = Callable[[Any], Any]

#: The start method of every process the probes start (the manager, the
#: helper that puts from another process), and so the context of the
#: multiprocessing queues: the probes run in several threads, which a
#: ``fork`` must not copy. A queue behaves the same in every context.
_START_METHOD = "spawn"


@dataclass(frozen=True)
class Implementation:
    """One probed implementation.

    Attributes
    ----------
    name : str
        Dotted public name, the key of the JSON output.
    family : {"thread", "asyncio", "gevent", "pipe"}
        ``"thread"``, ``"asyncio"``, ``"gevent"`` or ``"pipe"``: which driver
        runs its calls and which probes apply.
    opener : collections.abc.Callable
        Returns a context manager yielding ``make(maxsize)``.
    rendezvous : bool
        True for a channel without a buffer: ``put()`` waits for a getter.
    processes : bool
        True for a queue that can be shared with child processes.
    """

    name: str
    family: str
    opener: Callable[[], AbstractContextManager[Maker]]
    rendezvous: bool = False
    processes: bool = False


def _attribute(dotted: str) -> Any:
    module, _, attribute = dotted.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


def _construct(factory: Callable[..., Any], maxsize: Any) -> Any:
    return factory() if maxsize is None else factory(maxsize)


def _plain(dotted: str) -> Callable[[], AbstractContextManager[Maker]]:
    """Opener for a class that needs no cleanup."""

    @contextmanager
    def opener() -> Iterator[Maker]:
        factory = _attribute(dotted)
        yield lambda maxsize: _construct(factory, maxsize)

    return opener


def _dispose_process_queue(q: Any) -> None:
    for method in ("cancel_join_thread", "close"):
        try:
            getattr(q, method, lambda: None)()
        except (OSError, ValueError):
            pass


def _multiprocessing(kind: str) -> Callable[[], AbstractContextManager[Maker]]:
    """Opener for a ``multiprocessing`` queue; every queue made is closed after."""

    @contextmanager
    def opener() -> Iterator[Maker]:
        import multiprocessing

        factory = getattr(multiprocessing.get_context(_START_METHOD), kind)
        made: list[Any] = []

        def make(maxsize: Any) -> Any:
            q = _construct(factory, maxsize)
            made.append(q)
            return q

        try:
            yield make
        finally:
            for q in made:
                _dispose_process_queue(q)

    return opener


@contextmanager
def _manager_queue() -> Iterator[Maker]:
    import multiprocessing

    manager = multiprocessing.get_context(_START_METHOD).Manager()
    try:
        yield lambda maxsize: _construct(manager.Queue, maxsize)
    finally:
        manager.shutdown()


@contextmanager
def _interpreters_queue() -> Iterator[Maker]:
    interpreters = importlib.import_module("concurrent.interpreters")
    yield lambda maxsize: _construct(interpreters.create_queue, maxsize)


@contextmanager
def _pipe() -> Iterator[Maker]:
    import multiprocessing

    made: list[Any] = []

    def make(duplex: Any) -> Any:
        ends = multiprocessing.Pipe(True if duplex is None else duplex)
        made.extend(ends)
        return ends

    try:
        yield make
    finally:
        for end in made:
            end.close()


def _family(family: str, *names: str) -> list[Implementation]:
    return [Implementation(name, family, _plain(name)) for name in names]


#: Every implementation, in the order of the tables.
IMPLEMENTATIONS: tuple[Implementation, ...] = (
    *_family(
        "thread",
        "queue.Queue",
        "queue.LifoQueue",
        "queue.PriorityQueue",
        "queue.SimpleQueue",
    ),
    Implementation(
        "multiprocessing.Queue",
        "thread",
        _multiprocessing("Queue"),
        processes=True,
    ),
    Implementation(
        "multiprocessing.JoinableQueue",
        "thread",
        _multiprocessing("JoinableQueue"),
        processes=True,
    ),
    Implementation(
        "multiprocessing.SimpleQueue",
        "thread",
        _multiprocessing("SimpleQueue"),
        processes=True,
    ),
    Implementation(
        "multiprocessing.Manager().Queue", "thread", _manager_queue, processes=True
    ),
    Implementation("concurrent.interpreters.Queue", "thread", _interpreters_queue),
    *_family("asyncio", "asyncio.Queue", "asyncio.LifoQueue", "asyncio.PriorityQueue"),
    *_family(
        "gevent",
        "gevent.queue.Queue",
        "gevent.queue.JoinableQueue",
        "gevent.queue.LifoQueue",
        "gevent.queue.PriorityQueue",
    ),
    Implementation(
        "gevent.queue.Channel",
        "gevent",
        _plain("gevent.queue.Channel"),
        rendezvous=True,
    ),
    Implementation("multiprocessing.Pipe", "pipe", _pipe),
)


def implementation(name: str) -> Implementation:
    """Return the implementation called ``name``.

    Raises
    ------
    KeyError
        With the known names, if there is no such implementation.
    """
    for candidate in IMPLEMENTATIONS:
        if candidate.name == name:
            return candidate
    known = ", ".join(i.name for i in IMPLEMENTATIONS)
    raise KeyError(f"unknown implementation {name!r}; known: {known}")
