"""
One program, three start methods: what the child inherits
==========================================================

``multiprocessing`` can create a child process in three ways, its *start
methods*:

``fork``
    the child is a copy of the parent, made by ``os.fork()``: same memory,
    same module globals, same open files, same lock states, at the moment of
    the fork. Nothing has to be pickled.
``spawn``
    the child is a fresh Python interpreter. It imports the parent's main
    module again (under the name ``__mp_main__``, so the guarded part does
    not run), then receives the target function and its arguments pickled.
``forkserver``
    a small server process, started once from a clean state, forks a new
    child for each request. Like ``spawn``, the child gets only what is
    pickled plus what importing the main module creates; the parent of the
    child is the server, not your program.

Linux has all three. macOS has all three too but has defaulted to
``spawn`` since Python 3.8, because forking there can crash the child;
Windows has only ``spawn``. On Linux the default was ``fork`` up to Python
3.13 and is ``forkserver`` from Python 3.14 on (see the `"What's New in
Python 3.14" <https://docs.python.org/3/whatsnew/3.14.html#multiprocessing>`__
page).

This page runs the same child under every method the platform offers, by
asking ``multiprocessing.get_context(method)`` for each one instead of
relying on the default, so its output is the same whatever the default is.
In the timeline the three children run one after another; the ``fork``
child starts almost at once, while ``spawn`` and ``forkserver`` first start
a new interpreter (for ``forkserver``, the server itself, on first use).
"""

# %%
# What the child looks at
# -----------------------
# Three things are set up at import time and then changed by the parent,
# under the ``__main__`` guard, before any child starts:
#
# * a module-level global, ``SETTING``;
# * a module-level ``threading.Lock``, which the parent holds while it
#   starts the child;
# * the parent's process id, which the child compares with
#   ``os.getppid()``.
#
# The child reports what it sees through a one-way pipe, and the parent
# prints the report, so only one process writes to the output.

import multiprocessing
import os
import threading

SETTING = "set at import time"
LOCK = threading.Lock()


def report(conn, parent_pid: int) -> None:
    conn.send(
        {
            "SETTING": SETTING,
            "LOCK held": LOCK.locked(),
            "child of the caller": os.getppid() == parent_pid,
        }
    )
    conn.close()


def run_child(method: str) -> dict:
    ctx = multiprocessing.get_context(method)
    receiver, sender = ctx.Pipe(duplex=False)
    with receiver:
        with LOCK:  # held by the parent while the child is created
            child = ctx.Process(target=report, args=(sender, os.getpid()))
            child.start()
        sender.close()  # the child has its own copy now
        seen = receiver.recv() if receiver.poll(10) else {"error": "no report"}
    child.join(10)
    return seen


# %%
# The same child under each start method
# --------------------------------------
# ``fork`` copies the parent as it is at that moment: the changed global,
# and the lock *in its held state*. A child that tried to take that lock
# would wait forever, since the thread that holds it does not exist in the
# child; this is why forking a program that runs threads is risky.
# ``spawn`` and ``forkserver`` children import the module afresh, so they
# see the import-time value and an unheld lock. Only the ``forkserver``
# child has a different parent: the fork server.

if __name__ == "__main__":
    SETTING = "changed in __main__"
    for method in ("fork", "spawn", "forkserver"):
        if method not in multiprocessing.get_all_start_methods():
            print(f"{method}: not available on this platform")
            continue
        print(f"{method}:")
        for key, value in run_child(method).items():
            print(f"    {key}: {value}")
