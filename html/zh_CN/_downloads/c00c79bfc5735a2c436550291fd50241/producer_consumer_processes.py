"""
Producer and consumer processes with a queue
============================================

The same producer/consumer pattern as with threads, but each side is a
separate process, so the two can run on different CPU cores. A
``multiprocessing.Queue`` pickles each item, sends it through a pipe and
unpickles it in the consumer.

As with threads, the producer ends the stream with a sentinel and the main
process joins both children. A single consumer reading from a single
producer sees the items in the order they were put, so the output is
deterministic.
"""

# %%
# The child functions
# -------------------
# Functions that a child process runs must be defined at module level: under
# the *spawn* and *forkserver* start methods, the child finds them by
# importing the main module again. The consumer's ``get()`` has a timeout so
# that it cannot wait forever if the producer dies before sending the
# sentinel. ``flush=True`` sends each line out at once, so lines from
# different processes are not held back in a buffer and reordered.

import multiprocessing

SENTINEL = None


def producer(q: multiprocessing.Queue, count: int) -> None:
    for n in range(count):
        q.put(f"item {n}")
    q.put(SENTINEL)


def consumer(q: multiprocessing.Queue) -> None:
    while (item := q.get(timeout=5)) is not SENTINEL:
        print(f"consumer got {item}", flush=True)
    print("consumer saw the sentinel", flush=True)


# %%
# Starting and joining
# --------------------
# Only the consumer prints while both children run. An exit code of 0 means
# the child function returned normally.

if __name__ == "__main__":
    q = multiprocessing.Queue()
    children = [
        multiprocessing.Process(target=producer, args=(q, 5)),
        multiprocessing.Process(target=consumer, args=(q,)),
    ]
    for child in children:
        child.start()
    for child in children:
        child.join()
    print(f"exit codes: {[child.exitcode for child in children]}")
