"""The writing half of :mod:`concdoc.trace`: record who ran, who blocked and
who slept, in every process of a run.

This module is imported inside every interpreter of a traced run, so it uses
the standard library only and does nothing at import time. Use it through
:mod:`concdoc.trace`, which also reads what it writes.

Writing
    A :class:`Recorder` appends one JSON line per event to
    ``<directory>/<pid>.jsonl``, with one ``os.write`` on a file descriptor
    opened with ``O_APPEND``. Nothing is buffered in the process, so the
    events written before a process is killed (even by ``SIGKILL``) are on
    disk. After ``fork`` the child opens its own file.

The clock (:func:`time.monotonic_ns`, one for every process of a run) and
the actors events belong to are described in :mod:`concdoc.trace`.

Instrumenting scripts from outside, without changing them, is the job of
``concdoc._inside.instrument``, which the runner installs when ``trace=True``.
Scripts may also add their own events with :func:`mark` and :func:`span`;
both do nothing when the script is not being traced.
"""

from __future__ import annotations

import json
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from concdoc import _protocol as proto

__all__ = [
    "ACTOR_KINDS",
    "EVENT_KINDS",
    "LEFT_OUT",
    "OBJECT_EVENT_LIMIT",
    "STATES",
    "TRACE_DIR_VARIABLE",
    "Actor",
    "Event",
    "Recorder",
    "active_recorder",
    "mark",
    "now",
    "span",
]

#: Environment variable naming the directory that receives a run's events.
TRACE_DIR_VARIABLE = proto.TRACE_DIR
#: What an actor can be.
ACTOR_KINDS = ("process", "thread", "greenlet", "task", "coroutine")
#: What an event can be -- a stretch of time, an instant, a queue-depth sample.
EVENT_KINDS = ("span", "mark", "depth")
#: What an actor was doing during a span -- existing (a thread's or process's
#: lifetime), running (a greenlet switched in, a pool task), blocked in a call
#: that waits for another actor (put, get, send, recv), sleeping, or waiting
#: (in ``join``, or a main greenlet switched out).
STATES = ("alive", "running", "blocked", "sleeping", "waiting")

#: Events recorded per synchronisation object (a lock, condition, semaphore,
#: barrier or event: an event whose details name an ``object``) in each
#: process; the later ones are counted, not written (see :meth:`Recorder.finish`).
OBJECT_EVENT_LIMIT = 200
#: Name of the mark that says how many events of one object were left out.
LEFT_OUT = "left out"

_encode = json.JSONEncoder(separators=(",", ":"), default=str).encode
_quote = json.encoder.encode_basestring_ascii


def _args(args: dict[str, Any]) -> str:
    """``,"x":{...}`` for an event's details (empty without details).

    Written by hand rather than with ``json.dumps``: events are flat dicts of
    strings and integers, and this is the recorder's hot path.
    """
    if not args:
        return ""
    parts = []
    for key, value in args.items():
        kind = type(value)
        if kind is str:
            text = _quote(value)
        elif kind is int:
            text = int.__repr__(value)
        else:
            text = _encode(value)
        parts.append(_quote(key) + ":" + text)
    return ',"x":{' + ",".join(parts) + "}"


#: The clock of every event, in nanoseconds (see the module docstring).
now: Callable[[], int] = time.monotonic_ns


@dataclass(frozen=True)
class Actor:
    """Something that runs: a process, thread, greenlet, task or coroutine.

    Parameters
    ----------
    id : str
        Unique within a trace, e.g. ``"1234/t2"`` (pid, then a local id).
    kind : str
        One of :data:`ACTOR_KINDS`.
    name : str
        For people: the thread's, process's or function's name.
    pid : int
        The process it lives in.
    """

    id: str
    kind: str
    name: str
    pid: int

    def __post_init__(self) -> None:
        if self.kind not in ACTOR_KINDS:
            raise ValueError(
                f"unknown actor kind {self.kind!r} (known: {', '.join(ACTOR_KINDS)})"
            )


@dataclass(frozen=True)
class Event:
    """One recorded event.

    Parameters
    ----------
    kind : str
        One of :data:`EVENT_KINDS`.
    actor : str
        The ``id`` of the :class:`Actor` it belongs to.
    name : str
        What happened: ``"put"``, ``"get"``, ``"sleep"``, ``"run"``, a
        queue's label for a depth sample, ...
    start : int
        Timestamp in nanoseconds (see :func:`now`).
    duration : int
        Nanoseconds; 0 for marks and depth samples.
    state : str or None
        For spans, one of :data:`STATES`.
    args : dict
        Details, e.g. ``{"queue": "Queue 1", "outcome": "Full"}`` or, for a
        depth sample, ``{"value": 3}``.
    """

    kind: str
    actor: str
    name: str
    start: int
    duration: int = 0
    state: str | None = None
    args: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in EVENT_KINDS:
            raise ValueError(
                f"unknown event kind {self.kind!r} (known: {', '.join(EVENT_KINDS)})"
            )
        if self.duration < 0:
            raise ValueError(
                f"event {self.name!r} of {self.actor}: negative duration "
                f"{self.duration} ns"
            )
        if self.kind == "span" and self.state not in STATES:
            raise ValueError(
                f"span {self.name!r} of {self.actor}: unknown state {self.state!r} "
                f"(known: {', '.join(STATES)})"
            )

    @property
    def end(self) -> int:
        """Timestamp of the end of the event (its start for instants)."""
        return self.start + self.duration


