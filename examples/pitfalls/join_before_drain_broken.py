"""
Broken: joining a process before draining its queue
===================================================

A process that has put items on a ``multiprocessing.Queue`` does not exit
as soon as its function returns. The queue's feeder thread is still
writing the items into a pipe, and the process waits for it to finish, so
that no item is lost. A pipe holds only a small buffer (64 KiB by default
on Linux), so large items stay stuck until someone reads them.

If the parent calls ``join()`` before it reads the queue, each side waits
for the other: the child waits for the parent to read, the parent waits for
the child to exit. This is a deadlock, and the documentation of
:mod:`multiprocessing` warns about it under "Joining processes that use
queues". Here the parent joins with a timeout, so the broken form ends.
"""

# %%
# A child that puts a few large items
# -----------------------------------
# Four items of 100 kB each are 400 kB, far more than the pipe's buffer.
# ``put()`` itself never blocks on an unbounded queue: it hands the item to
# the feeder thread and returns, so the function returns at once.

import multiprocessing

ITEMS = 4
SIZE = 100_000


def produce(q: multiprocessing.Queue) -> None:
    for i in range(ITEMS):
        q.put(bytes([i]) * SIZE)


# %%
# Broken: join first, read later
# ------------------------------
# ``join(timeout=1)`` gives up after one second. Without the timeout it
# would wait forever. The child is still alive and has no exit code,
# although ``produce()`` returned long ago. Reading the queue unblocks the
# feeder thread, and then the child exits at once.

if __name__ == "__main__":
    q = multiprocessing.Queue()
    child = multiprocessing.Process(target=produce, args=(q,))
    child.start()
    child.join(timeout=1)
    print(f"after join(timeout=1): alive={child.is_alive()}, exitcode={child.exitcode}")

    items = [q.get(timeout=5) for _ in range(ITEMS)]
    child.join(timeout=5)
    print(f"after reading {len(items)} items: exitcode={child.exitcode}")

# %%
# Fixed: drain, then join
# -----------------------
# The parent reads every item it expects first, then joins. When the
# number of items is not known in advance, the child puts a sentinel value
# (such as ``None``) last and the parent reads until it sees it. Either
# way, ``join()`` comes after the last ``get()``.

if __name__ == "__main__":
    child = multiprocessing.Process(target=produce, args=(q,))
    child.start()
    sizes = [len(q.get(timeout=5)) for _ in range(ITEMS)]
    child.join(timeout=5)
    print(
        f"read {len(sizes)} items of {sizes[0]} bytes, then joined: "
        f"exitcode={child.exitcode}"
    )
    q.close()
    q.join_thread()
