"""Checks behind the text of the thread-queue examples and thread pitfalls."""

from __future__ import annotations

import dataclasses
import inspect
import queue
import threading
import time

from claims import claim
from claims._util import BOUND, raises, returns_at_once, run_script, still_waiting

PAGE = "examples/thread_queues/blocking_and_timeouts"
KINDS = "examples/thread_queues/queue_kinds"
TASKS = "examples/thread_queues/task_done_join"
BOUNDED = "examples/thread_queues/bounded_queue_blocking_put"
POLLING = "examples/thread_queues/busy_polling_broken"
PRODUCER = "examples/thread_queues/producer_consumer"
TIMEOUT = "examples/thread_queues/put_timeout_full"
RACE = "examples/pitfalls/empty_then_get_race_broken"
DAEMON = "examples/pitfalls/daemon_thread_exit_broken"


@claim("``put()`` has three parameters, not two: the item, ``block`` and ``timeout``.")
def put_three_parameters():
    params = list(inspect.signature(queue.Queue.put).parameters)
    assert params == ["self", "item", "block", "timeout"]


@claim("``block`` defaults to ``True``, so a plain ``put(item)`` is a blocking call.")
def block_defaults_true():
    assert inspect.signature(queue.Queue.put).parameters["block"].default is True
    q = queue.Queue(1)
    q.put(0)
    still_waiting(lambda: q.put(1), q.get)


@claim("On an empty queue, ``put(item, block=False)`` simply stores the item")
def nonblocking_put_on_empty():
    q = queue.Queue(3)
    q.put("x", block=False)
    assert q.get_nowait() == "x"


@claim(
    "with ``block=False`` (or ``put_nowait()``) it raises at once, and any timeout is "
    "ignored."
)
def put_nowait_raises_at_once():
    q = queue.Queue(1)
    q.put(0)
    returns_at_once(lambda: raises(queue.Full, lambda: q.put(1, False, 30)))
    returns_at_once(lambda: raises(queue.Full, lambda: q.put_nowait(1)))


@claim(
    'A timeout of 0 also means "do not wait", while a negative timeout is a '
    "programming error."
)
def timeout_zero_and_negative():
    q = queue.Queue()
    returns_at_once(lambda: raises(queue.Empty, lambda: q.get(timeout=0)))
    raises(ValueError, lambda: q.get(timeout=-0.5))


@claim("``get()`` waits only on an empty queue.")
def get_waits_only_when_empty():
    q = queue.Queue()
    q.put(1)
    assert returns_at_once(q.get) == 1
    still_waiting(q.get, lambda: q.put(2))


@claim(
    "When a wait ends without success, ``put()`` raises ``queue.Full`` and ``get()`` "
    "raises ``queue.Empty``."
)
def failed_waits_raise():
    q = queue.Queue(1)
    raises(queue.Empty, lambda: q.get(timeout=0.01))
    q.put(0)
    raises(queue.Full, lambda: q.put(1, timeout=0.01))


@claim(
    "When it is full, ``put()`` does not fail and does not drop the item: it blocks "
    "until the consumer has taken one out.",
    page=BOUNDED,
)
def full_put_blocks_and_keeps_item():
    q = queue.Queue(maxsize=2)
    q.put("a")
    q.put("b")
    taken = []
    still_waiting(lambda: q.put("c"), lambda: taken.append(q.get()))
    assert taken == ["a"]
    assert [q.get_nowait(), q.get_nowait()] == ["b", "c"]


@claim(
    "``drain`` empties a queue without blocking: ``get_nowait()`` raises "
    "``queue.Empty`` once nothing is left.",
    page=KINDS,
)
def get_nowait_empty():
    q = queue.LifoQueue()
    q.put(1)
    assert q.get_nowait() == 1
    returns_at_once(lambda: raises(queue.Empty, q.get_nowait))


@claim("When two tuples have the same priority, the next element decides.", page=KINDS)
def priority_tie_next_element():
    q = queue.PriorityQueue()
    q.put((2, "write"))
    q.put((1, "read"))
    q.put((2, "backup"))
    assert [q.get_nowait()[1] for _ in range(3)] == ["read", "backup", "write"]


@claim("Dicts do not support ``<``, so the second ``put()`` fails.", page=KINDS)
def dict_payload_second_put_fails():
    raises(TypeError, lambda: {} < {})
    q = queue.PriorityQueue()
    q.put((1, {"task": "a"}))
    raises(TypeError, lambda: q.put((1, {"task": "b"})))


@dataclasses.dataclass(order=True)
class _Task:
    priority: int
    payload: dict = dataclasses.field(compare=False)


@claim(
    "Tasks with equal priority then compare equal, and a heap does not promise to keep "
    "their insertion order",
    page=KINDS,
)
def equal_tasks_not_in_insertion_order():
    assert _Task(1, {"a": 1}) == _Task(1, {"b": 2})
    q = queue.PriorityQueue()
    for name in "abcd":
        q.put(_Task(1, {"name": name}))
    order = [q.get_nowait().payload["name"] for _ in range(4)]
    assert sorted(order) == list("abcd") and order != list("abcd")


