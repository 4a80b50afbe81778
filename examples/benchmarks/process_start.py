"""
Process start cost under each start method
==========================================

Starting a process is not free, and how much it costs depends on the start
method: ``fork`` copies the parent (cheap, copy-on-write), ``spawn`` starts a
new interpreter that imports the main module again, and ``forkserver`` asks
a small server process, started once, to fork a fresh child. This page
times the start and join of a process that does nothing, under each method
available here, and a thread for comparison.
"""

# concdoc: run-alone
# concdoc: output-varies
# concdoc: timeline = off
# concdoc: timeout = 60

# %%
# Measuring
# ---------
# Each method is measured in a fresh interpreter, after one untimed start
# (the warm-up also starts the forkserver's server).

import matplotlib.pyplot as plt

from concdoc import bench
from concdoc.bench.draw import draw_start
from concdoc.bench.findings import save

results = bench.run(["start-methods"])
save(results, "process-start")  # for the comparisons at the end of the page
print(results.machine.describe())
print()
print(bench.start_table(results))

# %%
# As a chart
# ----------
# A log scale, so that the thread and the dearest start method fit on one
# axis.

fig = plt.figure(figsize=(7, 2.6), layout="constrained")
draw_start(results, fig)

# %%
# Reading the numbers
# -------------------
# ``spawn`` pays for a whole interpreter start-up and the imports of the main
# module; ``forkserver`` pays for a fork of the small server, plus sending
# the child the details of the process and, as under ``spawn``, importing
# the main module again in the child; ``fork`` pays only for copying the page tables
# of the parent. A thread shares the process and copies nothing. On this
# machine, from the table above:
#
# .. concdoc-bench-findings:: process-start
#
# Python 3.14 made ``forkserver`` the default on Linux, because forking a
# process that runs threads is unsafe; the cost is paid once per process,
# so a pool that starts its workers once and reuses them hides it.
