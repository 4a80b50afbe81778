"""Small helpers shared by the checks: bounded waits, child scripts, gates."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from typing import Any

#: How long a call must stay unfinished to count as "blocks".
BLOCKED = 0.2
#: Bound on anything that should finish (a released call, a join).
BOUND = 10.0
#: Longest a call may take and still count as "returns at once". Every
#: alternative the checks rule out waits for ever or at least :data:`BOUND`
#: (a release, a 30 s timeout), so this leaves a loaded machine (eight checks
#: side by side, a GIL shared with them) room without letting a wait pass.
AT_ONCE = BOUND / 2


def still_waiting(call: Callable[[], Any], release: Callable[[], Any]) -> Any:
    """Run ``call`` in a thread; assert it is still waiting after :data:`BLOCKED`.

    Then ``release()`` is called (it should let ``call`` finish), and the
    value ``call`` returned is returned (or its exception re-raised).
    """
    done = threading.Event()
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            outcome["error"] = exc
        finally:
            done.set()

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    waited = not done.wait(BLOCKED)
    release()
    assert done.wait(BOUND), "the call did not finish after it was released"
    thread.join(BOUND)
    assert waited, f"the call returned at once: {outcome}"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def returns_at_once(call: Callable[[], Any], bound: float = AT_ONCE) -> Any:
    """Call ``call``; assert it finished within ``bound`` seconds (no waiting)."""
    started = time.monotonic()
    try:
        return call()
    finally:
        assert time.monotonic() - started < bound, "the call waited"


def raises(
    kind: type[BaseException] | tuple[type[BaseException], ...], call: Callable[[], Any]
) -> BaseException:
    """Assert that ``call()`` raises ``kind``; return the exception."""
    try:
        call()
    except kind as exc:
        return exc
    raise AssertionError(f"{call} did not raise {kind}")


def run_script(
    source: str, *args: str, timeout: float = 60.0
) -> subprocess.CompletedProcess[str]:
    """Run ``source`` as a script file in a fresh interpreter (bounded)."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "script.py")
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return subprocess.run(
            [sys.executable, str(path), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=folder,
        )


def close_queue(q: Any) -> None:
    """Close a ``multiprocessing.Queue`` and wait for its feeder thread."""
    q.close()
    q.join_thread()


def context(method: str = "fork") -> Any:
    """A multiprocessing context (``fork`` unless asked; it is the cheapest)."""
    if method not in multiprocessing.get_all_start_methods():
        import pytest

        pytest.skip(f"no {method} start method here")
    return multiprocessing.get_context(method)


class Gate:
    """An object whose pickling waits until :attr:`opened` is set.

    ``multiprocessing.Queue`` pickles in its feeder thread, so a ``Gate``
    holds that thread back for as long as the check needs, without sleeping.
    Unpickles as the number 7.
    """

    def __init__(self) -> None:
        self.opened = threading.Event()
        self.pickled_in: list[str] = []

    def __reduce__(self) -> tuple[Any, ...]:
        self.pickled_in.append(threading.current_thread().name)
        assert self.opened.wait(BOUND)
        return (int, (7,))


def gevent_or_skip() -> Any:
    """The gevent package, or skip the check."""
    import pytest

    return pytest.importorskip("gevent")
