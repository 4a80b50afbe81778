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

results = bench.run(bench.CHANNELS)
print(results.machine.describe())
for name, why in results.skipped.items():
    print(f"skipped {name}: {why}")

# %%
# Throughput
# ----------
# Messages per second, one way, median of the repeats with the IQR beside
# it. Between threads, tasks and greenlets a message is a reference to one
# object: nothing is copied, so the size hardly matters. Between processes
# every message is pickled, written to a pipe or socket, read and unpickled,
# so the cost grows with the size, and at 1 MiB copying the bytes is nearly
# all of it.

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
# Log scales on both axes: the channels span several orders of magnitude.
# The bars on each point are the IQR. Solid lines are threads, dashed lines
# processes, dotted asyncio, dash-dotted gevent.

fig = plt.figure(figsize=(10, 4.8), layout="constrained")
draw_channels(results, fig)

# %%
# Reading the numbers
# -------------------
# Three things usually stand out. Channels inside one process cost
# microseconds whatever the message size, because nothing is copied.
# Channels between processes take several times longer per round trip even
# for small messages, carry one or two orders of magnitude fewer messages
# per second, and slow down with the size, because pickling and the pipe
# write dominate; send references to shared data (files, shared memory)
# rather than large payloads. And a manager's queue is the slowest of all,
# since each call is a round trip to a third process. Differences of less
# than a factor of two between neighbours are within what a busy machine
# changes from run to run.
