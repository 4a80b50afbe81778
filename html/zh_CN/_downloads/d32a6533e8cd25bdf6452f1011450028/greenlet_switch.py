"""
Switching explicitly with greenlet
==================================

A greenlet is a function with its own stack that can be paused and resumed.
``g.switch()`` pauses the current greenlet and continues ``g`` exactly where
it stopped. Nothing switches unless the code says so, which makes the order
of execution fully predictable.

The study note this chapter is based on has ``foo`` and ``bar`` switch to
each other in a loop. When ``foo`` finishes, control returns to the main
greenlet and the program ends, leaving ``bar`` paused in the middle of its
last round. This page shows that, then lets ``bar`` finish.
"""

# %%
# Two greenlets that switch to each other
# ---------------------------------------
# ``time.sleep()`` stands in for slow work. It blocks the whole thread: a
# greenlet cannot run while another one sleeps, because greenlets switch
# only where ``switch()`` is called. The sleeps are seeded random values so
# that every run sleeps the same amounts.

import random
import time

import greenlet

ROUNDS = 3
rng = random.Random(42)
slept = 0.0


def work() -> None:
    global slept
    delay = rng.uniform(0, 0.01)
    time.sleep(delay)
    slept += delay


def foo() -> None:
    for i in range(ROUNDS):
        print(f"foo: {i}")
        work()
        gb.switch()


def bar() -> None:
    for i in range(ROUNDS):
        print(f"bar: {i}")
        work()
        gf.switch()
    print("bar: done")


# %%
# Running the seed's version
# --------------------------
# The first ``switch()`` starts ``foo``. When ``foo`` returns, its parent, the
# main greenlet, resumes, while ``bar`` is still paused inside its final
# ``gf.switch()``.

start = time.monotonic()
gf = greenlet.greenlet(foo)
gb = greenlet.greenlet(bar)
gf.switch()
print(f"foo finished: {gf.dead}, bar finished: {gb.dead}")

# %%
# Letting ``bar`` finish
# ----------------------
# Switching to ``bar`` once more resumes it after its last ``switch()``; its
# loop ends and it returns to the main greenlet too. Since only one greenlet
# ran at a time, the total time is at least the sum of all the sleeps.

gb.switch()
elapsed = time.monotonic() - start
print(f"foo finished: {gf.dead}, bar finished: {gb.dead}")
print(f"sleeps did not overlap: {elapsed >= slept}")
