"""
Choosing a tool: the measured table
===================================

The page :doc:`/reference/choosing` explains the questions that decide between
threads, processes, asyncio, gevent, executors and a distributed engine.
This page supplies the numbers for it: the cost of a round trip of a 1 KiB
message to a worker and back, and the cost of starting one worker, measured
while this site was built, beside what each tool can and cannot do.
"""

# concdoc: run-alone
# concdoc: output-varies
# concdoc: timeline = off
# concdoc: timeout = 60

# %%
# Measuring what the table needs
# ------------------------------
# Only the channels that stand for a tool and the start costs, at one
# message size.

from concdoc import bench
from concdoc.bench.choosing import CHOICE_SIZE, decision_table, needed
from concdoc.bench.findings import save

results = bench.run(needed(), settings=bench.bounded(sizes=(CHOICE_SIZE,)))
save(results, "choosing")  # for the comparisons on the "Choosing a tool" page
print(results.machine.describe())

# %%
# The table
# ---------
# An executor costs what its workers cost (threads or processes, started
# once per pool) plus a future per task. "-" marks what has no worker of its
# own to start (a task, a greenlet) or is not measured on this page: a
# distributed engine adds a network round trip, which depends on the network
# far more than on Python.

print(decision_table(results))

# %%
# What the table says here
# ------------------------
# Worked out from the table above (medians, and the range of ratios the two
# IQRs allow; where they overlap, the order can flip between runs and
# machines):
#
# .. concdoc-bench-findings:: choosing
