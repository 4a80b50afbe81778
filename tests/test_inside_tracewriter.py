"""concdoc._inside.tracewriter: the records a Recorder writes, one line each.

These tests read the files as JSON lines, without :mod:`concdoc.trace`, so a
change of the record format shows here first; the last one checks that the
reader reads what the writer writes.
"""

from __future__ import annotations

import json
import os
import threading

import pytest

from concdoc._inside import tracewriter
from concdoc._inside.tracewriter import Recorder
from concdoc.trace import load_trace


def _records(directory, pid: int | None = None) -> list[dict]:
    path = directory / f"{pid or os.getpid()}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_the_first_event_of_an_actor_declares_it_once(tmp_path):
    recorder = Recorder(tmp_path)
    recorder.process_name = "main"
    recorder.mark("one")
    recorder.mark("two", step=2)
    me = f"{os.getpid()}/p"
    first, *events = _records(tmp_path)
    assert first == {"k": "actor", "a": me, "kind": "process", "name": "main"}
    assert [e["k"] for e in events] == ["mark", "mark"]
    assert [e["n"] for e in events] == ["one", "two"]
    assert all(e["a"] == me for e in events)
    assert "x" not in events[0] and events[1]["x"] == {"step": 2}


def test_each_kind_of_record_and_its_fields(tmp_path):
    recorder = Recorder(tmp_path)
    me = recorder.actor()
    recorder.span("put", 100, 250, queue="jobs", depth=3)
    recorder.span("sleep", 300, 300, state="sleeping")
    handle = recorder.begin("alive", state="alive", target="child")
    recorder.end(handle)
    recorder.depth("jobs", 4)
    _, put, sleep, begin, end, depth = _records(tmp_path)
    assert put == {
        "k": "span",
        "a": me,
        "n": "put",
        "t": 100,
        "d": 150,
        "s": "blocked",
        "x": {"queue": "jobs", "depth": 3},
    }
    assert sleep["d"] == 0 and sleep["s"] == "sleeping" and "x" not in sleep
    assert handle == (me, "alive", begin["t"])
    assert begin["k"] == "begin" and begin["s"] == "alive"
    assert begin["x"] == {"target": "child"}
    assert end["k"] == "end" and end["b"] == begin["t"] and end["t"] >= begin["t"]
    assert depth["k"] == "depth" and depth["n"] == "jobs"
    assert depth["x"] == {"value": 4}


def test_details_of_any_type_are_valid_json(tmp_path):
    recorder = Recorder(tmp_path)
    odd = object()
    recorder.mark(
        '队列 "q"\n',
        label='with "quotes" \\ and 队列',
        count=-7,
        ratio=1.5,
        flag=True,
        items=(1, "a"),
        nothing=None,
        thing=odd,
    )
    (mark,) = _records(tmp_path)[1:]
    assert mark["n"] == '队列 "q"\n'
    assert mark["x"] == {
        "label": 'with "quotes" \\ and 队列',
        "count": -7,
        "ratio": 1.5,
        "flag": True,
        "items": [1, "a"],
        "nothing": None,
        "thing": str(odd),
    }


def test_bad_spans_are_refused_before_anything_is_written(tmp_path):
    recorder = Recorder(tmp_path)
    with pytest.raises(ValueError, match="negative duration -1 ns"):
        recorder.span("put", 10, 9)
    with pytest.raises(ValueError, match="unknown state 'stuck'"):
        recorder.span("put", 1, 2, state="stuck")
    with pytest.raises(ValueError, match="unknown state 'stuck'"):
        recorder.begin("alive", state="stuck")
    assert not list(tmp_path.iterdir())
    with pytest.raises(ValueError, match="does not exist"):
        Recorder(tmp_path / "missing")


def test_every_event_is_on_disk_as_soon_as_it_is_recorded(tmp_path):
    """Nothing is buffered: a process killed right after an event keeps it."""
    recorder = Recorder(tmp_path)
    path = tmp_path / f"{os.getpid()}.jsonl"
    for count in range(1, 4):
        recorder.mark(f"m{count}")
        assert len(path.read_text().splitlines()) == 1 + count
    recorder.close()
    recorder.mark("after close")  # appends to the same file, declares again
    names = [r.get("n", r["k"]) for r in _records(tmp_path)]
    assert names == ["actor", "m1", "m2", "m3", "actor", "after close"]


def test_two_recorders_of_one_process_append_to_one_file(tmp_path):
    first, second = Recorder(tmp_path), Recorder(tmp_path)
    first.mark("a")
    second.mark("b")
    first.mark("c")
    marks = [r["n"] for r in _records(tmp_path) if r["k"] == "mark"]
    assert marks == ["a", "b", "c"]


