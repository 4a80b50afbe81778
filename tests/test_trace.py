"""concdoc.trace and the instrumentation the runner installs with trace=True."""

from __future__ import annotations

import itertools
import json
import multiprocessing

import pytest

from concdoc import trace as trace_module
from concdoc.runner import Status, run_example
from concdoc.trace import Actor, Event, Recorder, Trace, load_trace, now

METHODS = multiprocessing.get_all_start_methods()


def _traced(path, **kwargs):
    result = run_example(path, trace=True, **kwargs)
    assert result.status is Status.OK, result.reason + "\n" + result.output
    assert result.trace is not None
    return result


def _inside(inner: Event, outer: Event) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


# --- the recorder and the reader, in this process ---------------------------------


def test_recorder_round_trip_and_order(tmp_path):
    recorder = Recorder(tmp_path)
    recorder.span("put", 30, 50, queue="Q")
    recorder.mark("hello", n=1)
    recorder.depth("Q", 2)
    handle = recorder.begin("alive", state="alive")
    recorder.end(handle)
    recorder.close()
    trace = load_trace(tmp_path)
    (actor,) = trace.actors.values()
    assert actor.kind == "process" and actor.name == "MainProcess"
    kinds = [e.kind for e in trace.events]
    assert sorted(kinds) == ["depth", "mark", "span", "span"]
    assert [e.start for e in trace.events] == sorted(e.start for e in trace.events)
    (put,) = trace.spans(name="put")
    assert (put.start, put.duration, put.args) == (30, 20, {"queue": "Q"})
    assert trace.depths("Q")[0].args == {"value": 2}
    assert trace.spans(name="alive")[0].args == {}


def test_threads_get_their_own_actor(tmp_path):
    import threading

    recorder = Recorder(tmp_path)
    recorder.mark("main")
    worker = threading.Thread(target=recorder.mark, args=("worker",), name="w")
    worker.start()
    worker.join()
    trace = load_trace(tmp_path)
    kinds = {a.name: a.kind for a in trace.actors.values()}
    assert kinds == {"MainProcess": "process", "w": "thread"}


