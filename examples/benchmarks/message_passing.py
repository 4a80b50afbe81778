"""
Message passing: throughput and latency by message size
=======================================================

How many messages per second can one worker hand to another, and how long
does one message take to go there and back? This page measures both for
every channel of the earlier chapters, from 8 bytes to 1 MiB per message.

*Throughput* is one way: the main thread (or process) puts a batch of
messages and waits for one acknowledgement after the last. *Latency* is a
round trip: put one message, wait until the peer has sent it back, repeat.
The peer is a thread for the ``queue`` module and the ``deque`` baseline, a
task for asyncio, a greenlet for gevent and a process for the
multiprocessing channels and the manager's queue.
"""

# concdoc: run-alone
# concdoc: output-varies
# concdoc: timeline = off
# concdoc: timeout = 90

# %%
# Measuring every channel
# -----------------------
# ``bench.run`` measures each channel in its own fresh interpreter, so that
# gevent's hub or a manager's process cannot disturb the next channel. The
# first line says where the numbers come from.

import matplotlib.pyplot as plt

from concdoc import bench
from concdoc.bench.draw import draw_channels
from concdoc.bench.findings import save

results = bench.run(bench.CHANNELS)
save(results, "message-passing")  # for the comparisons at the end of the page
print(results.machine.describe())
for name, why in results.skipped.items():
    print(f"skipped {name}: {why}")

# %%
# Throughput
# ----------
# Messages per second, one way, median of the repeats with the IQR beside
# it. Between threads, tasks and greenlets a message is a reference to one
# object: the bytes themselves are not copied. Between processes every
# message is pickled, written to a pipe or socket, read and unpickled, so
# copying grows with the size. How much each channel slowed down with the
# size on this machine is worked out from these tables at the end of the
# page.

print(bench.channel_table(results, "throughput"))

# %%
# Latency
# -------
# Microseconds per round trip. For small messages this is mostly the cost of
# waking the peer up: a thread switch (the waiting thread must be woken and
# take the GIL), a switch between tasks or greenlets (no operating system
# involved, often the cheapest), or a process switch plus a system call on
# each side. A manager's queue adds a second hop: every ``put`` and ``get``
# is a request to the manager process and back.

print(bench.channel_table(results, "latency"))

# %%
# Both as charts
# --------------
# Log scales on both axes, so that the fastest and the slowest channel fit
# on one chart. The bars on each point are the IQR. Solid lines are
# threads, dashed lines processes, dotted asyncio, dash-dotted gevent.

fig = plt.figure(figsize=(10, 4.8), layout="constrained")
draw_channels(results, fig)

# %%
# Reading the numbers
# -------------------
# Channels inside one process hand over a reference; channels between
# processes pickle each message and copy it through the operating system,
# and a manager's queue makes every call a round trip to a third process.
# How these costs compared on the machine that built this page, worked out
# from the tables above (medians, and the range of ratios the two IQRs
# allow; where the IQRs overlap, the order can flip from run to run or
# between machines):
#
# .. concdoc-bench-findings:: message-passing
#
# To move large data between processes, share it (files, shared memory)
# rather than send it.
