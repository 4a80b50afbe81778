"""concdoc.chrome: a run's trace as Chrome Trace Event JSON."""

from __future__ import annotations

import json
import sys
from collections import Counter

import pytest

from concdoc.chrome import MAIN_THREAD, to_chrome, write_chrome
from concdoc.runner import Status, run_example
from concdoc.trace import LEFT_OUT, Actor, Event, Trace

#: Fields every event of each phase must have (the format's required ones).
REQUIRED = {
    "M": {"name", "ph", "pid", "tid", "args"},
    "X": {"name", "ph", "pid", "tid", "ts", "dur", "cat"},
    "i": {"name", "ph", "pid", "tid", "ts", "s"},
    "C": {"name", "ph", "pid", "ts", "args"},
}


def _check_format(document: dict) -> list[dict]:
    """Assert the document follows the format; return its non-metadata events."""
    assert set(document) >= {"traceEvents", "displayTimeUnit"}
    json.dumps(document)  # serialisable as it is
    events = document["traceEvents"]
    for event in events:
        assert event["ph"] in REQUIRED, event
        missing = REQUIRED[event["ph"]] - event.keys()
        assert not missing, f"{event} lacks {missing}"
        assert isinstance(event["pid"], int)
        if "ts" in event:
            assert event["ts"] >= 0
        if event["ph"] == "X":
            assert event["dur"] >= 0
        if event["ph"] == "C":
            assert all(isinstance(v, int | float) for v in event["args"].values())
    return [e for e in events if e["ph"] != "M"]


def _key(pid: int, name: str, ts: float) -> tuple[int, str, int]:
    return pid, name, round(ts * 1000)


def _check_complete(trace: Trace, document: dict) -> None:
    """Every span, mark and depth sample is in the document, at its time."""
    origin = trace.start
    phase = {"span": "X", "mark": "i", "depth": "C"}
    expected = Counter(
        (
            phase[e.kind],
            *_key(trace.actors[e.actor].pid, e.name, (e.start - origin) / 1000),
        )
        for e in trace.events
    )
    found = Counter(
        (e["ph"], *_key(e["pid"], e["name"], e["ts"]))
        for e in document["traceEvents"]
        if e["ph"] != "M"
    )
    assert found == expected
    spans = {(e.name, e.duration) for e in trace.spans()}
    assert {
        (e["name"], round(e["dur"] * 1000))
        for e in document["traceEvents"]
        if e["ph"] == "X"
    } == spans


def _synthetic() -> Trace:
    actors = {
        "10/p": Actor("10/p", "process", "MainProcess", 10),
        "10/t1": Actor("10/t1", "thread", "producer", 10),
        "11/p": Actor("11/p", "process", "worker", 11),
        "11/c1": Actor("11/c1", "task", "fetch", 11),
    }
    events = [
        Event("span", "10/p", "alive", 1_000, 9_000, "alive"),
        Event("span", "10/t1", "put", 2_000, 1_500, "blocked", {"queue": "q"}),
        Event("depth", "10/t1", "q", 3_500, args={"value": 1}),
        Event("mark", "11/p", "raised", 4_000, args={"outcome": "ValueError"}),
        Event("span", "11/c1", "sleep", 4_200, 700, "sleeping"),
    ]
    return Trace(actors, events)


def test_tracks_are_named_and_every_event_appears():
    trace = _synthetic()
    document = to_chrome(trace)
    events = _check_format(document)
    assert len(events) == len(trace)
    _check_complete(trace, document)
    names = {
        (e["pid"], e["tid"]): e["args"]["name"]
        for e in document["traceEvents"]
        if e["name"] == "thread_name"
    }
    assert sorted(names.values()) == sorted(
        [MAIN_THREAD, "producer", MAIN_THREAD, "fetch (task)"]
    )
    # a process's own actor is its main thread: tid == pid
    assert names[(10, 10)] == MAIN_THREAD and names[(11, 11)] == MAIN_THREAD
    processes = {
        e["pid"]: e["args"]["name"]
        for e in document["traceEvents"]
        if e["name"] == "process_name"
    }
    assert processes == {10: "MainProcess (pid 10)", 11: "worker (pid 11)"}
    (counter,) = [e for e in events if e["ph"] == "C"]
    assert counter["args"] == {"items": 1} and counter["ts"] == 2.5
    (put,) = [e for e in events if e["name"] == "put"]
    assert put["ts"] == 1.0 and put["dur"] == 1.5 and put["cat"] == "blocked"
    assert put["args"] == {"queue": "q"}


def test_empty_trace_is_a_valid_document(tmp_path):
    path = tmp_path / "empty.json"
    assert write_chrome(Trace(), path) == 0
    assert _check_format(json.loads(path.read_text())) == []


RUN = """
import multiprocessing, queue, threading, time

def work(q):
    q.put(2)

if __name__ == "__main__":
    tq = queue.Queue(maxsize=1)
    t = threading.Thread(target=lambda: [tq.put(n) for n in range(3)], name="filler")
    t.start()
    print([tq.get() for _ in range(3)])
    t.join()
    mq = multiprocessing.Queue()
    p = multiprocessing.Process(target=work, args=(mq,), name="child")
    p.start()
    print(mq.get())
    p.join()
    time.sleep(0.01)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="processes traced on POSIX")
def test_a_real_run_round_trips(script, tmp_path):
    result = run_example(script(RUN), trace=True)
    assert result.status is Status.OK, result.reason
    trace = result.trace
    path = tmp_path / "run.json"
    written = write_chrome(trace, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    events = _check_format(document)
    assert written == len(events) == len(trace)
    _check_complete(trace, document)
    assert trace.depths()
    assert {e["ph"] for e in events} >= {"X", "C"}
    thread_names = {
        e["args"]["name"] for e in document["traceEvents"] if e["name"] == "thread_name"
    }
    assert {"filler", MAIN_THREAD} <= thread_names
    pids = {e["pid"] for e in events}
    assert len(pids) == 2  # the script and its child process


def test_events_left_out_are_an_instant_and_summed_per_object():
    actors = {
        "10/p": Actor("10/p", "process", "MainProcess", 10),
        "11/p": Actor("11/p", "process", "worker", 11),
    }
    report = {"object": "guard", "left_out": 40}
    events = [
        Event("mark", "10/p", LEFT_OUT, 1_000, args=report),
        Event("mark", "11/p", LEFT_OUT, 2_000, args={**report, "left_out": 2}),
        Event("mark", "11/p", LEFT_OUT, 3_000, args={"object": "done", "left_out": 1}),
    ]
    document = to_chrome(Trace(actors, events))
    instants = [e for e in _check_format(document) if e["name"] == LEFT_OUT]
    assert [(e["ph"], e["pid"], e["args"]) for e in instants][0] == ("i", 10, report)
    assert document["otherData"]["left_out"] == {"guard": 42, "done": 1}
