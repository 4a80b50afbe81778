"""
Broken: apply_async() errors that nobody collects
=================================================

``Pool.apply_async()`` returns an ``AsyncResult`` at once. If the task
raises, the worker catches the exception, sends it back to the parent and
stores it in that result object. It is raised again only when someone
calls ``get()`` on the result. Code that submits tasks "fire and forget"
and never calls ``get()`` therefore never learns that a task failed: no
traceback is printed, and the pool shuts down normally.
"""

# %%
# Three tasks, one of which fails
# -------------------------------
# ``invert()`` fails for zero with a ``ZeroDivisionError``.

import multiprocessing


def invert(x: int) -> float:
    return 1 / x


# %%
# Broken: submit and forget
# -------------------------
# The pool runs all three tasks, the failing one included, and the program
# carries on as if everything had worked. The exception is still inside
# its result object; ``successful()`` shows it, but only if someone asks.

if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        results = [pool.apply_async(invert, (x,)) for x in (1, 0, 2)]
        pool.close()
        pool.join()
    print("the pool finished, and nothing was reported")
    print(f"successful() per task: {[r.successful() for r in results]}")

# %%
# Fixed: call ``get()``, or pass ``error_callback``
# -------------------------------------------------
# ``get()`` returns the task's value or raises its exception in the parent,
# where it can be handled. When nothing waits for the results, an
# ``error_callback`` is called with the exception instead. It runs in a
# thread of the parent process that handles the pool's results, so it must
# be quick and must not block.

if __name__ == "__main__":
    errors: list[BaseException] = []
    with multiprocessing.Pool(2) as pool:
        results = [
            pool.apply_async(invert, (x,), error_callback=errors.append)
            for x in (1, 0, 2)
        ]
        for x, r in zip((1, 0, 2), results, strict=True):
            try:
                print(f"invert({x}) = {r.get(timeout=10)}")
            except ZeroDivisionError as exc:
                print(f"invert({x}) raised ZeroDivisionError: {exc}")
        pool.close()
        pool.join()
    print(f"error_callback received: {[type(e).__name__ for e in errors]}")
