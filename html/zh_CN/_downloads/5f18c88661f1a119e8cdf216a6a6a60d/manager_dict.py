"""
A shared dict through a Manager
===============================

``multiprocessing.Manager()`` starts a server process that owns a real
``dict``; ``manager.dict()`` returns a proxy that can be passed to child
processes. Each ``d[key] = value`` in a child is sent to the server, so
after the children are joined the parent sees every write.

The ``with`` statement shuts the manager's server down when the block ends,
so all use of the proxy belongs inside it.
"""

# %%
# The worker
# ----------
# The worker looks like code for an ordinary dict; the proxy turns the
# assignment into a request to the manager's server process.

import multiprocessing


def worker(d, key: int, value: int) -> None:
    d[key] = value


# %%
# Writing from several processes
# ------------------------------
# The workers finish in no particular order, so the proxy's keys are in no
# particular order either. Sorting the items gives reproducible output.

if __name__ == "__main__":
    with multiprocessing.Manager() as manager:
        d = manager.dict()
        jobs = [
            multiprocessing.Process(target=worker, args=(d, i, i * 2))
            for i in range(10)
        ]
        for job in jobs:
            job.start()
        for job in jobs:
            job.join()

        print("Results:")
        for key, value in sorted(d.items()):
            print(f"{key} = {value}")

# %%
# A loop that only looked right
# -----------------------------
# The study note this chapter is based on printed the results with
# ``for key, value in enumerate(dict(d))``. ``enumerate()`` yields
# *positions* and keys, not keys and values, so its "key" was only a
# counter. Because the keys happened to be 0 to 9, the output seemed
# correct whenever the workers finished in order. With other keys the
# mistake is plain:

if __name__ == "__main__":
    scores = {"bob": 3, "alice": 5}
    for key, value in enumerate(scores):
        print(f"enumerate: key={key!r} value={value!r}")
    for key, value in sorted(scores.items()):
        print(f"items():   key={key!r} value={value!r}")
