"""
Initializers: set up each worker once
=====================================

``Pool(initializer=f, initargs=…)`` and ``ProcessPoolExecutor(initializer=f,
initargs=…)`` call ``f(*initargs)`` once in every worker process, before
it runs any task. That is the place for per-process set-up that should not
be repeated per task and cannot be pickled with each one: opening a
database connection, loading a model, seeding a random generator. The
result is kept in a global of the worker process.

If the initializer raises, the worker cannot work. ``ProcessPoolExecutor``
then marks itself broken and fails every pending future with
``BrokenProcessPool``. (``multiprocessing.Pool`` replaces each worker that
dies, so a failing initializer makes it start new workers over and over;
that is read from ``multiprocessing/pool.py``, and not run on this page.)
"""

# %%
# One set-up per worker
# ---------------------
# Each of the two workers seeds its own random generator from the
# ``initargs`` and its worker number, and counts its set-ups in a shared
# counter. Eight tasks, two set-ups.

import concurrent.futures
import multiprocessing
import random

rng: random.Random | None = None  # set in each worker by setup()


def setup(seed: int, setups) -> None:
    global rng
    with setups.get_lock():
        setups.value += 1
        worker_number = setups.value
    rng = random.Random(seed * 100 + worker_number)


def roll(_: int) -> int:
    assert rng is not None, "setup() did not run in this worker"
    return rng.randint(1, 6)


if __name__ == "__main__":
    setups = multiprocessing.Value("i", 0)
    with multiprocessing.Pool(2, initializer=setup, initargs=(7, setups)) as pool:
        rolls = pool.map(roll, range(8))
    print(f"{len(rolls)} tasks ran after {setups.value} set-ups")

# %%
# A failing initializer breaks the executor
# -----------------------------------------
# The set-up fails (the "database" is unreachable). The executor's worker
# logs the exception and exits; the future raises ``BrokenProcessPool``.


def connect(address: str) -> None:
    raise ConnectionRefusedError(f"cannot reach {address}")


def query(x: int) -> int:
    return x


if __name__ == "__main__":
    with concurrent.futures.ProcessPoolExecutor(
        1, initializer=connect, initargs=("db:5432",)
    ) as executor:
        future = executor.submit(query, 1)
        try:
            future.result(timeout=10)
        except concurrent.futures.process.BrokenProcessPool as exc:
            print(f"BrokenProcessPool: {exc}")
