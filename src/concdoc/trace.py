"""Record who ran, who blocked and who slept, in every process of a run, and
read it back.

Writing
    Done inside every interpreter of a traced run by
    ``concdoc._inside.tracewriter`` (standard library only, nothing done at
    import time), whose names this module re-exports: a :class:`Recorder`
    appends one JSON line per event to ``<directory>/<pid>.jsonl`` with one
    ``os.write`` on a descriptor opened with ``O_APPEND``, so the events
    written before a process is killed (even by ``SIGKILL``) are on disk.
    After ``fork`` the child opens its own file.

Clock
    Timestamps are :func:`time.monotonic_ns` values. On Linux this is
    ``CLOCK_MONOTONIC``, one clock for the whole machine, so timestamps taken
    in different processes of a run can be compared directly. (macOS's
    monotonic clock is system-wide too; on other systems this is assumed.)

Actors
    Every event belongs to an actor, found automatically: the greenlet or
    generator coroutine running at the time, else the thread; a process's
    main thread is the process itself. Kinds are listed in
    :data:`ACTOR_KINDS`.

Reading
    :func:`load_trace` reads a directory of such files into a :class:`Trace`:
    actors and events, ordered by time, checked (unknown actor kinds,
    negative durations and the like raise :class:`ValueError`).

Instrumenting scripts from outside, without changing them, is the job of
``concdoc._inside.instrument``, which the runner installs when ``trace=True``.
Scripts may also add their own events with :func:`mark` and :func:`span`;
both do nothing when the script is not being traced.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from concdoc._inside import tracewriter as _writer
from concdoc._inside.tracewriter import (
    Actor,
    Event,
    Recorder,
    active_recorder,
    mark,
    span,
)

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
    "Trace",
    "active_recorder",
    "load_trace",
    "mark",
    "now",
    "span",
]

#: Environment variable naming the directory that receives a run's events.
TRACE_DIR_VARIABLE = _writer.TRACE_DIR_VARIABLE
#: What an actor can be.
ACTOR_KINDS = _writer.ACTOR_KINDS
#: What an event can be -- a stretch of time, an instant, a queue-depth sample.
EVENT_KINDS = _writer.EVENT_KINDS
#: Events recorded per synchronisation object in each process; the later
#: ones are counted, and their number recorded in a :data:`LEFT_OUT` mark.
OBJECT_EVENT_LIMIT = _writer.OBJECT_EVENT_LIMIT
#: Name of the mark saying how many events of an object were left out.
LEFT_OUT = _writer.LEFT_OUT
#: What an actor was doing during a span -- existing (a thread's or process's
#: lifetime), running (a greenlet switched in, a pool task), blocked in a call
#: that waits for another actor (put, get, send, recv), sleeping, or waiting
#: (in ``join``, or a main greenlet switched out).
STATES = _writer.STATES
#: The clock of every event, in nanoseconds (see the module docstring).
now: Callable[[], int] = _writer.now


@dataclass
class Trace:
    """The events of one run, ordered by time.

    Parameters
    ----------
    actors : dict of Actor
        Every actor that has events, by id, in order of first appearance.
    events : list of Event
        Sorted by start time.
    """

    actors: dict[str, Actor] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    def __post_init__(self) -> None:
        for event in self.events:
            if event.actor not in self.actors:
                raise ValueError(
                    f"event {event.name!r} names unknown actor {event.actor!r}"
                )
        self.events.sort(key=lambda e: (e.start, e.end))

    def __len__(self) -> int:
        return len(self.events)

    def __bool__(self) -> bool:
        return bool(self.events)

    @property
    def start(self) -> int:
        """Timestamp of the earliest event."""
        self._require_events()
        return min(e.start for e in self.events)

    @property
    def end(self) -> int:
        """Timestamp at which the last event ends."""
        self._require_events()
        return max(e.end for e in self.events)

    def _require_events(self) -> None:
        if not self.events:
            raise ValueError("the trace is empty: no events were recorded")

    def spans(self, actor: str | None = None, name: str | None = None) -> list[Event]:
        """Spans, optionally of one actor and/or with one name."""
        return self.select("span", actor, name)

    def marks(self, actor: str | None = None, name: str | None = None) -> list[Event]:
        """Instant events, optionally of one actor and/or with one name."""
        return self.select("mark", actor, name)

    def depths(self, queue: str | None = None) -> list[Event]:
        """Queue-depth samples, optionally of one queue."""
        return self.select("depth", None, queue)

    def select(
        self, kind: str, actor: str | None = None, name: str | None = None
    ) -> list[Event]:
        """Events of one kind, optionally of one actor and/or with one name."""
        return [
            e
            for e in self.events
            if e.kind == kind
            and (actor is None or e.actor == actor)
            and (name is None or e.name == name)
        ]

    def left_out(self) -> dict[str, int]:
        """How many events of each object were left out, over all processes.

        Past :data:`OBJECT_EVENT_LIMIT` events of one lock, condition,
        semaphore, barrier or event in one process, the recorder writes no
        more of them and reports their number in a :data:`LEFT_OUT` mark.
        """
        counts: dict[str, int] = {}
        for report in self.marks(name=LEFT_OUT):
            label = str(report.args.get("object", ""))
            counts[label] = counts.get(label, 0) + int(report.args.get("left_out", 0))
        return counts

    def actor_named(self, name: str, kind: str | None = None) -> Actor:
        """The actor called ``name`` (and of ``kind``); ValueError if not one."""
        found = [
            a
            for a in self.actors.values()
            if a.name == name and (kind is None or a.kind == kind)
        ]
        if len(found) != 1:
            raise ValueError(f"{len(found)} actors named {name!r} in the trace")
        return found[0]

    def to_jsonl(self, path: str | os.PathLike[str]) -> int:
        """Write the trace as JSON lines: the actors, then the events.

        Returns the number of event lines written: fewer than ``len(self)``
        when spans carry queue-depth samples, since a span and the sample it
        carries are one line.
        """
        written = 0
        with open(path, "w", encoding="utf-8") as out:
            for a in self.actors.values():
                out.write(
                    json.dumps(
                        {"k": "actor", "a": a.id, "kind": a.kind, "name": a.name}
                    )
                    + "\n"
                )
            for e in self.events:
                if e.kind == "depth" and "call" in e.args:
                    continue  # carried by its span (see _depth_after)
                record = {
                    "k": e.kind,
                    "a": e.actor,
                    "n": e.name,
                    "t": e.start,
                    "d": e.duration,
                    "s": e.state,
                }
                if e.args:
                    record["x"] = e.args
                out.write(json.dumps(record, default=str) + "\n")
                written += 1
        return written


def load_trace(path: str | os.PathLike[str]) -> Trace:
    """Read the events of a run: a directory of ``*.jsonl`` files, or one file.

    A line cut short (its process was killed while writing) is skipped. A
    span begun and never ended (its process was killed) ends when another
    process's ``join`` of it returned, or else at its process's last event;
    it is marked ``unfinished``.

    Parameters
    ----------
    path : str or path-like
        A trace directory (as given in ``CONCDOC_TRACE_DIR``) or a file
        written by :meth:`Trace.to_jsonl`.

    Returns
    -------
    Trace

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        On records that name an unknown actor kind, event kind or state, or
        have a negative duration.
    """
    source = os.fspath(path)
    if not os.path.exists(source):
        raise FileNotFoundError(f"{path}: no such trace file or directory")
    if os.path.isdir(source):
        names = sorted(n for n in os.listdir(source) if n.endswith(".jsonl"))
        files = [os.path.join(source, n) for n in names]
    else:
        files = [source]
    records: list[dict[str, Any]] = []
    for file in files:
        with open(file, encoding="utf-8", errors="replace") as stream:
            lines = stream.read().splitlines()
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue  # cut short by a kill
            if isinstance(record, dict):
                records.append(record)
    return _build(records, str(path))


def _build(records: list[dict[str, Any]], where: str) -> Trace:
    actors: dict[str, Actor] = {}
    events: list[Event] = []
    open_spans: dict[tuple[str, str, int], dict[str, Any]] = {}
    last_seen: dict[int, int] = {}
    for record in records:
        try:
            kind = record["k"]
            actor_id = record["a"]
            if kind == "actor":
                pid = int(str(actor_id).split("/", 1)[0])
                actors.setdefault(
                    actor_id, Actor(actor_id, record["kind"], record["name"], pid)
                )
                continue
            pid = int(str(actor_id).split("/", 1)[0])
            stamp = int(record["t"])
            last_seen[pid] = max(
                last_seen.get(pid, stamp), stamp + int(record.get("d", 0))
            )
            if kind == "begin":
                open_spans[(actor_id, record["n"], stamp)] = record
            elif kind == "end":
                began = open_spans.pop((actor_id, record["n"], int(record["b"])), None)
                if began is not None:
                    events.append(_span_from(began, stamp, finished=True))
            else:
                event = Event(
                    kind,
                    actor_id,
                    record["n"],
                    stamp,
                    int(record.get("d", 0)),
                    record.get("s"),
                    record.get("x") or {},
                )
                events.append(event)
                if kind == "span" and "depth" in event.args and "queue" in event.args:
                    events.append(_depth_after(event))
        except (KeyError, TypeError) as exc:
            raise ValueError(
                f"{where}: malformed trace record {record!r} ({exc})"
            ) from None
    for began in open_spans.values():
        pid = int(str(began["a"]).split("/", 1)[0])
        end = _death(pid, int(began["t"]), actors, events) or last_seen[pid]
        events.append(_span_from(began, max(end, int(began["t"])), finished=False))
    used = {e.actor for e in events}
    missing = used - actors.keys()
    if missing:
        raise ValueError(f"{where}: events of undeclared actors {sorted(missing)}")
    return Trace({a: actors[a] for a in actors if a in used}, events)


def _death(pid: int, after: int, actors: dict[str, Actor], events: list[Event]) -> int:
    """When process ``pid`` was seen dead: the end of a ``join`` of it (0 if none).

    A killed process cannot record its own end; the parent's ``join`` (which
    returns once the child has exited) bounds it.
    """
    process = actors.get(f"{pid}/p")
    if process is None:
        return 0
    ends = [
        e.end
        for e in events
        if e.kind == "span"
        and e.name == "join"
        and e.args.get("target") == process.name
        and e.end >= after
        and actors[e.actor].pid != pid
    ]
    return min(ends, default=0)


def _depth_after(span: Event) -> Event:
    """The queue-depth sample a span carries (the queue's size after the call).

    Its ``call`` detail names the span; :meth:`Trace.to_jsonl` leaves such
    samples out, since the span that carries them is written.
    """
    return Event(
        "depth",
        span.actor,
        span.args["queue"],
        span.end,
        args={"value": int(span.args["depth"]), "call": span.name},
    )


def _span_from(began: dict[str, Any], end: int, *, finished: bool) -> Event:
    args = dict(began.get("x") or {})
    if not finished:
        args["unfinished"] = True
    start = int(began["t"])
    return Event("span", began["a"], began["n"], start, end - start, began["s"], args)
