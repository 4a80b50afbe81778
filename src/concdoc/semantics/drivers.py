"""Run one possibly blocking call with a bound, in the right execution context.

A *driver* knows how to run code for one family of implementations:

- :class:`ThreadDriver`: plain blocking calls (``queue``, ``multiprocessing``,
  pipes); the call runs in a helper thread.
- :class:`AsyncioDriver`: an event loop in a helper thread; calls may return
  awaitables, which are awaited there.
- :class:`GeventDriver`: greenlets on the calling thread's gevent hub.

:meth:`Driver.attempt` starts a call and waits at most ``bound`` seconds. If
the call has not finished, the caller releases it (puts or gets from the
other side) with :meth:`Driver.run` and then collects it with
:meth:`Attempt.finish`, so nothing is left waiting.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = ["Attempt", "AsyncioDriver", "Driver", "GeventDriver", "ThreadDriver"]

#: How long a released call may take to finish before it is abandoned.
RELEASE_BOUND = 5.0


class Attempt:
    """A call in progress or finished: its result, exception and elapsed time."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None
        self.elapsed: float | None = None
        self._waiter: Callable[[float], bool] = self.done.wait

    def record(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` (synchronously), keeping its outcome and duration."""
        start = time.monotonic()
        try:
            self.value = fn()
        except BaseException as exc:  # noqa: BLE001 - the exception is the data
            self.error = exc.with_traceback(None)  # frames may pin buffers
        self.elapsed = round(time.monotonic() - start, 6)
        self.done.set()

    async def record_async(self, fn: Callable[[], Any]) -> None:
        """Like :meth:`record`, awaiting ``fn()`` if it returns an awaitable."""
        start = time.monotonic()
        try:
            value = fn()
            if inspect.isawaitable(value):
                value = await value
            self.value = value
        except BaseException as exc:  # noqa: BLE001 - the exception is the data
            self.error = exc.with_traceback(None)  # frames may pin buffers
        self.elapsed = round(time.monotonic() - start, 6)
        self.done.set()

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the call to finish; True if it has."""
        return self._waiter(seconds)

    def finish(self) -> bool:
        """After a release: wait (bounded) for the call to end; True if it did."""
        return self.wait(RELEASE_BOUND)


class Driver:
    """Base class: ``attempt`` a bounded call, ``run`` a quick one."""

    name = "driver"

    def attempt(self, fn: Callable[[], Any], bound: float) -> Attempt:
        """Start ``fn()`` and wait up to ``bound`` seconds for it."""
        raise NotImplementedError

    def run(self, fn: Callable[[], Any]) -> Any:
        """Run a call that should not block (bounded anyway); return its value.

        Raises
        ------
        TimeoutError
            If it blocked longer than ``RELEASE_BOUND`` (5 s).
        BaseException
            Whatever ``fn`` raised.
        """
        attempt = self.attempt(fn, RELEASE_BOUND)
        if not attempt.done.is_set():
            raise TimeoutError(f"blocked for more than {RELEASE_BOUND} s")
        if attempt.error is not None:
            raise attempt.error
        return attempt.value

    def close(self) -> None:
        """Release the driver's resources."""


class ThreadDriver(Driver):
    """Runs each call in a daemon helper thread."""

    name = "thread"

    def attempt(self, fn: Callable[[], Any], bound: float) -> Attempt:
        attempt = Attempt()
        threading.Thread(
            target=attempt.record, args=(fn,), daemon=True, name="concdoc-probe"
        ).start()
        attempt.wait(bound)
        return attempt


class AsyncioDriver(Driver):
    """Runs calls as tasks of one event loop that lives in a helper thread."""

    name = "asyncio"

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self.loop.run_forever, daemon=True, name="concdoc-probe-loop"
        )
        self._thread.start()

    def attempt(self, fn: Callable[[], Any], bound: float) -> Attempt:
        attempt = Attempt()
        asyncio.run_coroutine_threadsafe(attempt.record_async(fn), self.loop)
        attempt.wait(bound)
        return attempt

    def close(self) -> None:
        async def cancel_rest() -> None:
            current = asyncio.current_task()
            for task in asyncio.all_tasks():
                if task is not current:
                    task.cancel()

        asyncio.run_coroutine_threadsafe(cancel_rest(), self.loop).result(RELEASE_BOUND)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(RELEASE_BOUND)
        if not self._thread.is_alive():
            self.loop.close()


class GeventDriver(Driver):
    """Runs calls as greenlets; waiting happens on the gevent hub."""

    name = "gevent"

    def __init__(self) -> None:
        import gevent

        self._gevent = gevent

    def attempt(self, fn: Callable[[], Any], bound: float) -> Attempt:
        attempt = Attempt()
        greenlet = self._gevent.spawn(attempt.record, fn)

        def waiter(seconds: float) -> bool:
            greenlet.join(seconds)
            return bool(greenlet.dead)

        attempt._waiter = waiter
        attempt.wait(bound)
        return attempt

    def close(self) -> None:
        self._gevent.sleep(0)  # let finished greenlets be collected
