"""
Barrier: start each phase together
==================================

A ``threading.Barrier(parties)`` makes a fixed number of threads meet.
Each thread that calls ``wait()`` *blocks* until ``parties`` threads have
called it; then all of them are released together and the barrier resets
itself for the next round. It suits work in phases: no thread may begin
phase 2 before every thread has finished phase 1.

``wait()`` returns a different number from 0 to ``parties - 1`` in each
thread, so that exactly one of them can do something once per round; an
``action`` given to the constructor runs once per round too, in one of the
threads, before any of them is released.
"""

# %%
# Two phases, three threads
# -------------------------
# Each thread logs its phase 1, waits, then logs its phase 2. Whatever the
# scheduling, every phase-1 entry comes before every phase-2 entry. The
# action marks the moment each round completes.

import threading

log: list[str] = []
lock = threading.Lock()


def note(entry: str) -> None:
    with lock:
        log.append(entry)


barrier = threading.Barrier(3, action=lambda: note("-- all arrived --"))
indexes: list[int] = []


def worker(name: str) -> None:
    note(f"{name} phase 1")
    indexes.append(barrier.wait(timeout=10))
    note(f"{name} phase 2")
    barrier.wait(timeout=10)


threads = [threading.Thread(target=worker, args=(f"t{i}",)) for i in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
phases = [entry.split()[-1] for entry in log if "phase" in entry]
print(f"phases in log order: {phases}")
print(
    f"the action ran {log.count('-- all arrived --')} times, "
    f"first right after the phase-1 entries: {log[3] == '-- all arrived --'}"
)
print(f"wait() returned each of 0..2 once: {sorted(indexes) == [0, 1, 2]}")
