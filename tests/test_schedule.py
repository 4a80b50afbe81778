"""concdoc.schedule: jobs run a few at a time, results taken by key, run-alone jobs
alone, and a lock that makes a second process wait."""

from __future__ import annotations

import fcntl
import os
import threading

import pytest

from concdoc.schedule import FileLock, RunPool


def _logged(log: list[str], lock: threading.Lock, name: str, body=None):
    def work():
        with lock:
            log.append(f"start {name}")
        value = body() if body else name
        with lock:
            log.append(f"end {name}")
        return value

    return work


def test_jobs_run_side_by_side_and_are_taken_by_key():
    pool = RunPool(3)
    # a job on its own thread does not take a worker's place
    pool.add("own", lambda: "mine", own_thread=True)
    # each job waits for the other two: they can only pass together
    barrier = threading.Barrier(3, timeout=30)
    for name in ("a", "b", "c"):
        pool.add(name, lambda name=name: (barrier.wait(), name.upper())[1])
    seen = []
    assert pool.take("c", seen.append) == "C"
    assert pool.take("a") == "A" and pool.take("b") == "B"
    assert pool.take("own") == "mine"
    assert "a" not in pool
    assert sorted(f.number for f in seen) == list(range(1, len(seen) + 1))
    pool.close()


def test_progress_reports_every_job_once_in_finishing_order():
    pool = RunPool(1)
    for name in ("x", "y", "z"):
        pool.add(name, lambda name=name: name)
    seen = []
    pool.take("z", seen.append)
    pool.take("x", seen.append)
    pool.take("y", seen.append)
    assert sorted(f.key for f in seen) == ["x", "y", "z"]
    assert [f.number for f in seen] == [1, 2, 3] and seen[-1].total == 3
    pool.close()


def test_take_moves_a_queued_job_to_the_front():
    pool = RunPool(1)
    gate, busy = threading.Event(), threading.Event()
    pool.add("early", lambda: "early")
    # the single worker runs "early" first, so it has finished once "blocker" runs
    pool.add("blocker", lambda: (busy.set(), gate.wait(30)))
    assert busy.wait(30)
    for name in ("x", "y", "z"):
        pool.add(name, lambda name=name: name)
    seen = []

    def on_finished(record):
        # take() reports "early" only after it has moved "z" to the front:
        # letting the blocker end here shows whether "z" is next
        seen.append(record.key)
        if record.key == "early":
            gate.set()

    assert pool.take("z", on_finished) == "z"
    assert seen[:3] == ["early", "blocker", "z"]  # x and y may follow at once
    assert [pool.take(name) for name in ("x", "y")] == ["x", "y"]
    pool.close()


def test_an_exception_is_raised_by_take_and_others_still_run():
    pool = RunPool(2)

    def fails():
        raise LookupError("nope")

    pool.add("bad", fails)
    pool.add("good", lambda: 42)
    with pytest.raises(LookupError, match="nope"):
        pool.take("bad")
    assert pool.take("good") == 42
    with pytest.raises(KeyError):
        pool.take("never added")
    pool.close()


def test_a_run_alone_job_runs_after_the_others_with_nothing_beside_it():
    pool = RunPool(2)
    log: list[str] = []
    lock = threading.Lock()
    gate = threading.Event()
    pool.add("p1", _logged(log, lock, "p1", lambda: gate.wait(30)))
    pool.add("own", _logged(log, lock, "own", lambda: gate.wait(30)), own_thread=True)
    pool.add("alone", _logged(log, lock, "alone"), alone=True)
    # queued after the alone job, still runs before it
    pool.add("p2", _logged(log, lock, "p2", lambda: gate.wait(30)))
    gate.set()
    pool.take("alone")
    for name in ("p1", "p2", "own"):
        pool.take(name)
    start = log.index("start alone")
    assert log[start + 1] == "end alone"
    assert all(f"end {name}" in log[:start] for name in ("p1", "p2", "own"))
    # and nothing starts while it runs
    gate.clear()
    log.clear()
    running = threading.Event()
    work = _logged(log, lock, "alone2", lambda: (running.set(), gate.wait(30)))
    pool.add("alone2", work, alone=True)
    assert running.wait(30)
    started = threading.Event()
    pool.add("later", lambda: started.set())
    assert not started.wait(0.2)  # a bound, not synchronisation: it must not start
    gate.set()
    pool.take("later")
    assert log == ["start alone2", "end alone2"]
    pool.close()


def test_close_drops_queued_jobs_and_rejects_new_ones():
    pool = RunPool(1)
    gate = threading.Event()
    pool.add("running", lambda: gate.wait(30))
    pool.add("queued", lambda: "never")
    closer = threading.Thread(target=pool.close)
    closer.start()
    gate.set()
    closer.join(30)
    assert not closer.is_alive()
    with pytest.raises(RuntimeError, match="closed"):
        pool.add("new", lambda: None)
    with pytest.raises(ValueError):
        RunPool(0)


def _is_locked(path) -> bool:
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_file_lock_makes_the_next_holder_wait(tmp_path):
    path = tmp_path / "sub" / "gallery.lock"
    first = FileLock(path)
    first.acquire()
    assert _is_locked(path)
    second = FileLock(path)
    got = threading.Event()

    def wait_for_it():
        with second:
            got.set()

    waiter = threading.Thread(target=wait_for_it)
    waiter.start()
    assert not got.wait(0.2)  # a bound: the lock is held
    first.release()
    waiter.join(30)
    assert got.is_set() and not _is_locked(path)
    first.release()  # releasing twice does nothing


def test_file_lock_can_be_tried_without_waiting(tmp_path):
    path = tmp_path / "gallery.lock"
    first, second = FileLock(path), FileLock(path)
    assert first.acquire(blocking=False)
    assert not second.acquire(blocking=False)  # held: no wait, no lock
    first.release()
    assert second.acquire(blocking=False) and _is_locked(path)
    second.release()