@claim(
    "``Queue.join()`` blocks until every item that was ever ``put()`` on the queue has "
    "been marked finished with ``task_done()``.",
    page=TASKS,
)
def join_blocks_until_all_done():
    q = queue.Queue()
    for i in range(3):
        q.put(i)
    for _ in range(3):
        q.get()
    q.task_done()
    q.task_done()
    still_waiting(q.join, q.task_done)


@claim(
    "A second ``join()`` returns at once: there is no unfinished item left.", page=TASKS
)
def second_join_at_once():
    q = queue.Queue()
    q.put(1)
    q.get()
    q.task_done()
    q.join()
    returns_at_once(q.join)


@claim("The sentinel is an item too, so it gets its own ``task_done()``.", page=TASKS)
def sentinel_needs_task_done():
    q = queue.Queue()
    q.put("job")
    q.put(None)
    q.get()
    q.task_done()
    assert q.get() is None
    still_waiting(q.join, q.task_done)


@claim(
    "Calling ``task_done()`` more often than items were put is a bug, and the queue "
    "reports it with ``ValueError``.",
    page=TASKS,
)
def task_done_too_often():
    raises(ValueError, queue.Queue().task_done)


@claim(
    "pass ``daemon=True`` to the constructor (or set the ``daemon`` attribute) "
    "instead.",
    page=POLLING,
)
def daemon_without_set_daemon():
    first = threading.Thread(target=print, daemon=True)
    second = threading.Thread(target=print)
    second.daemon = True
    assert first.daemon and second.daemon


@claim(
    "the consumer's ``get()`` blocks until an item arrives, so waiting costs no "
    "CPU at all.",
    page=PRODUCER,
)
def blocked_get_uses_no_cpu():
    q = queue.Queue()
    cpu = {}

    def consumer():
        started = time.thread_time()
        item = q.get()
        cpu["used"] = time.thread_time() - started
        return item

    assert still_waiting(consumer, lambda: q.put("x")) == "x"
    assert cpu["used"] < 0.05  # a busy wait of 0.2 s would use about 0.2 s


@claim(
    "``put(item, timeout=seconds)`` waits at most that long for room in a full queue, "
    "then raises ``queue.Full``.",
    page=TIMEOUT,
)
def put_timeout_on_full():
    q = queue.Queue(1)
    q.put(0)
    started = time.monotonic()
    raises(queue.Full, lambda: q.put(1, timeout=0.05))
    assert 0.05 <= time.monotonic() - started < BOUND


@claim(
    "the second one is blocked only until a consumer thread makes room.",
    page=TIMEOUT,
)
def put_timeout_succeeds_when_room_made():
    q = queue.Queue(1)
    q.put(0)
    still_waiting(lambda: q.put(1, timeout=BOUND * 3), q.get)
    assert q.get_nowait() == 1


@claim(
    "a ``False`` answer does not guarantee that a later ``get()`` will not block.",
    page=RACE,
)
def empty_false_then_get_blocks():
    q = queue.Queue()
    q.put("only item")
    checked = threading.Barrier(2)
    outcome = {}

    def consumer(name):
        if not q.empty():
            checked.wait(BOUND)  # both have seen "not empty"
            try:
                outcome[name] = q.get(timeout=0.2)
            except queue.Empty:
                outcome[name] = "waited in vain"

    threads = [threading.Thread(target=consumer, args=(n,)) for n in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(BOUND)
    assert sorted(outcome.values()) == ["only item", "waited in vain"]


@claim(
    "``get()`` checks and removes the item in one step, under the queue's lock, so "
    "there is nothing to race with.",
    page=RACE,
)
def get_is_one_step():
    q = queue.Queue()
    q.put("only item")
    start = threading.Barrier(2)
    outcome = []

    def consumer():
        start.wait(BOUND)
        try:
            outcome.append(q.get_nowait())
        except queue.Empty:
            outcome.append(None)

    threads = [threading.Thread(target=consumer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(BOUND)
    assert sorted(outcome, key=str) == [None, "only item"]


_WRITER = """
import sys, threading
ready = threading.Event()
daemon = sys.argv[1] == "daemon"
# the daemon's pauses outlast any delay of the main thread's exit
pause = 60 if daemon else 0.05

def write():
    with open("out.txt", "w") as out:
        try:
            for i in range(10):
                out.write(f"{i}\\n"); out.flush()
                ready.set()
                threading.Event().wait(pause)
            out.write("end\\n")
        finally:
            print("finally ran", flush=True)

thread = threading.Thread(target=write, daemon=daemon)
thread.start()
ready.wait(10)
"""


@claim(
    "they are stopped wherever they are, without running ``finally`` blocks or "
    "``with`` exits.",
    page=DAEMON,
    alone=True,
)
def daemon_thread_stopped_at_exit():
    result = run_script(_WRITER, "daemon")
    assert result.returncode == 0, result.stderr
    assert "finally ran" not in result.stdout


@claim(
    "A thread that is not a daemon (the default) is waited for at exit anyway",
    page=DAEMON,
    alone=True,
)
def non_daemon_waited_for():
    assert threading.Thread(target=print).daemon is False
    result = run_script(_WRITER, "normal")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "finally ran"
