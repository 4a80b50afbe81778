"""The measurements themselves, run by :mod:`concdoc.bench` in a fresh interpreter.

``python -m concdoc.bench._worker JOB`` (JOB a JSON object) measures one
subject -- one channel, one start method, or ``Pool.map`` -- and prints one
JSON line: ``{"samples": {key: [seconds, ...]}}``. Each key names what was
timed (``"latency 1024"``, ``"throughput 8"``, ``"start"``, ``"chunksize 16"``);
every sample is the elapsed time of one repeat. The parent turns the samples
into rates and statistics; this module only times.

One fresh interpreter per subject keeps them apart: gevent's hub, a
manager's process, a forkserver or a pool's workers cannot disturb the next
measurement.
"""

from __future__ import annotations

import collections
import functools
import json
import multiprocessing
import queue
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

#: The peer's instruction to stop (any other non-bytes item is a count).
STOP = None


def serve(get: Callable[[], Any], put: Callable[[Any], None]) -> None:
    """The peer's loop: echo each message, or take a batch and acknowledge it.

    An ``int`` n announces a batch: the peer receives n messages and then puts
    one empty ``bytes`` (the acknowledgement). Any other message is echoed.
    """
    while (item := get()) is not STOP:
        if isinstance(item, int):
            for _ in range(item):
                get()
            put(b"")
        else:
            put(item)


def serve_pipe(conn: Any) -> None:
    """:func:`serve` over one end of a duplex :func:`multiprocessing.Pipe`."""
    serve(conn.recv, conn.send)


def serve_queues(inbox: Any, outbox: Any) -> None:
    """:func:`serve` over two queues (process peers)."""
    serve(inbox.get, outbox.put)


class DequeChannel:
    """The baseline: a ``collections.deque`` guarded by a ``threading.Condition``."""

    def __init__(self) -> None:
        self._items: collections.deque[Any] = collections.deque()
        self._ready = threading.Condition()

    def put(self, item: Any) -> None:
        with self._ready:
            self._items.append(item)
            self._ready.notify()

    def get(self) -> Any:
        with self._ready:
            while not self._items:
                self._ready.wait()
            return self._items.popleft()


def round_trips(put: Callable, get: Callable, payload: bytes, count: int) -> float:
    """Seconds for ``count`` messages sent to the peer and echoed back."""
    start = time.perf_counter()
    for _ in range(count):
        put(payload)
        get()
    return time.perf_counter() - start


def one_way(put: Callable, get: Callable, payload: bytes, count: int) -> float:
    """Seconds for ``count`` messages sent to the peer and one acknowledgement."""
    start = time.perf_counter()
    put(count)
    for _ in range(count):
        put(payload)
    get()
    return time.perf_counter() - start


def repeat(once: Callable[[], float], job: dict[str, Any]) -> list[float]:
    """Warm up, then repeat ``once`` until enough repeats or the time cap.

    At least ``min_repeats`` and at most ``repeats`` samples; no new repeat
    starts once ``cap`` seconds have been spent on this measurement.
    """
    for _ in range(job["warmup"]):
        once()
    samples: list[float] = []
    spent = 0.0
    while len(samples) < job["repeats"] and (
        len(samples) < job["min_repeats"] or spent < job["cap"]
    ):
        samples.append(once())
        spent += samples[-1]
    return samples


