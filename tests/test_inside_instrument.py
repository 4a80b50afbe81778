"""concdoc._inside.instrument: the patches that record a traced run.

The patches change the interpreter they are installed in, so each test runs
a small script in a fresh one: it installs the instrumentation with a
:class:`~concdoc._inside.tracewriter.Recorder` of its own and applies the
``queue`` and ``threading`` patches at once (no boot hook, no runner), then
the test reads the events back.
"""

from __future__ import annotations

import queue
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from concdoc._inside import instrument, tracewriter
from concdoc.trace import Trace, load_trace

INSTALL = """\
import importlib
import sys

from concdoc._inside import instrument
from concdoc._inside.tracewriter import Recorder


def on_import(hooks):
    for name in ("queue", "threading"):
        hooks[name](importlib.import_module(name))


instrument.install(Recorder(sys.argv[1]), root=True, on_import=on_import)
"""


def _instrumented(tmp_path: Path, body: str) -> tuple[list[str], Trace, str]:
    """Run ``body`` instrumented; its output lines, its trace, its process's id."""
    script = tmp_path / "script.py"
    script.write_text(INSTALL + textwrap.dedent(body), encoding="utf-8")
    events = tmp_path / "events"
    events.mkdir()
    proc = subprocess.run(
        [sys.executable, str(script), str(events)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    trace = load_trace(events)
    (process,) = (a.id for a in trace.actors.values() if a.kind == "process")
    return proc.stdout.splitlines(), trace, process


def _calls(trace: Trace, actor: str) -> list[tuple]:
    """``(kind, name, state, details)`` of the actor's events but its lifetime."""
    return [
        (e.kind, e.name, e.state, e.args)
        for e in sorted(trace.events, key=lambda e: e.start)
        if e.actor == actor and e.name != "alive" and e.kind != "depth"
    ]


def _main_name(trace: Trace) -> str:
    (process,) = (a for a in trace.actors.values() if a.kind == "process")
    return process.name


def test_queue_calls_become_spans_with_depth_and_outcome(tmp_path):
    out, trace, main = _instrumented(
        tmp_path,
        """
        import queue
        import traceback

        jobs = queue.Queue(maxsize=1)
        jobs.put("a")
        try:
            jobs.put("b", timeout=0.01)
        except queue.Full as exc:
            print("raised", type(exc).__name__)
            frames = traceback.extract_tb(exc.__traceback__)
            print(*sorted({frame.filename for frame in frames}))
        print("got", jobs.get())
        """,
    )
    assert out[0] == "raised Full"
    # the wrapper's frame is not in the traceback the script sees
    assert out[1].split() == sorted([str(tmp_path / "script.py"), queue.__file__])
    assert out[2] == "got a"
    assert _calls(trace, main) == [
        ("span", "put", "blocked", {"queue": "jobs", "depth": 1}),
        ("span", "put", "blocked", {"queue": "jobs", "outcome": "Full"}),
        ("span", "get", "blocked", {"queue": "jobs", "depth": 0}),
    ]


def test_a_lock_is_wrapped_recorded_and_still_a_lock(tmp_path):
    out, trace, main = _instrumented(
        tmp_path,
        """
        import threading

        guard = threading.Lock()
        print(threading.Lock.__module__, threading.Lock.__name__)
        print(guard.acquire(), guard.locked(), "locked" in repr(guard))
        guard.release()
        with guard:
            pass
        print(guard.locked(), guard.acquire(blocking=False), guard.acquire(False))
        guard.release()
        """,
    )
    assert out == ["threading Lock", "True True True", "False True False"]
    # an acquire that takes the lock at once is not recorded; the one that
    # could not take it (non-blocking, the lock held) is
    recorded = _calls(trace, main)
    assert recorded == [
        ("mark", "release", None, {"object": "guard"}),
        ("mark", "release", None, {"object": "guard"}),
        ("span", "acquire", "blocked", {"object": "guard"}),
        ("mark", "release", None, {"object": "guard"}),
    ]


def test_a_call_that_raises_leaves_nothing_behind(tmp_path):
    """After a recorded wait raised, the next call of the thread is recorded
    on its own (not taken for part of the failed one)."""
    out, trace, main = _instrumented(
        tmp_path,
        """
        import threading

        gate = threading.Barrier(2)
        guard = threading.Lock()
        try:
            gate.wait(timeout=0.01)
        except threading.BrokenBarrierError:
            print("broken")
        with guard:
            pass
        """,
    )
    assert out == ["broken"]
    assert _calls(trace, main) == [
        (
            "span",
            "wait",
            "blocked",
            {"object": "gate", "outcome": "BrokenBarrierError"},
        ),
        ("mark", "release", None, {"object": "guard"}),
    ]


def test_a_condition_records_its_own_calls_not_its_inner_lock(tmp_path):
    _, trace, main = _instrumented(
        tmp_path,
        """
        import threading

        ready = threading.Condition()
        with ready:
            ready.notify()
        """,
    )
    assert _calls(trace, main) == [  # its lock was free: taken at once
        ("mark", "notify", None, {"object": "ready"}),
        ("mark", "release", None, {"object": "ready"}),
    ]


def test_only_what_the_script_makes_is_recorded(tmp_path):
    """A thread's start waits on an Event threading makes for itself, and an
    executor keeps a queue of its own: neither appears."""
    _, trace, main = _instrumented(
        tmp_path,
        """
        import threading
        from concurrent.futures import ThreadPoolExecutor

        worker = threading.Thread(target=print, args=("hello",), name="worker")
        worker.start()
        worker.join()
        with ThreadPoolExecutor(1) as pool:
            pool.submit(print, "from the pool").result()
        """,
    )
    named = trace.actor_named("worker", "thread").id
    assert [s.name for s in trace.spans(named)] == ["alive"]
    assert _calls(trace, main) == [("span", "join", "waiting", {"target": "worker"})]
    # the executor's own thread is not the script's: no lane of its own
    assert {a.name for a in trace.actors.values()} == {_main_name(trace), "worker"}


def test_installing_twice_is_refused(tmp_path):
    out, _, _ = _instrumented(
        tmp_path,
        """
        try:
            instrument.install(Recorder(sys.argv[1]), on_import=on_import)
        except RuntimeError as exc:
            print(exc)
        """,
    )
    assert out == ["concdoc tracing is already installed in this process"]


def test_library_files_are_not_the_script(monkeypatch, tmp_path):
    library = str(tmp_path / "lib") + "/"
    monkeypatch.setattr(instrument, "_library_dirs", (library,))
    monkeypatch.setattr(instrument, "_user_files", {})
    assert instrument.is_user_file(str(tmp_path / "script.py"))
    assert not instrument.is_user_file(library + "queue.py")
    assert not instrument.is_user_file("<frozen runpy>")
    assert not instrument.is_user_file("<string>")
    # the answer is kept: a file does not move between libraries and scripts
    monkeypatch.setattr(instrument, "_library_dirs", ())
    assert not instrument.is_user_file(library + "queue.py")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("async def main():\n    pass\n", True),
        ("def numbers():\n    yield from range(3)\n", True),
        ("squares = [x * x for x in range(3)]\n", False),
        ("total = sum(x for x in range(3))\n", False),
        ("x = (\n", False),
    ],
)
def test_which_scripts_need_the_coroutine_hook(source, expected):
    assert instrument.defines_coroutines(source) is expected


