"""
Broken: a lock held by another thread when the process forks
============================================================

``fork()`` copies the whole memory of a process but only the thread that
called it. A lock that some *other* thread held at that moment is copied
in its locked state, and in the child no thread exists that could
release it: the child's first ``acquire()`` *blocks* for ever. Logging is
a classic victim, because handlers lock around every record and programs
log from many threads.

CPython's ``logging`` defends its own locks: it registers
``os.register_at_fork`` hooks (``Lib/logging/__init__.py``) that hold the
module lock during the fork and give every handler a fresh, unlocked lock
in the child. Locks that ``logging`` does not know about, such as a lock
of your own inside a custom handler, get no such help. (A fresh lock does
not repair the data it guarded: a record half written when the fork
happened stays half written; that is reasoning from the source, not shown
here.)
"""

# %%
# A thread that holds two locks during the fork
# ---------------------------------------------
# A custom handler serialises its writes with a lock of its own, as a
# handler that batches records might. A helper thread takes both the
# handler's standard lock and this extra lock, and keeps them while the
# main thread starts a child with the ``fork`` start method. The child
# tries each lock with a 1 s timeout instead of blocking for ever.

import logging
import multiprocessing
import threading


class BatchingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.batch_lock = threading.Lock()  # unknown to logging's fork hooks
        self.batch: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        with self.batch_lock:
            self.batch.append(self.format(record))


handler = BatchingHandler()


def try_locks(method: str) -> None:
    got_standard = handler.lock.acquire(timeout=1)
    got_own = handler.batch_lock.acquire(timeout=1)
    print(
        f"{method} child: handler.lock free: {got_standard}, batch_lock free: {got_own}"
    )


def hold_both(holding: threading.Event, release: threading.Event) -> None:
    with handler.lock, handler.batch_lock:
        holding.set()
        release.wait(10)


def start_child_while_held(method: str) -> None:
    holding, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_both, args=(holding, release))
    holder.start()
    holding.wait(10)
    context = multiprocessing.get_context(method)
    child = context.Process(target=try_locks, args=(method,))
    child.start()
    child.join()
    release.set()
    holder.join()


# %%
# Broken: fork
# ------------
# In the child, ``logging``'s hook has replaced the handler's standard lock
# by a free one, but ``batch_lock`` is still locked, by a thread that does
# not exist there. The child's first log call would hang in ``emit()``.

if __name__ == "__main__":
    start_child_while_held("fork")

# %%
# Fixed: spawn or forkserver
# --------------------------
# A child started with ``spawn`` runs a fresh interpreter: it imports the
# script and builds its own handler, with its own unlocked locks, so no
# state of the parent's threads comes along. ``forkserver`` gives the same
# result: its server is such a fresh interpreter, started without the
# parent's threads, and children are forked from it. When ``fork`` cannot
# be avoided, take such locks only in code that no other thread runs while
# the program forks, or reinitialise them in the child with
# ``os.register_at_fork(after_in_child=…)``.

if __name__ == "__main__":
    for method in ("spawn", "forkserver"):
        start_child_while_held(method)