class Recorder:
    """Append events of the current process to ``directory/<pid>.jsonl``.

    A recorder is shared by all threads of a process; each event is one
    ``os.write`` of one line, so lines from several threads never mix.

    Parameters
    ----------
    directory : str or path-like
        Where the per-process files go; it must exist.
    object_limit : int
        Events written per synchronisation object in this process; the later
        ones are counted and reported by :meth:`finish`.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        *,
        object_limit: int = OBJECT_EVENT_LIMIT,
    ) -> None:
        self.directory = os.fspath(directory)
        if not os.path.isdir(self.directory):
            raise ValueError(f"trace directory {self.directory!r} does not exist")
        self._fd: int | None = None
        self._pid = -1
        #: Events that could not be written (the script never sees the error).
        self.dropped = 0
        self._declared: set[str] = set()
        self._lock = threading.Lock()
        #: Functions returning ``(local id, kind, name)`` of the current actor,
        #: or None; asked in order before the thread is used (greenlets, ...).
        self.resolvers: list[Callable[[], tuple[str, str, str] | None]] = []
        self._threads: dict[int, tuple[str, str, str]] = {}
        self._thread_ids: dict[int, str] = {}
        self.process_name = "MainProcess"
        self.object_limit = object_limit
        self._objects: dict[str, int] = {}  # object label -> events written
        # object label -> [actor, time, count] of the events left out
        self._left_out: dict[str, list[Any]] = {}
        self._count_lock = threading.Lock()
        _recorders.add(self)

    # -- the file ------------------------------------------------------------

    def _forget_process(self) -> None:
        """After fork: the child writes its own file and declares its actors."""
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
        self._fd = None
        self._pid = -1
        self._declared = set()
        self._threads = {}
        self._thread_ids = {}
        self._lock = threading.Lock()
        self._objects = {}
        self._left_out = {}
        self._count_lock = threading.Lock()

    def _write(self, line: str) -> None:
        """Append one record (a JSON object, without the newline).

        An event that cannot be written (the run's directory is gone, the
        disk is full) is dropped: tracing must never break the traced script.
        """
        try:
            if self._pid != os.getpid():
                self._open()
            os.write(self._fd, (line + "\n").encode())  # type: ignore[arg-type]
        except OSError:
            self.dropped += 1

    def _open(self) -> None:
        with self._lock:
            pid = os.getpid()
            if self._pid == pid:
                return
            path = os.path.join(self.directory, f"{pid}.jsonl")
            self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            self._pid = pid

    def close(self) -> None:
        """Close this process's file (a later event opens it again)."""
        self._forget_process()

    # -- actors --------------------------------------------------------------

    def actor(self) -> str:
        """Return the id of the current actor, declaring it on first use."""
        for resolve in self.resolvers:
            found = resolve()
            if found is not None:
                return self.declare(*found)
        return self.thread_actor()

    def thread_actor(self) -> str:
        """Return the id of the current thread (its process, if the main thread)."""
        ident = threading.get_ident()
        declared = self._thread_ids.get(ident)
        if declared is not None:
            return declared
        known = self._threads.get(ident)
        if known is None:
            thread = threading.current_thread()
            if thread is threading.main_thread():
                known = ("p", "process", self.process_name)
            else:
                known = (f"t{ident}", "thread", thread.name)
        declared = self._thread_ids[ident] = self.declare(*known)
        return declared

    def name_thread(self, name: str) -> None:
        """Name the current (non-main) thread's actor before it is first used."""
        ident = threading.get_ident()
        self._threads[ident] = (f"t{ident}", "thread", name)
        self._thread_ids.pop(ident, None)

    def forget_thread(self, ident: int) -> None:
        """Drop the cached actor of a finished thread (its ident may be reused)."""
        self._threads.pop(ident, None)
        self._thread_ids.pop(ident, None)

    def declare(self, local: str, kind: str, name: str) -> str:
        """Declare an actor of this process (once); return its trace-wide id."""
        actor_id = f"{os.getpid()}/{local}"
        if actor_id not in self._declared:
            Actor(actor_id, kind, name, os.getpid())  # validates the kind
            self._declared.add(actor_id)
            self._write(
                f'{{"k":"actor","a":"{actor_id}","kind":{_quote(kind)},'
                f'"name":{_quote(name)}}}'
            )
        return actor_id

    # -- events --------------------------------------------------------------

    def span(
        self,
        name: str,
        start: int,
        end: int,
        *,
        state: str = "blocked",
        actor: str | None = None,
        **args: Any,
    ) -> None:
        """Record a finished span from ``start`` to ``end`` (nanoseconds)."""
        if end < start:
            raise ValueError(f"span {name!r}: negative duration {end - start} ns")
        if state not in STATES:
            raise ValueError(
                f"span {name!r}: unknown state {state!r} (known: {', '.join(STATES)})"
            )
        actor = actor or self.actor()
        if "object" in args and not self._within_limit(args["object"], actor, start):
            return
        self._write(
            f'{{"k":"span","a":"{actor}","n":{_quote(name)},'
            f'"t":{start},"d":{end - start},"s":"{state}"{_args(args)}}}'
        )

    def begin(
        self,
        name: str,
        *,
        state: str = "running",
        actor: str | None = None,
        **args: Any,
    ) -> tuple[str, str, int]:
        """Record the start of a span whose end may never come (a lifetime).

        Returns a handle for :meth:`end`. A span begun and never ended (its
        process was killed) ends at its process's last event when read.
        """
        if state not in STATES:
            raise ValueError(
                f"span {name!r}: unknown state {state!r} (known: {', '.join(STATES)})"
            )
        actor = actor or self.actor()
        start = now()
        self._write(
            f'{{"k":"begin","a":"{actor}","n":{_quote(name)},"t":{start},'
            f'"s":"{state}"{_args(args)}}}'
        )
        return actor, name, start

    def end(self, handle: tuple[str, str, int]) -> None:
        """Record the end of a span started with :meth:`begin`."""
        actor, name, start = handle
        self._write(
            f'{{"k":"end","a":"{actor}","n":{_quote(name)},"t":{now()},"b":{start}}}'
        )

    def mark(self, name: str, *, actor: str | None = None, **args: Any) -> None:
        """Record an instant event."""
        actor = actor or self.actor()
        stamp = now()
        if "object" in args and not self._within_limit(args["object"], actor, stamp):
            return
        self._write(
            f'{{"k":"mark","a":"{actor}","n":{_quote(name)},"t":{stamp}{_args(args)}}}'
        )

    def _within_limit(self, label: Any, actor: str, stamp: int) -> bool:
        """Count an event of object ``label``: True while it may be written.

        Past :attr:`object_limit` events of that object in this process, the
        event is only counted, with the actor and time of the first one left
        out, for :meth:`finish` to report.
        """
        with self._count_lock:
            written = self._objects.get(label, 0)
            if written < self.object_limit:
                self._objects[label] = written + 1
                return True
            left = self._left_out.get(label)
            if left is None:
                self._left_out[label] = [actor, stamp, 1]
            else:
                left[2] += 1
            return False

    def finish(self) -> None:
        """Report the events left out since the last call (see
        ``object_limit``): one :data:`LEFT_OUT` mark per object, at the
        time of the first event left out, on the lane of its actor, whose
        ``left_out`` detail is how many were. Called as the process ends;
        a process killed before then reports nothing.
        """
        with self._count_lock:
            left_out, self._left_out = self._left_out, {}
        for label, (actor, stamp, count) in left_out.items():
            self._write(
                f'{{"k":"mark","a":"{actor}","n":{_quote(LEFT_OUT)},"t":{stamp}'
                f"{_args({'object': label, 'left_out': count})}}}"
            )

    def depth(self, queue: str, value: int, *, actor: str | None = None) -> None:
        """Record how many items ``queue`` held (a queue-depth sample).

        A span whose details hold ``queue`` and ``depth`` is read as a span
        plus such a sample at its end; the instrumented queues record that
        way, with one write per call.
        """
        self._write(
            f'{{"k":"depth","a":"{actor or self.actor()}","n":{_quote(queue)},'
            f'"t":{now()},"x":{{"value":{int(value)}}}}}'
        )


_recorders: weakref.WeakSet[Recorder] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for recorder in list(_recorders):
        recorder._forget_process()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)

_recorder: Recorder | None = None


def active_recorder() -> Recorder | None:
    """The recorder of this process, if ``CONCDOC_TRACE_DIR`` is set, else None."""
    global _recorder
    if _recorder is None:
        directory = os.environ.get(TRACE_DIR_VARIABLE)
        if directory and os.path.isdir(directory):
            _recorder = Recorder(directory)
    return _recorder


def mark(name: str, **args: Any) -> None:
    """Record an instant event from the current actor; no-op when not traced."""
    recorder = active_recorder()
    if recorder is not None:
        recorder.mark(name, **args)


@contextmanager
def span(name: str, state: str = "running", **args: Any) -> Iterator[None]:
    """Record the ``with`` block as a span of the current actor.

    Does nothing (but run the block) when the script is not being traced.
    """
    recorder = active_recorder()
    if recorder is None:
        yield
        return
    start = now()
    try:
        yield
    finally:
        recorder.span(name, start, now(), state=state, **args)


# -- reading -------------------------------------------------------------------
