"""A run's trace as Chrome Trace Event JSON, for Perfetto and chrome://tracing.

The Trace Event Format is what Perfetto (https://ui.perfetto.dev),
``chrome://tracing`` and speedscope open. This module turns a
:class:`concdoc.trace.Trace` into it, with the standard library only:

* every process of the run is a process track, named by metadata events
  (``"ph": "M"``, ``process_name``); every thread, greenlet, task or
  coroutine is a thread track inside its process (``thread_name``), the
  process's own main thread first, called "main thread";
* every span is a complete event (``"ph": "X"``) with its state as the
  category (``blocked``, ``sleeping`` ...) and its details as ``args``;
* every mark is an instant event (``"ph": "i"``, thread scope); the
  events of an object left out past the recorder's limit are one such
  instant (``left out``, with their number as ``args.left_out``) and are
  summed, per object, in ``otherData.left_out``;
* every queue-depth sample is a counter event (``"ph": "C"``) named after
  the queue, in the process of the actor that took it.

Timestamps are microseconds since the first event of the run (the format's
unit), with the nanoseconds kept as decimals.
"""

from __future__ import annotations

import json
import os
from typing import Any

from concdoc.trace import Actor, Trace

__all__ = ["MAIN_THREAD", "to_chrome", "write_chrome"]

#: Track name of a process's main thread (the actor that is the process).
MAIN_THREAD = "main thread"


def _tracks(trace: Trace) -> dict[str, tuple[int, int]]:
    """``actor id -> (pid, tid)``: the process actor is tid == pid, others count up."""
    tracks: dict[str, tuple[int, int]] = {}
    taken: dict[int, int] = {}
    for actor in trace.actors.values():
        if actor.kind == "process":
            tracks[actor.id] = (actor.pid, actor.pid)
    for actor in trace.actors.values():
        if actor.id not in tracks:
            number = taken[actor.pid] = taken.get(actor.pid, 0) + 1
            tracks[actor.id] = (actor.pid, actor.pid * 1000 + number)
    return tracks


def _metadata(trace: Trace, tracks: dict[str, tuple[int, int]]) -> list[dict]:
    """Names and order of the process and thread tracks."""
    processes: dict[int, str] = {}
    for actor in trace.actors.values():
        if actor.kind == "process" or actor.pid not in processes:
            processes[actor.pid] = (
                actor.name if actor.kind == "process" else f"pid {actor.pid}"
            )
    events: list[dict] = []
    for order, (pid, name) in enumerate(processes.items()):
        events.append(_meta("process_name", pid, 0, name=f"{name} (pid {pid})"))
        events.append(_meta("process_sort_index", pid, 0, sort_index=order))
    for order, actor in enumerate(trace.actors.values()):
        pid, tid = tracks[actor.id]
        events.append(_meta("thread_name", pid, tid, name=_track_name(actor)))
        events.append(_meta("thread_sort_index", pid, tid, sort_index=order))
    return events


def _meta(what: str, pid: int, tid: int, **args: Any) -> dict[str, Any]:
    return {"name": what, "ph": "M", "pid": pid, "tid": tid, "args": args}


def _track_name(actor: Actor) -> str:
    if actor.kind == "process":
        return MAIN_THREAD
    if actor.kind == "thread":
        return actor.name
    return f"{actor.name} ({actor.kind})"


def to_chrome(trace: Trace) -> dict[str, Any]:
    """Return ``trace`` as a Trace Event Format object (JSON-serialisable).

    Parameters
    ----------
    trace : ~concdoc.trace.Trace
        A run's events, as read by :func:`concdoc.trace.load_trace`.

    Returns
    -------
    dict
        ``{"traceEvents": [...], "displayTimeUnit": "ms", "otherData": {...}}``.
    """
    tracks = _tracks(trace)
    origin = trace.start if trace else 0
    events = _metadata(trace, tracks)
    for event in trace.events:
        pid, tid = tracks[event.actor]
        record: dict[str, Any] = {
            "name": event.name,
            "pid": pid,
            "tid": tid,
            "ts": (event.start - origin) / 1000,
        }
        if event.kind == "span":
            record.update(ph="X", cat=event.state, dur=event.duration / 1000)
            record["args"] = dict(event.args)
        elif event.kind == "mark":
            record.update(ph="i", s="t", cat="mark", args=dict(event.args))
        else:  # a depth sample: one counter series per queue and process
            record.update(ph="C", cat="queue depth")
            record["args"] = {"items": int(event.args.get("value", 0))}
        events.append(record)
    return {
        "traceEvents": events,
        "displayTimeUnit": "ms",
        "otherData": {
            "producer": "concdoc",
            "clock": "CLOCK_MONOTONIC",
            "left_out": trace.left_out(),
        },
    }


def write_chrome(trace: Trace, path: str | os.PathLike[str]) -> int:
    """Write ``trace`` to ``path`` as Trace Event JSON; return the events written.

    The count is of the trace's own spans, marks and depth samples (the
    metadata events that name the tracks are not counted).
    """
    document = to_chrome(trace)
    with open(path, "w", encoding="utf-8") as out:
        json.dump(document, out, ensure_ascii=False, default=str)
    return sum(1 for e in document["traceEvents"] if e["ph"] != "M")
