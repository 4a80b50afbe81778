"""
Pool versus ProcessPoolExecutor, and chunksize
==============================================

``multiprocessing.Pool`` and ``concurrent.futures.ProcessPoolExecutor``
both keep worker processes and send them work through pipes. Each message
to a worker carries a *chunk*: the function and one or more items. One
message per item means one round trip between processes per item, which
can cost more than the work when the items are cheap. ``chunksize`` sets
how many items travel together.

The two differ in their defaults. ``Pool.map()`` picks a chunk size for
you (about four chunks per worker). ``ProcessPoolExecutor.map()`` sends
one item per message unless you pass ``chunksize``. So the same ``map()``
call can send a hundred messages with one and eight with the other.

This page counts messages rather than timing them: the count is exact and
the same on every machine. How much each message costs is a matter for
benchmarks.
"""

# %%
# Counting messages
# -----------------
# ``Square`` is a callable object that counts how often it is pickled.
# Both pools pickle the function once per message, with the chunk, in the
# parent process, so the count after a ``map()`` is the number of messages
# it sent. ``__reduce__`` tells pickle how to rebuild the object in the
# worker: by calling ``Square()``.

import concurrent.futures
import multiprocessing

ITEMS = 100
WORKERS = 2


class Square:
    pickled = 0  # in the parent: how many times the function was sent

    def __call__(self, n: int) -> int:
        return n * n

    def __reduce__(self):
        Square.pickled += 1
        return (Square, ())


def messages(map_call) -> int:
    """Run ``map_call(func)``, check its results, return the messages sent."""
    Square.pickled = 0
    assert list(map_call(Square())) == [n * n for n in range(ITEMS)]
    return Square.pickled


# %%
# The same map, four ways
# -----------------------
# ``Pool.map()`` with 2 workers and 100 items uses chunks of 13
# (100 / (2 × 4), rounded up): 8 messages. ``ProcessPoolExecutor.map()``
# sends 100. With ``chunksize=25`` both send 4. The results are identical
# in every case; only the traffic differs.
#
# Other differences worth knowing: ``Pool`` has ``imap_unordered()``,
# ``apply_async()`` and ``starmap()``, and its ``with`` block *terminates*
# the workers; an executor returns ``Future`` objects, which work with
# ``as_completed()`` and with asyncio's ``run_in_executor()``, and its
# ``with`` block waits for the work to finish.

if __name__ == "__main__":
    items = range(ITEMS)
    with multiprocessing.Pool(WORKERS) as pool:
        rows = [
            ("Pool.map, default chunksize", messages(lambda f: pool.map(f, items))),
            ("Pool.map, chunksize=25", messages(lambda f: pool.map(f, items, 25))),
        ]
    with concurrent.futures.ProcessPoolExecutor(WORKERS) as executor:
        rows += [
            (
                "ProcessPoolExecutor.map, default chunksize",
                messages(lambda f: executor.map(f, items)),
            ),
            (
                "ProcessPoolExecutor.map, chunksize=25",
                messages(lambda f: executor.map(f, items, chunksize=25)),
            ),
        ]
    for label, count in rows:
        print(f"{label:<44} {count:>3} messages for {ITEMS} items")
