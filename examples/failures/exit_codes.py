"""
Exit codes: return, sys.exit(), an exception, terminate() and kill()
====================================================================

After ``join()``, ``Process.exitcode`` tells how a child ended: ``0`` when
its target returned, the number given to ``sys.exit(n)``, ``1`` when an
exception escaped (the child prints the traceback first), and a
*negative* number ``-N`` when signal ``N`` ended it. ``terminate()`` sends
``SIGTERM`` and ``kill()`` sends ``SIGKILL`` (on POSIX). Neither lets the
child run ``finally`` blocks or ``with`` exits, so whatever it held (a
half-written file, a lock, a queue's unsent items) stays as it was.

One child below dies of an exception on purpose, to show its exit code. The
site's strict build (see *How the examples are run*) would count that as a
broken house rule; the line ``# concdoc: allow = process-exception`` says it
is deliberate.
"""

# concdoc: allow = process-exception

# %%
# Four ways to end
# ----------------

import multiprocessing
import signal
import sys


def returns() -> None:
    pass


def exits() -> None:
    sys.exit(3)


def raises() -> None:
    raise RuntimeError("worker failed")


def describe(code: int) -> str:
    if code < 0:
        return f"{code} ({signal.Signals(-code).name})"
    return str(code)


if __name__ == "__main__":
    for target in (returns, exits, raises):
        p = multiprocessing.Process(target=target)
        p.start()
        p.join()
        print(f"{target.__name__}: exit code {describe(p.exitcode)}")

# %%
# terminate() and kill(): no cleanup
# ----------------------------------
# The child signals that it is inside its ``try`` block, then waits. It is
# stopped from outside; its ``finally`` block, which would set a shared
# flag, never runs.


def holds_resource(started, cleaned_up) -> None:
    try:
        started.set()
        never_set = multiprocessing.Event()
        never_set.wait(30)
    finally:
        cleaned_up.value = 1


if __name__ == "__main__":
    for stop in ("terminate", "kill"):
        started = multiprocessing.Event()
        cleaned_up = multiprocessing.Value("i", 0)
        p = multiprocessing.Process(target=holds_resource, args=(started, cleaned_up))
        p.start()
        started.wait(10)
        getattr(p, stop)()
        p.join()
        print(
            f"{stop}(): exit code {describe(p.exitcode)}, "
            f"finally ran: {bool(cleaned_up.value)}"
        )
