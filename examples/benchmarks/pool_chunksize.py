"""
``Pool.map``: the effect of ``chunksize``
=========================================

``Pool.map`` sends tasks to its workers in chunks. With ``chunksize=1``
every item is its own message to a worker and its own result message back;
with larger chunks the same number of items travels in fewer, larger
messages. When each task is tiny, those messages are the real cost.

This page maps the same small function over the same items, with a pool of
two workers, for several chunksizes.
"""

# concdoc: run-alone
# concdoc: output-varies
# concdoc: timeline = off
# concdoc: timeout = 60

# %%
# Measuring
# ---------
# The pool is started once, before any timing; each repeat is one whole
# ``map`` call.

import matplotlib.pyplot as plt

from concdoc import bench
from concdoc.bench.draw import draw_chunksize
from concdoc.bench.findings import save

results = bench.run(["chunksize"])
save(results, "chunksize")  # for the comparisons at the end of the page
print(results.machine.describe())
print()
print(bench.chunksize_table(results))

# %%
# As a chart
# ----------
# Log scales on both axes.

fig = plt.figure(figsize=(7, 3.2), layout="constrained")
draw_chunksize(results, fig)

# %%
# Reading the numbers
# -------------------
# With ``chunksize=1`` every item and every result is pickled and sent as
# a message of its own; larger chunks carry the same items in fewer
# messages. On this machine, from the table above:
#
# .. concdoc-bench-findings:: chunksize
#
# Very large chunks have their own risk, not visible here: with uneven
# tasks one worker may be left with the slow chunk while the other idles.
# When ``chunksize`` is not given, ``Pool.map`` divides the items into about
# four chunks per worker (``Pool._map_async`` in ``multiprocessing/pool.py``).