def messages(size: int, job: dict[str, Any]) -> int:
    """How many messages one repeat sends: about ``batch_bytes``, clamped."""
    low, high = job["batch_messages"]
    return max(low, min(high, job["batch_bytes"] // size))


def sweep(job: dict[str, Any], timers: dict[str, Callable[[bytes, int], float]]):
    """Time each timer at each size; samples are seconds per message.

    ``timers`` maps ``"latency"`` / ``"throughput"`` to a function of
    (payload, count) returning the seconds ``count`` messages took.
    """
    samples: dict[str, list[float]] = {}
    # Settle first (untimed, twice as long as one measurement's cap): the first
    # exchanges after the peer starts are slower while the operating system
    # decides where to run it, and would otherwise all land on the first size.
    settle = next(iter(timers.values()))
    deadline = time.perf_counter() + 2 * job["cap"]
    while time.perf_counter() < deadline:
        settle(b"x", 10)
    for size in job["sizes"]:
        payload, count = b"x" * size, messages(size, job)
        for key, timer in timers.items():
            once = functools.partial(timer, payload, count)
            samples[f"{key} {size}"] = [s / count for s in repeat(once, job)]
    return samples


def _measure_sync(put: Callable, get: Callable, job: dict[str, Any]) -> dict:
    timers: dict[str, Callable[[bytes, int], float]] = {
        "latency": functools.partial(round_trips, put, get),
        "throughput": functools.partial(one_way, put, get),
    }
    samples = sweep(job, timers)
    put(STOP)
    return samples


def _thread_channel(name: str, job: dict[str, Any]) -> dict:
    make: Callable[[], Any] = {
        "queue.Queue": queue.Queue,
        "queue.SimpleQueue": queue.SimpleQueue,
        "deque+Condition": DequeChannel,
    }[name]
    inbox, outbox = make(), make()
    peer = threading.Thread(target=serve, args=(inbox.get, outbox.put), daemon=True)
    peer.start()
    try:
        return _measure_sync(inbox.put, outbox.get, job)
    finally:
        peer.join(timeout=10)


def _process_channel(name: str, job: dict[str, Any]) -> dict:
    ctx = multiprocessing.get_context()
    manager = None
    inbox: Any
    outbox: Any
    put: Callable[[Any], None]
    get: Callable[[], Any]
    if name == "multiprocessing.Pipe":
        mine, theirs = ctx.Pipe()
        peer = ctx.Process(target=serve_pipe, args=(theirs,))
        put, get = mine.send, mine.recv
    else:
        if name == "Manager.Queue":
            manager = ctx.Manager()
            inbox, outbox = manager.Queue(), manager.Queue()
        elif name == "multiprocessing.SimpleQueue":
            inbox, outbox = ctx.SimpleQueue(), ctx.SimpleQueue()
        else:
            inbox, outbox = ctx.Queue(), ctx.Queue()
        peer = ctx.Process(target=serve_queues, args=(inbox, outbox))
        put, get = inbox.put, outbox.get
    peer.start()
    try:
        return _measure_sync(put, get, job)
    finally:
        peer.join(timeout=10)
        if peer.is_alive():
            peer.kill()
            peer.join()
        if manager is not None:
            manager.shutdown()


def _gevent_channel(job: dict[str, Any]) -> dict:
    import gevent
    import gevent.queue

    inbox: gevent.queue.Queue[Any] = gevent.queue.Queue()
    outbox: gevent.queue.Queue[Any] = gevent.queue.Queue()
    peer = gevent.spawn(serve, inbox.get, outbox.put)
    try:
        return _measure_sync(inbox.put, outbox.get, job)
    finally:
        peer.join(timeout=10)


def _asyncio_channel(job: dict[str, Any]) -> dict:
    import asyncio

    async def peer(inbox: asyncio.Queue, outbox: asyncio.Queue) -> None:
        while (item := await inbox.get()) is not STOP:
            if isinstance(item, int):
                for _ in range(item):
                    await inbox.get()
                outbox.put_nowait(b"")
            else:
                outbox.put_nowait(item)

    async def trips(inbox: asyncio.Queue, outbox: asyncio.Queue, payload, count):
        start = time.perf_counter()
        for _ in range(count):
            inbox.put_nowait(payload)
            await outbox.get()
        return time.perf_counter() - start

    async def batch(inbox: asyncio.Queue, outbox: asyncio.Queue, payload, count):
        start = time.perf_counter()
        inbox.put_nowait(count)
        for _ in range(count):
            inbox.put_nowait(payload)
        await outbox.get()
        return time.perf_counter() - start

    loop = asyncio.new_event_loop()
    try:
        inbox: asyncio.Queue = asyncio.Queue()
        outbox: asyncio.Queue = asyncio.Queue()
        task = loop.create_task(peer(inbox, outbox))
        timers = {
            "latency": lambda p, n: loop.run_until_complete(trips(inbox, outbox, p, n)),
            "throughput": lambda p, n: loop.run_until_complete(
                batch(inbox, outbox, p, n)
            ),
        }
        samples = sweep(job, timers)
        inbox.put_nowait(STOP)
        loop.run_until_complete(task)
        return samples
    finally:
        loop.close()


def noop() -> None:
    """The trivial target whose start and join are timed."""


def _start_method(method: str, job: dict[str, Any]) -> dict:
    """Start + join of a trivial process (or, for ``"thread"``, a thread)."""
    if method == "thread":
        make: Callable[..., Any] = threading.Thread
    else:
        # typeshed's BaseContext (what get_context(str) returns) lacks Process
        context: Any = multiprocessing.get_context(method)
        make = context.Process

    def once() -> float:
        start = time.perf_counter()
        worker = make(target=noop)
        worker.start()
        worker.join()
        return time.perf_counter() - start

    return {"start": repeat(once, job)}


def small_task(n: int) -> int:
    """A few microseconds of work: the fixed work of the chunksize benchmark."""
    return sum(range(n % 7 + 100))


def _chunksize(job: dict[str, Any]) -> dict:
    ctx = multiprocessing.get_context()
    tasks = range(job["tasks"])
    samples: dict[str, list[float]] = {}
    with ctx.Pool(job["workers"]) as pool:
        for chunksize in job["chunksizes"]:

            def once(chunksize: int = chunksize) -> float:
                start = time.perf_counter()
                pool.map(small_task, tasks, chunksize=chunksize)
                return time.perf_counter() - start

            samples[f"chunksize {chunksize}"] = repeat(once, job)
    return samples


def measure(job: dict[str, Any]) -> dict[str, list[float]]:
    """Run the measurement ``job`` describes; return its samples by key."""
    kind, subject = job["kind"], job["subject"]
    if kind == "start":
        return _start_method(subject, job)
    if kind == "chunksize":
        return _chunksize(job)
    if subject == "asyncio.Queue":
        return _asyncio_channel(job)
    if subject == "gevent.queue.Queue":
        return _gevent_channel(job)
    if subject.startswith(("queue.", "deque")):
        return _thread_channel(subject, job)
    return _process_channel(subject, job)


def main() -> None:
    """Entry point: the job is the first argument; one JSON line is printed."""
    job = json.loads(sys.argv[1])
    print(json.dumps({"samples": measure(job)}), flush=True)


if __name__ == "__main__":
    main()