def test_threads_are_actors_of_their_own_named_as_asked(tmp_path):
    recorder = Recorder(tmp_path)
    ids = {}
    both_alive = threading.Barrier(2)  # so that their idents differ

    def work(key, name=None):
        if name is not None:
            recorder.name_thread(name)
        ids[key] = recorder.actor()
        recorder.mark(key)
        both_alive.wait(timeout=30)

    threads = [
        threading.Thread(target=work, args=("plain",), name="t-plain"),
        threading.Thread(target=work, args=("named", "renamed"), name="t-named"),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    declared = {r["a"]: r for r in _records(tmp_path) if r["k"] == "actor"}
    assert declared[ids["plain"]]["kind"] == "thread"
    assert declared[ids["plain"]]["name"] == "t-plain"
    assert declared[ids["named"]]["name"] == "renamed"
    assert ids["plain"].startswith(f"{os.getpid()}/t")
    assert recorder.actor() == f"{os.getpid()}/p"  # the main thread: the process


def test_a_resolver_names_the_actor_before_the_thread(tmp_path):
    recorder = Recorder(tmp_path)
    current = [("g1", "greenlet", "worker")]
    recorder.resolvers.append(lambda: current[0])
    assert recorder.actor() == f"{os.getpid()}/g1"
    current[0] = None  # outside any greenlet: the thread again
    assert recorder.actor() == f"{os.getpid()}/p"
    kinds = [r["kind"] for r in _records(tmp_path) if r["k"] == "actor"]
    assert kinds == ["greenlet", "process"]
    with pytest.raises(ValueError, match="unknown actor kind"):
        recorder.declare("x1", "fiber", "x")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_writes_its_own_file_and_declares_its_actors(tmp_path):
    recorder = Recorder(tmp_path)
    recorder.mark("before fork")
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            recorder.mark("in child")
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    recorder.mark("parent again")
    child = _records(tmp_path, pid)
    assert child[0] == {
        "k": "actor",
        "a": f"{pid}/p",
        "kind": "process",
        "name": recorder.process_name,
    }
    assert [r["n"] for r in child[1:]] == ["in child"]
    parent = [r.get("n") for r in _records(tmp_path) if r["k"] == "mark"]
    assert parent == ["before fork", "parent again"]


def test_the_active_recorder_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setattr(tracewriter, "_recorder", None)
    monkeypatch.delenv(tracewriter.TRACE_DIR_VARIABLE, raising=False)
    assert tracewriter.active_recorder() is None
    monkeypatch.setenv(tracewriter.TRACE_DIR_VARIABLE, str(tmp_path / "missing"))
    assert tracewriter.active_recorder() is None
    monkeypatch.setenv(tracewriter.TRACE_DIR_VARIABLE, str(tmp_path))
    recorder = tracewriter.active_recorder()
    assert recorder is not None and recorder.directory == str(tmp_path)
    assert tracewriter.active_recorder() is recorder  # one per process
    tracewriter.mark("phase", step=1)
    with tracewriter.span("load", rows=3):
        pass
    kinds = [(r["k"], r.get("n")) for r in _records(tmp_path)[1:]]
    assert kinds == [("mark", "phase"), ("span", "load")]


def test_the_reader_reads_what_the_writer_writes(tmp_path):
    recorder = Recorder(tmp_path)
    me = recorder.actor()
    recorder.span("get", 10, 30, queue="jobs", depth=0, outcome="Empty")
    recorder.end(recorder.begin("alive", state="alive"))
    recorder.mark("done")
    trace = load_trace(tmp_path)
    assert trace.actors[me].kind == "process"
    (get,) = trace.spans(me, "get")
    assert (get.start, get.duration, get.state) == (10, 20, "blocked")
    assert get.args == {"queue": "jobs", "depth": 0, "outcome": "Empty"}
    (alive,) = trace.spans(me, "alive")
    assert not alive.args.get("unfinished")
    assert [m.name for m in trace.marks(me)] == ["done"]


def test_past_the_limit_an_objects_events_are_counted_and_reported(tmp_path):
    recorder = Recorder(tmp_path, object_limit=3)
    me = recorder.actor()
    for step in range(4):
        recorder.span("acquire", step * 10, step * 10 + 5, object="guard")
        recorder.mark("release", object="guard")
    recorder.span("put", 100, 110, queue="jobs")  # not an object: not counted
    recorder.mark("set", object="done")  # another object has its own count
    _, *written = _records(tmp_path)
    assert [(e["n"], e["x"]) for e in written] == [
        ("acquire", {"object": "guard"}),
        ("release", {"object": "guard"}),
        ("acquire", {"object": "guard"}),
        ("put", {"queue": "jobs"}),
        ("set", {"object": "done"}),
    ]
    recorder.finish()
    recorder.finish()  # reported once
    _, *written = _records(tmp_path)
    (report,) = written[5:]
    # the first event left out was the second release, just after its span
    assert report["k"] == "mark" and report["n"] == tracewriter.LEFT_OUT
    assert report["a"] == me and report["x"] == {"object": "guard", "left_out": 5}
    assert report["t"] >= written[2]["t"]
    assert load_trace(tmp_path).left_out() == {"guard": 5}


def test_the_count_left_out_is_exact_across_threads(tmp_path):
    recorder = Recorder(tmp_path, object_limit=10)

    def use() -> None:
        for _ in range(1000):
            recorder.mark("release", object="guard")

    threads = [threading.Thread(target=use) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    recorder.finish()
    trace = load_trace(tmp_path)
    assert len(trace.marks(name="release")) == 10
    assert trace.left_out() == {"guard": 4 * 1000 - 10}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_counts_its_own_events(tmp_path):
    recorder = Recorder(tmp_path, object_limit=1)
    recorder.mark("release", object="guard")
    recorder.mark("release", object="guard")  # left out in the parent
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            recorder.mark("release", object="guard")
            recorder.mark("release", object="guard")
            recorder.finish()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    recorder.finish()
    release = ("release", {"object": "guard"})
    report = (tracewriter.LEFT_OUT, {"object": "guard", "left_out": 1})
    for process in (os.getpid(), pid):
        records = _records(tmp_path, process)
        assert [(r["n"], r["x"]) for r in records[1:]] == [release, report]
