"""
``Array``: workers filling their own slices
===========================================

``multiprocessing.Array("d", 8)`` is a fixed-size array of C doubles in
shared memory. Children receive it as an argument (under every start
method) and write into it directly; the parent reads the results without
any message being sent.

Whether it needs a lock depends on who writes what. If each worker writes
only its own elements and the parent reads only after joining them, no two
processes ever touch the same element at the same time, and
``lock=False`` avoids taking a lock on every access. As soon as two
processes update the same element, or one reads several elements that
another is changing, they need a lock, as ``Value`` does.
"""

# %%
# Two workers, two halves
# -----------------------
# Worker ``k`` writes the squares of its own indices. The parent waits for
# both with ``join()`` before reading, which is what makes the unlocked
# array safe here: ``join()`` returns only after the child has finished
# writing.

import multiprocessing

SIZE = 8
WORKERS = 2


def fill(numbers, start: int, stop: int) -> None:
    for i in range(start, stop):
        numbers[i] = i * i


if __name__ == "__main__":
    numbers = multiprocessing.Array("d", SIZE, lock=False)
    step = SIZE // WORKERS
    workers = [
        multiprocessing.Process(target=fill, args=(numbers, k * step, (k + 1) * step))
        for k in range(WORKERS)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print(f"squares: {list(numbers)}")

# %%
# A whole-array update needs the lock
# -----------------------------------
# ``scale`` reads and rewrites every element. With the default
# ``lock=True`` the array has ``get_lock()``; holding it for the whole loop
# means the other worker finds each element either before or after a
# complete pass, never halfway. Two workers each double every element, so
# every element ends up four times its start value, whatever order they
# run in.


def scale(numbers, factor: float) -> None:
    with numbers.get_lock():
        for i in range(len(numbers)):
            numbers[i] *= factor


if __name__ == "__main__":
    numbers = multiprocessing.Array("d", [1.0, 2.0, 3.0])
    workers = [
        multiprocessing.Process(target=scale, args=(numbers, 2.0))
        for _ in range(WORKERS)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print(f"scaled twice by 2: {list(numbers)}")
