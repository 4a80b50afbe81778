"""
as_completed(): results in the order they finish
================================================

``executor.map()`` and a loop over futures in submission order both wait
for the first call submitted, even when a later one finished long ago.
``concurrent.futures.as_completed(futures)`` yields each future as soon as
it is done, so the fastest result is handled first.

Here three calls wait 300, 100 and 200 ms. The waits differ by 100 ms, far
more than scheduling noise, so the completion order is the same on every
run: fast, medium, slow.
"""

# %%
# Three calls of different lengths
# --------------------------------
# Each call sleeps for its own time and returns its name. Three workers
# run all three at once.

import concurrent.futures
import time

CALLS = {"slow": 0.3, "fast": 0.1, "medium": 0.2}  # submitted in this order


def call(name: str) -> str:
    time.sleep(CALLS[name])
    return name


# %%
# Completion order
# ----------------
# ``as_completed()`` takes the futures (a list, or a dict mapping each
# future to what it is about) and yields them as they finish. It also
# accepts ``timeout=``: if the futures are not all done in time, the
# iteration raises ``TimeoutError``.

with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
    futures = {pool.submit(call, name): name for name in CALLS}
    for future in concurrent.futures.as_completed(futures, timeout=5):
        print(f"as_completed: {future.result()}")

# %%
# Submission order
# ----------------
# ``map()`` yields in the order of its input: ``slow`` first, after 300 ms,
# and the other two at once after it, although they had been ready for a
# while.

with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
    for name in pool.map(call, CALLS, timeout=5):
        print(f"map: {name}")
