"""
multiprocessing.Lock: one process at a time
===========================================

``multiprocessing.Lock()`` behaves like ``threading.Lock``: ``acquire()``
*blocks* while another process holds it, ``acquire(timeout=…)`` gives up
and returns ``False``, and ``with lock:`` pairs acquire and release. It is
passed to each child as an argument, which works under every start method.
"""

# %%
# A lock held by the parent
# -------------------------
# The parent takes the lock and starts a child that tries to take it with a
# timeout: the child waits 0.2 s and reports that it failed. After the
# parent has released it, a second child gets it at once.

import multiprocessing
import pathlib
import tempfile


def try_lock(lock) -> None:
    got = lock.acquire(timeout=0.2)
    print(f"child: acquire(timeout=0.2) -> {got}")
    if got:
        lock.release()


if __name__ == "__main__":
    lock = multiprocessing.Lock()
    for parent_holds in (True, False):
        if parent_holds:
            lock.acquire()
        child = multiprocessing.Process(target=try_lock, args=(lock,))
        child.start()
        child.join()
        if parent_holds:
            lock.release()
        print(f"parent held the lock: {parent_holds}")

# %%
# Whole records in a shared file
# ------------------------------
# Four processes append records of three lines to one file, each line
# written and flushed separately, as a log writer might. The lock keeps
# each record's lines together; without it, lines of different records
# could interleave (how often depends on the scheduler, so this page does
# not print an unlocked run).


def write_records(lock, path: str, name: str) -> None:
    for n in range(5):
        with lock:
            with open(path, "a") as f:
                for part in ("begin", "body", "end"):
                    f.write(f"{name} {n} {part}\n")
                    f.flush()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        path = str(pathlib.Path(tmp) / "records.log")
        workers = [
            multiprocessing.Process(target=write_records, args=(lock, path, f"p{i}"))
            for i in range(4)
        ]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        lines = pathlib.Path(path).read_text().splitlines()
    records = [lines[i : i + 3] for i in range(0, len(lines), 3)]
    whole = all(
        [line.rsplit(" ", 1)[0] for line in r] == [r[0].rsplit(" ", 1)[0]] * 3
        for r in records
    )
    print(f"{len(records)} records, every record's three lines together: {whole}")
