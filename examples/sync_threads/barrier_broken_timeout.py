"""
Broken: a barrier that one party never reaches
==============================================

A barrier waits for a fixed number of threads. If one of them fails before
it arrives, the others would *block* in ``wait()`` for ever. A timeout
bounds that wait, and its effect reaches every party: the thread whose
``wait()`` times out *breaks* the barrier, and every thread waiting on it,
or arriving later, gets ``threading.BrokenBarrierError``. ``abort()``
breaks it on purpose, for example from the failing thread's error
handler, so nobody has to wait for a timeout; ``reset()`` makes it usable
again.
"""

# %%
# Broken: the third party dies on the way
# ---------------------------------------
# Three parties, but the third thread raises before it reaches the barrier
# (it catches its own error here, to keep the output short). The two
# others wait with a 0.5 s timeout and both get ``BrokenBarrierError``.

import threading
import time

outcomes: dict[str, str] = {}


def party(barrier: threading.Barrier, name: str, fails: bool, on_error) -> None:
    try:
        if fails:
            raise OSError("disk full")
        barrier.wait(timeout=0.5)
        outcomes[name] = "passed the barrier"
    except threading.BrokenBarrierError:
        outcomes[name] = "BrokenBarrierError"
    except OSError as exc:
        outcomes[name] = f"failed: {exc}"
        on_error(barrier)


def run(on_error) -> threading.Barrier:
    outcomes.clear()
    barrier = threading.Barrier(3)
    threads = [
        threading.Thread(target=party, args=(barrier, f"t{i}", i == 2, on_error))
        for i in range(3)
    ]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for name in sorted(outcomes):
        print(f"{name}: {outcomes[name]}")
    print(
        f"the waiters gave up before the 0.5 s timeout: "
        f"{time.monotonic() - start < 0.5}"
    )
    return barrier


barrier = run(on_error=lambda b: None)
print(f"broken: {barrier.broken}")

# %%
# Fixed: the failing party aborts the barrier
# -------------------------------------------
# The same failure, but the thread that cannot take part calls
# ``abort()``. The waiting threads get ``BrokenBarrierError`` at once
# (they still have a timeout, as a safety net) and can handle the failure
# together. After ``reset()`` the barrier can be used again.

barrier = run(on_error=threading.Barrier.abort)
barrier.reset()
print(f"after reset(): broken {barrier.broken}, waiting {barrier.n_waiting}")
