"""Run jobs a few at a time while one caller collects their results in its order.

The docs build hands every example that needs running to a :class:`RunPool`
before sphinx-gallery starts writing pages; sphinx-gallery then asks for the
examples one at a time, in gallery order, and :meth:`RunPool.take` hands each
result over, waiting for it if it is not ready. Meanwhile the examples run
``workers`` at a time, each in its own interpreter.

A job added with ``alone=True`` (``# concdoc: run-alone``: a benchmark whose
numbers would suffer from company) starts only when no other job is queued or
running, and nothing else starts until it has finished.

:class:`FileLock` serialises work between processes: two builds (English and
Chinese) sharing one generated gallery take turns generating it.

No Sphinx here; ``concdoc.sphinxext`` uses both.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["FileLock", "Finished", "RunPool"]


@dataclass(frozen=True)
class Finished:
    """A job that has finished (run or raised), reported by :meth:`RunPool.take`.

    Parameters
    ----------
    key : hashable
        The job's key.
    seconds : float
        How long the job ran.
    number : int
        Its place among the jobs finished so far (from 1).
    total : int
        How many jobs the pool had been given by then.
    """

    key: Hashable
    seconds: float
    number: int
    total: int


@dataclass(eq=False)
class _Job:
    key: Hashable
    work: Callable[[], Any]
    alone: bool
    done: bool = False
    value: Any = None
    error: BaseException | None = None


class RunPool:
    """Run callables on ``workers`` threads; hand their results out by key.

    Parameters
    ----------
    workers : int
        How many jobs may run at once (at least 1).
    """

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.workers = workers
        self._cond = threading.Condition()
        self._queue: deque[_Job] = deque()
        self._alone: deque[_Job] = deque()
        self._jobs: dict[Hashable, _Job] = {}
        self._running = 0
        self._alone_running = False
        self._finished: list[Finished] = []
        self._reported = 0
        self._threads: list[threading.Thread] = []
        self._serving = 0  # worker threads (not counting own-thread jobs)
        self._closed = False

    def __contains__(self, key: Hashable) -> bool:
        with self._cond:
            return key in self._jobs

    def add(
        self,
        key: Hashable,
        work: Callable[[], Any],
        *,
        alone: bool = False,
        first: bool = False,
        own_thread: bool = False,
    ) -> None:
        """Queue ``work()`` under ``key``.

        Parameters
        ----------
        key : hashable
            Names the job for :meth:`take`; must not be in the pool already.
        work : callable
            Called with no arguments on a worker thread.
        alone : bool
            Run it with nothing else running (after every other queued job).
        first : bool
            Put it at the head of its queue.
        own_thread : bool
            Start it at once on a thread of its own, beside the workers (a
            long wait that uses little CPU); it still never runs beside an
            ``alone`` job.
        """
        with self._cond:
            if self._closed:
                raise RuntimeError("the pool is closed")
            if key in self._jobs:
                raise ValueError(f"job {key!r} is already in the pool")
            job = _Job(key, work, alone)
            self._jobs[key] = job
            if own_thread:
                # counted as running from now on, unless it has to wait
                counted = not self._alone_running
                self._running += counted
                self._spawn(lambda: self._serve_one(job, counted))
                return
            queue = self._alone if alone else self._queue
            if first:
                queue.appendleft(job)
            else:
                queue.append(job)
            while self._serving < self.workers:
                self._serving += 1
                self._spawn(self._serve)
            self._cond.notify_all()

    def take(
        self, key: Hashable, on_finished: Callable[[Finished], None] | None = None
    ) -> Any:
        """Wait for the job ``key`` and return its value (or raise its exception).

        A job still queued moves to the head of its queue. Every job that
        finishes meanwhile (and any not reported yet) is passed to
        ``on_finished``, in the order they finished, on the calling thread.
        The job leaves the pool: its key may be added again.

        Raises
        ------
        KeyError
            If no job has that key.
        """
        with self._cond:
            job = self._jobs[key]
            for queue in (self._queue, self._alone):
                if job in queue:
                    queue.remove(job)
                    queue.appendleft(job)
        while True:
            with self._cond:
                news = self._finished[self._reported :]
                self._reported = len(self._finished)
                done = job.done
                if not news and not done:
                    self._cond.wait()
                    continue
                if done:
                    del self._jobs[key]
            if on_finished is not None:
                for record in news:
                    on_finished(record)
            if done:
                break
        if job.error is not None:
            raise job.error
        return job.value

    def close(self) -> None:
        """Drop the jobs not started yet and wait for the running ones."""
        with self._cond:
            self._closed = True
            self._queue.clear()
            self._alone.clear()
            self._cond.notify_all()
            threads = list(self._threads)
        for thread in threads:
            if thread is not threading.current_thread():
                thread.join()

    # --- worker side -----------------------------------------------------

    def _spawn(self, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name="concdoc-run", daemon=True)
        self._threads.append(thread)
        thread.start()

    def _next(self) -> _Job | None:
        """The next job this worker may start (called with the lock held)."""
        if self._alone_running:
            return None
        if self._queue:
            return self._queue.popleft()
        if self._alone and self._running == 0:
            self._alone_running = True
            return self._alone.popleft()
        return None

    def _serve(self) -> None:
        while True:
            with self._cond:
                job = self._next()
                while job is None:
                    if self._closed:
                        return
                    self._cond.wait()
                    job = self._next()
                self._running += 1
            self._execute(job)

    def _serve_one(self, job: _Job, counted: bool) -> None:
        if not counted:
            with self._cond:
                while self._alone_running and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                self._running += 1
        self._execute(job)

    def _execute(self, job: _Job) -> None:
        start = time.monotonic()
        try:
            job.value = job.work()
        except BaseException as exc:  # noqa: BLE001 -- raised again by take()
            job.error = exc
        seconds = time.monotonic() - start
        with self._cond:
            self._running -= 1
            if job.alone:
                self._alone_running = False
            job.done = True
            number = len(self._finished) + 1
            total = number + len(self._queue) + len(self._alone) + self._running
            self._finished.append(Finished(job.key, seconds, number, total))
            self._cond.notify_all()


class FileLock:
    """An exclusive lock on a file, held by one process at a time (POSIX ``flock``).

    Where ``fcntl`` is missing (Windows) the lock does nothing. The operating
    system releases it when the process ends, however it ends.

    Parameters
    ----------
    path : path-like
        The lock file; created (with its folder) if missing.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self, blocking: bool = True) -> bool:
        """Wait until the lock is ours; without ``blocking``, only try.

        Returns whether the lock is now held (always True when blocking).
        """
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return True

    def release(self) -> None:
        """Let the next process have it (nothing happens if not held)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
