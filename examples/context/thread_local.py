"""
threading.local: one namespace per thread
=========================================

An attribute of a ``threading.local()`` object has a separate value in
every thread: a thread sees only what it set itself. A new thread starts
with nothing set, whatever the thread that created it had stored; reading
an attribute it has not set raises ``AttributeError``.

A subclass with an ``__init__`` gets a fresh, initialised namespace in each
thread, the first time that thread touches the object. That is the usual
way to give each thread its own connection, buffer or random generator.
"""

# %%
# Each thread sees its own value
# ------------------------------
# The main thread stores ``"main"``; each worker stores its own name, reads
# it back after the others have written theirs, and reports what it saw
# before it wrote anything. A ``Barrier`` makes all three workers write
# before any of them reads.

import asyncio
import threading

state = threading.local()
state.name = "main"
report: dict[str, str] = {}
everyone_wrote = threading.Barrier(3, timeout=5)


def worker(name: str) -> None:
    try:
        before = state.name
    except AttributeError:
        before = "AttributeError"
    state.name = name
    everyone_wrote.wait()
    report[name] = f"before writing: {before}; after the others wrote: {state.name}"


threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for name in sorted(report):
    print(f"{name}: {report[name]}")
print(f"main still sees: {state.name}")

# %%
# A subclass initialises each thread's namespace
# ----------------------------------------------
# ``Counter.__init__`` runs once per thread, on first use, so each thread
# starts from zero and counts only its own calls.


class Counter(threading.local):
    def __init__(self) -> None:
        self.calls = 0


counter = Counter()
counts: dict[str, int] = {}


def handle(name: str, requests: int) -> None:
    for _ in range(requests):
        counter.calls += 1
    counts[name] = counter.calls


threads = [threading.Thread(target=handle, args=(f"w{i}", i + 2)) for i in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"calls per thread: {dict(sorted(counts.items()))}; main's own: {counter.calls}")

# %%
# Not for asyncio tasks
# ---------------------
# All the tasks of an event loop run in one thread, so they share one
# ``threading.local`` namespace: a value one task stores is seen, and
# overwritten, by the others. Here each of two tasks stores its name,
# awaits, and reads the name back. For per-task state, see
# :ref:`sphx_glr_auto_examples_context_contextvars_tasks.py`.


async def task(name: str) -> str:
    state.name = name
    await asyncio.sleep(0.01)  # the other task runs here
    return f"{name} reads back {state.name}"


async def two_tasks() -> None:
    print(await asyncio.gather(task("t1"), task("t2")))


asyncio.run(two_tasks())
