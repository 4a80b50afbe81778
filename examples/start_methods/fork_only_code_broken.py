"""
Broken: code that works only under ``fork``
===========================================

Python 3.14 changed the default start method on Linux and the other POSIX
platforms except macOS from ``fork`` to ``forkserver`` (`"What's New in
Python 3.14" <https://docs.python.org/3/whatsnew/3.14.html#multiprocessing>`__);
macOS has defaulted to ``spawn`` since Python 3.8 and Windows has only
``spawn``. Programs that never named a start method therefore stop using
``fork`` when they move to Python 3.14, and two kinds of code that
``fork`` tolerated break:

* a target that cannot be pickled (a ``lambda``, a function defined inside
  another function, a bound method of an object holding a
  ``threading.Lock``; a socket is fine, since ``multiprocessing`` knows how
  to hand one to a child). ``fork`` copies the target with the rest of memory; ``spawn``
  and ``forkserver`` must pickle it, and ``start()`` fails in the parent;
* state that the parent sets up under the ``__main__`` guard and the child
  reads from a global (shown on the page "One program, three start
  methods"). The child of ``spawn`` or ``forkserver`` sees the import-time
  value, silently.

The fix for both is the same: pass everything the child needs as
arguments, and make the target a function defined at module level.
"""

# %%
# A worker factory that fork tolerates
# ------------------------------------
# ``make_worker`` returns a closure, a function defined inside another
# function. The child sends its result back through a one-way pipe.

import functools
import multiprocessing
import pickle

METHODS = [
    m
    for m in ("fork", "spawn", "forkserver")
    if m in multiprocessing.get_all_start_methods()
]


def make_worker(factor: int):
    def work(conn, x: int) -> None:
        conn.send(x * factor)
        conn.close()

    return work


def scale(factor: int, conn, x: int) -> None:
    conn.send(x * factor)
    conn.close()


def try_target(method: str, target) -> str:
    ctx = multiprocessing.get_context(method)
    receiver, sender = ctx.Pipe(duplex=False)
    with receiver, sender:
        child = ctx.Process(target=target, args=(sender, 7))
        try:
            child.start()
        except (pickle.PicklingError, AttributeError, TypeError):
            return "start() failed: the target cannot be pickled"
        sender.close()
        result = receiver.recv() if receiver.poll(10) else "no result"
    child.join(10)
    return f"result {result}"


# %%
# Broken: a closure as the target
# -------------------------------
# Under ``fork`` the closure is simply there in the child. Under ``spawn``
# and ``forkserver``, ``start()`` raises in the parent: a ``PicklingError``
# or an ``AttributeError`` depending on the object and the Python version
# (the page catches both). Nothing was started, so nothing is left behind.

if __name__ == "__main__":
    for method in METHODS:
        print(f"{method:>10}: {try_target(method, make_worker(3))}")

# %%
# Fixed: a module-level function and its arguments
# ------------------------------------------------
# ``scale`` is defined at module level, so pickle stores it by name and the
# child finds it by importing the module. ``functools.partial`` binds the
# factor; a partial of a module-level function pickles too.

if __name__ == "__main__":
    for method in METHODS:
        print(f"{method:>10}: {try_target(method, functools.partial(scale, 3))}")

# %%
# If the code really needs ``fork``
# ---------------------------------
# Some programs rely on inheriting things that cannot be pickled at all.
# They can keep ``fork`` where the platform has it by asking for it
# explicitly, ``multiprocessing.get_context("fork")``, or, for
# ``concurrent.futures.ProcessPoolExecutor``, by passing that context as
# ``mp_context``. Forking a process that runs threads stays risky: a lock
# held by another thread at the moment of the fork stays held in the child
# for ever, and since Python 3.12 ``os.fork()`` warns with a
# ``DeprecationWarning`` when it detects other threads.