def test_a_release_that_raises_shows_no_frame_of_the_tracer(tmp_path):
    """An over-release raises inside the marked call: not marked, and the
    traceback the script sees is the one it sees untraced."""
    out, trace, main = _instrumented(
        tmp_path,
        """
        import threading
        import traceback

        slots = threading.BoundedSemaphore(1)
        try:
            slots.release()
        except ValueError as exc:
            frames = traceback.extract_tb(exc.__traceback__)
            print(*sorted({frame.filename for frame in frames}))
        """,
    )
    assert out[0].split() == sorted([str(tmp_path / "script.py"), threading.__file__])
    assert _calls(trace, main) == []


def test_a_lock_taken_ten_thousand_times_leaves_a_small_trace(tmp_path):
    out, trace, main = _instrumented(
        tmp_path,
        """
        import threading

        guard = threading.Lock()
        held, may_release = threading.Event(), threading.Event()


        def holder():
            with guard:
                held.set()
                may_release.wait(10)


        thread = threading.Thread(target=holder)
        thread.start()
        held.wait(10)
        threading.Timer(0.2, may_release.set).start()
        print(guard.acquire(timeout=10))  # blocks until the holder lets go
        guard.release()
        thread.join()
        for _ in range(10_000):
            with guard:
                pass
        """,
    )
    assert out == ["True"]
    limit = tracewriter.OBJECT_EVENT_LIMIT
    assert len(trace.events) < limit + 50
    guard = [e for e in trace.events if e.args.get("object") == "guard"]
    # the holder's thread is part of the main process: one count for both
    assert len(guard) == limit + 1
    holder = trace.actor_named("Thread-1 (holder)").id
    (let_go,) = trace.marks(actor=holder, name="release")
    # the one acquire that waited is the one recorded
    (waited,) = trace.spans(actor=main, name="acquire")
    assert waited.start < let_go.start <= waited.end
    # written or counted: the holder's release, main's wait and release, and
    # the loop's releases (its acquires took the free lock at once)
    assert trace.left_out() == {"guard": 1 + 2 + 10_000 - limit}
    (report,) = trace.marks(name=tracewriter.LEFT_OUT)
    assert report.actor == main and report.args["object"] == "guard"