def test_line_cut_short_is_skipped_and_open_span_ends_at_last_event(tmp_path):
    recorder = Recorder(tmp_path)
    recorder.begin("alive", state="alive")
    later = now() + 10**9
    recorder.span("sleep", later, later + 5, state="sleeping")
    recorder.close()
    with open(next(tmp_path.glob("*.jsonl")), "a") as f:
        f.write('{"k": "mark", "a": "1/p", "n": "cut')
    trace = load_trace(tmp_path)
    (alive,) = trace.spans(name="alive")
    assert alive.args == {"unfinished": True}
    assert alive.end == later + 5


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Actor("1/x", "fiber", "f", 1), "unknown actor kind 'fiber'"),
        (lambda: Event("span", "1/p", "put", 10, -1, "blocked"), "negative duration"),
        (lambda: Event("span", "1/p", "put", 10, 1, "busy"), "unknown state 'busy'"),
        (lambda: Event("instant", "1/p", "x", 10), "unknown event kind"),
        (lambda: Trace({}, [Event("mark", "1/p", "x", 1)]), "unknown actor"),
        (lambda: Trace().start, "the trace is empty"),
    ],
)
def test_bad_input_is_a_clear_value_error(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_recorder_rejects_bad_spans_and_directories(tmp_path):
    recorder = Recorder(tmp_path)
    with pytest.raises(ValueError, match="negative duration"):
        recorder.span("put", 10, 5)
    with pytest.raises(ValueError, match="unknown state"):
        recorder.span("put", 1, 5, state="busy")
    with pytest.raises(ValueError, match="does not exist"):
        Recorder(tmp_path / "missing")
    with pytest.raises(FileNotFoundError):
        load_trace(tmp_path / "missing")


def test_unknown_actor_kind_in_a_file_is_rejected(tmp_path):
    (tmp_path / "1.jsonl").write_text(
        json.dumps({"k": "actor", "a": "1/x", "kind": "fiber", "name": "f"}) + "\n"
    )
    with pytest.raises(ValueError, match="unknown actor kind"):
        load_trace(tmp_path)


def test_to_jsonl_round_trip(tmp_path):
    (tmp_path / "d").mkdir()
    recorder = Recorder(tmp_path / "d")
    recorder.span("get", 5, 9, queue="Q", outcome="Empty")
    recorder.span("put", 10, 12, queue="Q", depth=1)
    recorder.depth("Q", 0)
    recorder.mark("m")
    trace = load_trace(tmp_path / "d")
    trace.to_jsonl(tmp_path / "events.jsonl")
    again = load_trace(tmp_path / "events.jsonl")
    assert len(trace.depths("Q")) == 2  # one carried by the put, one recorded
    assert again.events == trace.events
    assert again.actors == trace.actors


# --- runs: every backend ----------------------------------------------------------

THREADS = """
import queue, threading

def producer(q):
    for n in range(4):
        q.put(n)            # blocks while the queue is full
    q.put(None)

def consumer(q, got):
    while (item := q.get()) is not None:
        got.append(item)

q = queue.Queue(maxsize=1)
got = []
threads = [threading.Thread(target=producer, args=(q,), name="producer"),
           threading.Thread(target=consumer, args=(q, got), name="consumer")]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(got)
"""


def test_threads_and_queue_calls(script):
    result = _traced(script(THREADS))
    trace = result.trace
    producer = trace.actor_named("producer", "thread")
    consumer = trace.actor_named("consumer", "thread")
    main = trace.actor_named("MainProcess", "process")
    puts = trace.spans(producer.id, "put")
    gets = trace.spans(consumer.id, "get")
    assert len(puts) == 5 and len(gets) == 5
    assert {s.args["queue"] for s in puts + gets} == {"q"}
    # the n-th get cannot return before the n-th put has started
    for put, get in zip(puts, gets, strict=True):
        assert get.end >= put.start
    # each thread's calls happen inside its lifetime
    for actor, calls in ((producer, puts), (consumer, gets)):
        (alive,) = trace.spans(actor.id, "alive")
        assert all(_inside(c, alive) for c in calls)
    joins = trace.spans(main.id, "join")
    assert [j.args["target"] for j in joins] == ["producer", "consumer"]
    assert all(0 <= d.args["value"] <= 1 for d in trace.depths("q"))


CROSS_PROCESS = """
import multiprocessing, os, signal
from concdoc import trace

def child(q):
    trace.mark("child")
    q.put("hello")

def killed(q):
    trace.mark("before kill")
    q.put("ready")
    q.close()
    q.join_thread()  # the item is in the pipe: nothing is lost by the kill
    os.kill(os.getpid(), signal.SIGKILL)

if __name__ == "__main__":
    q = multiprocessing.Queue()
    trace.mark("before start")
    p = multiprocessing.Process(target=child, args=(q,), name="child")
    p.start()
    print(q.get(timeout=10))
    trace.mark("after get")
    p.join()
    k = multiprocessing.Process(target=killed, args=(q,), name="killed")
    k.start()
    print(q.get(timeout=10))
    k.join()
    print(k.exitcode)
"""


@pytest.mark.parametrize("method", METHODS)
def test_processes_share_one_clock_and_survive_sigkill(script, method):
    result = _traced(script(CROSS_PROCESS), start_method=method)
    assert result.output.split() == ["hello", "ready", "-9"]
    trace = result.trace
    main = trace.actor_named("MainProcess").id
    child = trace.actor_named("child", "process").id
    (before,) = trace.marks(main, "before start")
    (inside,) = trace.marks(child, "child")
    (after,) = trace.marks(main, "after get")
    assert before.start < inside.start < after.start
    (put,) = trace.spans(child, "put")
    get = trace.spans(main, "get")[0]
    # the get returned after the put began, on the one clock; whether the get
    # had started before the put ended depends on how the fork is scheduled
    assert before.start < put.start < get.end
    assert put.args["queue"] == get.args["queue"] == "q"
    killed = trace.actor_named("killed", "process").id
    assert trace.marks(killed, "before kill")
    (alive,) = trace.spans(killed, "alive")
    assert alive.args.get("unfinished") is True
    # its end is not known from the child: the parent's join bounds it
    (join,) = [j for j in trace.spans(main, "join") if j.args["target"] == "killed"]
    assert alive.end == join.end
    assert not trace.spans(child, "alive")[0].args.get("unfinished")


PIPE_AND_POOL = """
import multiprocessing, time

def square(n):
    time.sleep(0.01)
    return n * n

def talk(conn):
    conn.send("ping")
    conn.close()

if __name__ == "__main__":
    a, b = multiprocessing.Pipe()
    p = multiprocessing.Process(target=talk, args=(b,))
    p.start()
    b.close()
    print(a.recv())
    p.join()
    with multiprocessing.Pool(2) as pool:
        print(pool.map(square, range(6), chunksize=1))
"""


@pytest.mark.parametrize("method", METHODS)
def test_pipe_calls_and_pool_tasks(script, method):
    result = _traced(script(PIPE_AND_POOL), start_method=method)
    trace = result.trace
    (send,) = trace.spans(name="send")
    (recv,) = trace.spans(name="recv")
    # a pipe is named after both its ends' variables, in every start method
    assert send.args["queue"] == recv.args["queue"] == "a / b"
    assert recv.end >= send.start
    tasks = trace.spans(name="square")
    assert len(tasks) == 6 and all(t.state == "running" for t in tasks)
    workers = {trace.actors[t.actor].name for t in tasks}
    assert all("PoolWorker" in name for name in workers)
    assert len(workers) <= 2
    # no lane for the queues and threads the pool makes for itself
    assert not [a for a in trace.actors.values() if a.kind == "thread"]
    assert {s.args.get("queue") for s in trace.spans(name="put")} <= {None}


GREENLETS = """
import time
import greenlet

def foo():
    time.sleep(0.01)
    gb.switch()
    time.sleep(0.01)

def bar():
    time.sleep(0.01)
    gf.switch()

gf = greenlet.greenlet(foo)
gb = greenlet.greenlet(bar)
gf.switch()
print(gf.dead, gb.dead)
"""


def test_greenlet_switches_are_running_spans(script):
    trace = _traced(script(GREENLETS)).trace
    foo = trace.actor_named("foo", "greenlet").id
    bar = trace.actor_named("bar", "greenlet").id
    runs = [s for s in trace.spans(name="run")]
    # bar is left suspended; when the runner releases the script's globals
    # (the leak check), the greenlet is collected and runs once more to
    # receive GreenletExit -- a fourth span, after the script's own three
    names = [trace.actors[s.actor].name for s in runs]
    assert names in (["foo", "bar", "foo"], ["foo", "bar", "foo", "bar"])
    runs = runs[:3]
    for first, second in itertools.pairwise(runs):
        assert first.end <= second.start  # one greenlet at a time
    for actor in (foo, bar):
        for sleep in trace.spans(actor, "sleep"):
            assert any(_inside(sleep, run) for run in trace.spans(actor, "run"))
    main = trace.actor_named("MainProcess").id
    out = trace.spans(main, "switched out")[0]  # a second one: the release
    assert all(_inside(run, out) for run in runs)


GEVENT = """
from gevent import monkey
monkey.patch_all()
import time
import gevent

def nap(seconds):
    time.sleep(seconds)

gevent.joinall([gevent.spawn(nap, 0.05), gevent.spawn(nap, 0.05)], raise_error=True)
print("done")
"""


def test_gevent_sleeps_overlap(script):
    trace = _traced(script(GEVENT)).trace
    one = trace.actor_named("nap", "greenlet").id
    two = trace.actor_named("nap #2", "greenlet").id
    (a,) = trace.spans(one, "sleep")
    (b,) = trace.spans(two, "sleep")
    assert a.state == b.state == "sleeping"
    assert max(a.start, b.start) < min(a.end, b.end)  # they overlap


SEMANTICS = """
import multiprocessing, queue, threading, time

def show(what, call):
    try:
        print(what, "->", repr(call()))
    except Exception as exc:
        print(what, "raised", type(exc).__module__, type(exc).__name__, exc)

def echo(conn):
    conn.send(conn.recv())
    conn.close()

def fail(x):
    raise KeyError(x)

if __name__ == "__main__":
    for kind in (queue.Queue, queue.LifoQueue, queue.PriorityQueue):
        q = kind(maxsize=2)
        show("put", lambda: q.put(2))
        show("put", lambda: q.put(1))
        show("put_nowait full", lambda: q.put_nowait(3))
        show("put timeout", lambda: q.put(3, timeout=0.01))
        show("get", q.get)
        show("get", lambda: q.get(True, 1))
        show("get_nowait empty", q.get_nowait)
        show("get timeout", lambda: q.get(timeout=0.01))
        show("task_done", q.task_done)
        show("qsize", q.qsize)
    mq = multiprocessing.Queue(1)
    show("mp put", lambda: mq.put("x"))
    show("mp put_nowait full", lambda: mq.put_nowait("y"))
    show("mp get", lambda: mq.get(timeout=5))
    show("mp get_nowait empty", mq.get_nowait)
    jq = multiprocessing.JoinableQueue()
    show("jq put", lambda: jq.put(1))
    show("jq get", lambda: jq.get(timeout=5))
    show("jq task_done", jq.task_done)
    show("jq extra task_done", jq.task_done)
    sq = multiprocessing.SimpleQueue()
    show("sq put", lambda: sq.put([1, 2]))
    show("sq get", sq.get)
    a, b = multiprocessing.Pipe(duplex=False)
    show("send on receiving end", lambda: a.send(1))
    show("poll", lambda: a.poll(0.01))
    b.close()
    show("recv after close", a.recv)
    x, y = multiprocessing.Pipe()
    p = multiprocessing.Process(target=echo, args=(y,))
    p.start()
    show("send", lambda: x.send({"k": 1}))
    show("recv", x.recv)
    show("join", lambda: p.join(5))
    show("exitcode", lambda: p.exitcode)
    with multiprocessing.Pool(2) as pool:
        show("map", lambda: pool.map(abs, [-1, -2, 3]))
        show("apply_async", lambda: pool.apply_async(fail, (7,)).get(timeout=5))
    t = threading.Thread(target=time.sleep, args=(0.01,))
    t.start()
    show("thread join", lambda: t.join(timeout=5))
    show("sleep", lambda: time.sleep(0.001))
    show("sleep bad", lambda: time.sleep(-1))
"""


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_instrumented_calls_keep_results_and_exceptions(script, method):
    path = script(SEMANTICS)
    plain = run_example(path, start_method=method)
    traced = _traced(path, start_method=method)
    assert plain.status is Status.OK, plain.output
    assert plain.trace is None
    assert "raised queue Full" in plain.output and "raised _queue Empty" in plain.output
    assert traced.output == plain.output
    assert traced.trace.spans(name="put")  # and it was recorded


def test_trace_off_leaves_no_tracer(script):
    result = run_example(
        script("import sys\nprint('concdoc._inside.instrument' in sys.modules)\n")
    )
    assert result.output.strip() == "False"
    traced = _traced(
        script("import sys\nprint('concdoc._inside.instrument' in sys.modules)\n")
    )
    assert traced.output.strip() == "True"


GENERATORS = """
import time

def consumer():
    total = 0
    while True:
        n = yield total
        if n is None:
            return
        time.sleep(0.01)
        total += n

def squares():
    yield from (n * n for n in range(3))

c = consumer()
next(c)
for n in (1, 2):
    print(c.send(n))
c.close()
print(sum(squares()), sum(x for x in range(3)))
"""


def test_generator_coroutines_run_on_their_own_lane(script):
    result = _traced(script(GENERATORS))
    assert result.output.split() == ["1", "3", "5", "3"]
    trace = result.trace
    consumer = trace.actor_named("consumer", "coroutine").id
    runs = trace.spans(consumer, "run")
    assert len(runs) == 4  # next, two sends, close
    for sleep in trace.spans(consumer, "sleep"):
        assert any(_inside(sleep, run) for run in runs)
    main = trace.actor_named("MainProcess").id
    waits = [w for w in trace.spans(main, "resume") if w.args["target"] == "consumer"]
    assert [w.start for w in waits] == [r.start for r in runs]
    # a plain generator is a lane too; generator expressions are not
    assert trace.actor_named("squares", "coroutine")
    assert not [a for a in trace.actors.values() if a.name.startswith("<genexpr>")]


ASYNCIO = """
import asyncio

async def nap(seconds):
    await asyncio.sleep(seconds)
    await asyncio.sleep(seconds)

async def main():
    await asyncio.gather(nap(0.03), nap(0.03))

asyncio.run(main())
print("done")
"""


def test_asyncio_tasks_and_their_sleeps(script):
    trace = _traced(script(ASYNCIO)).trace
    one = trace.actor_named("nap", "task").id
    two = trace.actor_named("nap #2", "task").id
    assert trace.actor_named("main", "task")
    first = trace.spans(one, "sleep")
    second = trace.spans(two, "sleep")
    assert len(first) == len(second) == 2
    assert max(first[0].start, second[0].start) < min(first[0].end, second[0].end)
    for actor in (one, two):
        runs = trace.spans(actor, "run")
        assert len(runs) == 3  # start, after each sleep
        assert all(r.state == "running" for r in runs)


ASYNCIO_QUEUE = """
import asyncio

async def producer(q):
    for n in range(3):
        await q.put(n)  # waits while the queue is full
    await q.put(None)

async def consumer(q, got):
    while (item := await q.get()) is not None:
        got.append(item)

async def main():
    q = asyncio.Queue(maxsize=1)
    got = []
    await asyncio.gather(producer(q), consumer(q, got))
    try:
        await asyncio.wait_for(q.get(), 0.05)
    except asyncio.TimeoutError:
        print("nothing left")
    print(got)

asyncio.run(main())
"""


def test_asyncio_queue_calls_are_spans_of_their_tasks(script):
    result = _traced(script(ASYNCIO_QUEUE))
    assert result.output == "nothing left\n[0, 1, 2]\n"
    trace = result.trace
    puts = trace.spans(trace.actor_named("producer", "task").id, "put")
    gets = trace.spans(trace.actor_named("consumer", "task").id, "get")
    assert len(puts) == len(gets) == 4
    assert {s.args["queue"] for s in puts + gets} == {"q"}
    for put, get in zip(puts, gets, strict=True):
        assert get.end >= put.start
    assert all(0 <= d.args["value"] <= 1 for d in trace.depths("q"))
    # the get that wait_for cancelled: on main's lane, marked, no depth sample
    (last,) = trace.spans(trace.actor_named("main", "task").id, "get")
    assert last.args["outcome"] == "CancelledError" and "depth" not in last.args


EVENTS = """
import threading

ready = threading.Event()
worker = threading.Thread(target=ready.set, name="worker")
worker.start()  # start() waits on an event of the Thread's own: not recorded
print(ready.wait(timeout=10))
worker.join()
print(threading.Event().wait(timeout=0.01))
"""


def test_the_script_s_event_waits_are_blocked_spans(script):
    result = _traced(script(EVENTS))
    assert result.output == "True\nFalse\n"
    trace = result.trace
    main = trace.actor_named("MainProcess", "process").id
    waits = [e for e in trace.events if e.name == "wait"]
    assert [w.actor for w in waits] == [main, main]
    # named after the script's variable; an event bound to none keeps a number
    assert waits[0].args["object"] == "ready"
    assert waits[1].args["object"].startswith("Event ")
    assert all(w.state == "blocked" and "outcome" not in w.args for w in waits)
    (set_,) = trace.marks(name="set")
    assert set_.args["object"] == "ready"
    assert trace.actors[set_.actor].name == "worker"


def _without(calls: list[tuple], optional: tuple) -> list[tuple]:
    """``calls`` without ``optional``, a call that may or may not have waited."""
    return [c for c in calls if c != optional]


SYNC = """
import queue, threading

lock = threading.Lock()
ready = threading.Condition()
slots = threading.BoundedSemaphore(1)
meet = threading.Barrier(2, timeout=5)
mailbox = queue.SimpleQueue()
items = []

def worker():
    with slots:
        with lock:
            items.append(1)
    with ready:
        ready.notify_all()
    meet.wait()
    mailbox.put("hi")

t = threading.Thread(target=worker, name="worker")
with ready:
    t.start()
    print(bool(ready.wait_for(lambda: items, timeout=5)))
meet.wait()
print(mailbox.get(), isinstance(mailbox, queue.SimpleQueue))
t.join()
try:
    slots.release()
except ValueError as exc:
    print("over-released:", exc)
"""


def test_locks_conditions_semaphores_barriers_and_simple_queues(script):
    result = _traced(script(SYNC))
    assert result.output == (
        "True\nhi True\nover-released: Semaphore released too many times\n"
    )
    trace = result.trace
    worker = trace.actor_named("worker", "thread").id
    main = trace.actor_named("MainProcess", "process").id

    def calls(actor, kind="span"):
        return [
            (e.name, e.args.get("object") or e.args.get("queue"))
            for e in trace.select(kind, actor)
            if e.name != "alive"
        ]

    # slots and lock were free: taken at once, not recorded; ready may have
    # been held by main until its wait_for let it go
    assert _without(calls(worker), ("acquire", "ready")) == [
        ("wait", "meet"),
        ("put", "mailbox"),
    ]
    assert calls(worker, "mark") == [
        ("release", "lock"),
        ("release", "slots"),
        ("notify", "ready"),
        ("release", "ready"),
    ]
    assert calls(main)[:2] == [("wait", "ready"), ("wait", "meet")]
    assert ("get", "mailbox") in calls(main)
    # the over-release raised inside release(): not marked as a release
    assert ("release", "slots") not in calls(main, "mark")
    assert all(
        s.state == "blocked"
        for s in trace.spans()
        if s.name != "alive" and s.name != "join"
    )
    assert [d.args["value"] for d in trace.depths("mailbox")] == [1, 0]


MANAGED = """
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

def square(n):
    return n * n

def ping(jobs, started):
    started.set()
    jobs.put("ping")

if __name__ == "__main__":
    with ProcessPoolExecutor(2) as pool:
        print(pool.submit(square, 3).result(), list(pool.map(square, range(3))))
    started = multiprocessing.Event()
    with multiprocessing.Manager() as manager:
        jobs = manager.Queue()
        p = multiprocessing.Process(target=ping, args=(jobs, started))
        p.start()
        print(jobs.get(), started.wait(5))
        p.join()
"""


@pytest.mark.parametrize("method", METHODS)
def test_manager_queues_executor_calls_and_process_events(script, method):
    result = _traced(script(MANAGED), start_method=method)
    assert result.output == "9 [0, 1, 4]\nping True\n"
    trace = result.trace
    main = trace.actor_named("MainProcess", "process")
    child = trace.actor_named("Process-4 (ping)", "process")
    assert len(trace.spans(name="square")) == 4
    assert {trace.actors[s.actor].pid for s in trace.spans(name="square")} - {main.pid}
    (got,) = trace.spans(main.id, "get")
    (put,) = trace.spans(child.id, "put")
    assert got.args["queue"] == put.args["queue"] == "jobs"
    assert got.end >= put.start
    (set_,) = trace.marks(child.id, "set")
    (wait,) = trace.spans(main.id, "wait")
    assert set_.args["object"] == wait.args["object"] == "started"
    assert trace.spans(main.id, "get result")
    joins = [j.args["target"] for j in trace.spans(main.id, "join")]
    assert "Process-4 (ping)" in joins


def test_an_unwritable_directory_drops_events_without_raising(tmp_path):
    directory = tmp_path / "gone"
    directory.mkdir()
    recorder = Recorder(directory)
    directory.rmdir()
    recorder.mark("lost")
    recorder.span("put", 1, 2)
    assert recorder.dropped == 3  # the actor's declaration and two events


def test_the_coroutine_hook_is_installed_only_for_scripts_that_need_it(script):
    from concdoc._inside.instrument import defines_coroutines

    assert defines_coroutines("def g():\n    yield 1\n")
    assert defines_coroutines("async def main():\n    pass\n")
    assert not defines_coroutines("print(sum(x for x in range(3)))\n")
    assert not defines_coroutines("def (:\n")
    check = "import sys\nprint(sys.getprofile() is not None)\n"
    assert _traced(script(check)).output.strip() == "False"
    needs = check + "def g():\n    yield 1\n"
    assert _traced(script(needs, "gen.py")).output.strip() == "True"


def test_script_helpers_do_nothing_untraced_and_record_when_traced(script, monkeypatch):
    from concdoc import trace
    from concdoc._inside import tracewriter

    monkeypatch.delenv("CONCDOC_TRACE_DIR", raising=False)
    monkeypatch.setattr(tracewriter, "_recorder", None)
    trace.mark("nothing")
    with trace.span("block"):
        pass
    assert trace.active_recorder() is None
    helpers = """
from concdoc import trace
trace.mark("phase", step=1)
with trace.span("load", state="running", rows=3):
    pass
"""
    result = _traced(script(helpers))
    (phase,) = result.trace.marks(name="phase")
    (load,) = result.trace.spans(name="load")
    assert phase.args == {"step": 1} and load.args == {"rows": 3}
    assert phase.start <= load.start


CANCELLED = """
import asyncio

async def slow():
    await asyncio.sleep(60)

async def main():
    try:
        await asyncio.wait_for(slow(), 0.05)
    except TimeoutError:
        print("timed out")

asyncio.run(main())
"""


def test_a_cancelled_asyncio_sleep_stays_on_its_task_lane(script):
    # the cancellation reaches the sleep before the task's frame resumes
    trace = _traced(script(CANCELLED)).trace
    slow = trace.actor_named("slow", "task").id
    sleeps = trace.spans(slow, "sleep")
    assert len(sleeps) == 1
    assert sleeps[0].duration < 30e9  # cut short by the 0.05 s timeout, not 60 s
    assert not trace.spans(trace.actor_named("MainProcess").id, "sleep")


MP_SYNC = """
import multiprocessing, threading

def child(lock, rlock, sem, cond, barrier, counter, done):
    # the parent holds the locks, nobody releases sem or notifies in time
    print("lock", lock.acquire(timeout=0.05))
    print("rlock", rlock.acquire(timeout=0.05))
    print("sem", sem.acquire(timeout=0.05))
    print("counter", counter.get_lock().acquire(timeout=0.05))
    try:
        barrier.wait(timeout=0.05)  # the only party: it breaks
    except threading.BrokenBarrierError:
        print("barrier broken")
    with cond:
        print("cond", cond.wait(timeout=0.05))
        done.value = 1
        cond.notify_all()

if __name__ == "__main__":
    lock, rlock = multiprocessing.Lock(), multiprocessing.RLock()
    sem, cond = multiprocessing.Semaphore(0), multiprocessing.Condition()
    barrier = multiprocessing.Barrier(2)
    counter = multiprocessing.Value("i", 0)
    done = multiprocessing.Value("i", 0, lock=False)
    lock.acquire()
    rlock.acquire()
    counter.get_lock().acquire()
    p = multiprocessing.Process(
        target=child, args=(lock, rlock, sem, cond, barrier, counter, done)
    )
    with cond:
        p.start()
        print("parent woken", cond.wait_for(lambda: done.value, timeout=30))
    p.join()
    counter.value += 5  # takes the lock again inside: not the script's take
    print("counter", counter.value)
    for held in (lock, rlock, counter.get_lock()):
        held.release()
    bounded = multiprocessing.BoundedSemaphore(1)
    try:
        bounded.release()
    except ValueError as exc:
        print("over-released:", exc)
"""

TIMED_OUT = {"lock", "rlock", "sem", "counter.get_lock()", "barrier"}


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_multiprocessing_locks_conditions_semaphores_and_barriers(script, method):
    path = script(MP_SYNC)
    plain = run_example(path, start_method=method)
    result = _traced(path, start_method=method)
    assert (
        result.output
        == plain.output
        == (
            "lock False\nrlock False\nsem False\ncounter False\nbarrier broken\n"
            "cond False\nparent woken 1\ncounter 5\n"
            "over-released: semaphore or lock released too many times\n"
        )
    )
    trace = result.trace
    main = trace.actor_named("MainProcess", "process").id
    child = trace.actor_named("Process-1 (child)", "process").id

    def calls(actor, kind="span"):
        return [
            (e.name, e.args.get("object"))
            for e in trace.select(kind, actor)
            if e.name not in ("alive", "join")
        ]

    # named after the parent's variables on both sides, under every start
    # method; cond may have been held by the parent until its wait_for
    assert _without(calls(child), ("acquire", "cond")) == [
        ("acquire", "lock"),
        ("acquire", "rlock"),
        ("acquire", "sem"),
        ("acquire", "counter.get_lock()"),
        ("wait", "barrier"),
        ("wait", "cond"),
    ]
    assert calls(child, "mark") == [("notify", "cond"), ("release", "cond")]
    blocked = [s for s in trace.spans(child) if s.args.get("object") in TIMED_OUT]
    # each one waited out its timeout, blocked (a coarse lower bound)
    assert all(s.state == "blocked" and s.duration >= 0.04e9 for s in blocked)
    (broken,) = [s for s in blocked if s.name == "wait"]
    assert broken.args["outcome"] == "BrokenBarrierError"
    # wait_for is one span, its waits inside it; `.value` takes no span; the
    # locks were free when main took them: not recorded
    assert calls(main) == [("wait", "cond")]
    # the parent's wait ended after the child's notify; the over-release of
    # `bounded` raised inside release(): not marked
    (notify,) = trace.marks(child, "notify")
    (woken,) = trace.spans(main, "wait")
    assert woken.start < notify.start <= woken.end
    assert calls(main, "mark") == [
        ("release", "cond"),
        ("release", "lock"),
        ("release", "rlock"),
        ("release", "counter.get_lock()"),
    ]


ASYNC_SYNC = """
import asyncio

async def holder(lock, slots, started):
    async with lock:
        async with slots:
            started.set()
            await asyncio.sleep(0.02)

async def waiter(lock, slots, started):
    await started.wait()
    async with slots:
        pass
    await lock.acquire()
    lock.release()

async def consumer(cond, items):
    async with cond:
        await cond.wait_for(lambda: items)
        print("consumer got", items.pop())

async def producer(cond, items):
    async with cond:
        items.append(1)
        cond.notify()

async def main():
    lock, slots, started = asyncio.Lock(), asyncio.Semaphore(1), asyncio.Event()
    await asyncio.gather(holder(lock, slots, started), waiter(lock, slots, started))
    cond, items = asyncio.Condition(), []
    await asyncio.gather(consumer(cond, items), producer(cond, items))
    await lock.acquire()
    try:
        await asyncio.wait_for(lock.acquire(), 0.01)
    except asyncio.TimeoutError:
        print("timed out")
    lock.release()
    try:
        lock.release()
    except RuntimeError as exc:
        print(exc)

asyncio.run(main())
"""


def test_asyncio_locks_events_conditions_semaphores_on_their_tasks(script):
    result = _traced(script(ASYNC_SYNC))
    assert result.output == "consumer got 1\ntimed out\nLock is not acquired.\n"
    trace = result.trace

    def calls(task, kind="span"):
        actor = trace.actor_named(task, "task").id
        return [
            (e.name, e.args.get("object"), e.args.get("outcome"))
            for e in trace.select(kind, actor)
            if e.state != "running" and e.name != "sleep"
        ]

    assert calls("holder") == [
        ("acquire", "lock", None),
        ("acquire", "slots", None),
    ]
    assert calls("holder", "mark") == [
        ("set", "started", None),
        ("release", "slots", None),
        ("release", "lock", None),
    ]
    # `async with` and the acquire it awaits are one span, not two
    assert calls("waiter") == [
        ("wait", "started", None),
        ("acquire", "slots", None),
        ("acquire", "lock", None),
    ]
    holder = trace.actor_named("holder", "task").id
    waiter = trace.actor_named("waiter", "task").id
    (freed,) = [
        m for m in trace.marks(holder, "release") if m.args["object"] == "slots"
    ]
    (took,) = [s for s in trace.spans(waiter, "acquire") if s.args["object"] == "slots"]
    assert took.start < freed.start <= took.end  # it waited for the release
    # wait_for is one wait, whatever it awaits inside
    assert calls("consumer") == [("acquire", "cond", None), ("wait", "cond", None)]
    assert calls("producer", "mark") == [
        ("notify", "cond", None),
        ("release", "cond", None),
    ]
    # the acquire that wait_for cancelled stays on main's lane; the failed
    # release is not marked
    assert calls("main") == [
        ("acquire", "lock", None),
        ("acquire", "lock", "CancelledError"),
    ]
    assert calls("main", "mark") == [("release", "lock", None)]


MANY_TAKES = """
import multiprocessing

def add(counter, n):
    for _ in range(n):
        with counter.get_lock():
            counter.value += 1

if __name__ == "__main__":
    counter = multiprocessing.Value("i", 0)
    for _ in "ab":  # one after the other: each acquire takes the lock at once
        worker = multiprocessing.Process(target=add, args=(counter, 300))
        worker.start()
        worker.join()
    with counter.get_lock():
        print(counter.value)
"""


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_each_process_reports_what_it_left_out_of_a_busy_lock(script, method):
    result = _traced(script(MANY_TAKES), start_method=method)
    assert result.output.strip() == "600"
    trace = result.trace
    limit = trace_module.OBJECT_EVENT_LIMIT
    reports = trace.marks(name=trace_module.LEFT_OUT)
    # each worker: 300 releases (no acquire waited), the first `limit` written
    assert [r.args["left_out"] for r in reports] == [300 - limit] * 2
    assert trace.left_out() == {"counter.get_lock()": 2 * (300 - limit)}
    workers = {trace.actors[r.actor].pid for r in reports}
    main = trace.actor_named("MainProcess", "process").pid
    assert len(workers) == 2 and main not in workers
    written = [e for e in trace.events if e.args.get("object") == "counter.get_lock()"]
    # the workers' first `limit` each, their two reports, and main's release
    assert len(written) == 2 * limit + 2 + 1
