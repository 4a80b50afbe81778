"""
QueueHandler and QueueListener: one writer for many processes
=============================================================

The ``logging`` documentation says that logging to one file from several
processes is not supported: no lock is shared between the processes, so
their writes can interleave, and two processes rotating the same file work
against each other. The standard answer is to let only one process
write. Each worker process installs a ``logging.handlers.QueueHandler``,
which puts every record on a ``multiprocessing.Queue`` instead of writing
it; in the parent a ``QueueListener`` thread takes the records off the
queue and passes them to the real handlers. The workers never block on
the file, only on the queue.
"""

# %%
# Three workers, one listener
# ---------------------------
# Each worker configures its own root logger with a ``QueueHandler`` (under
# ``spawn`` and ``forkserver`` a child does not inherit the parent's logging
# set-up, so it must do this itself). The listener's handler formats each
# record with the name of the process that created it. To print in a
# fixed order, the records are kept in a ``BufferingHandler`` and sorted
# after the run; a real program would give the listener a ``FileHandler``.

import logging
import logging.handlers
import multiprocessing
import sys


def worker(log_queue, n: int) -> None:
    root = logging.getLogger()
    root.handlers[:] = [logging.handlers.QueueHandler(log_queue)]
    root.setLevel(logging.INFO)
    log = logging.getLogger("worker")
    for step in range(2):
        log.info("worker %d step %d", n, step)
    if n == 2:
        log.warning("worker %d saw something odd", n)


if __name__ == "__main__":
    log_queue = multiprocessing.Queue()
    collected = logging.handlers.BufferingHandler(capacity=1000)
    collected.setFormatter(
        logging.Formatter("%(processName)s %(levelname)s %(name)s: %(message)s")
    )
    listener = logging.handlers.QueueListener(log_queue, collected)
    listener.start()
    workers = [
        multiprocessing.Process(target=worker, args=(log_queue, n), name=f"Worker-{n}")
        for n in range(3)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    listener.stop()  # handles what is still queued, then ends its thread
    lines = sorted(collected.format(record) for record in collected.buffer)
    print("\n".join(lines))
    log_queue.close()
    log_queue.join_thread()

# %%
# What crosses the queue
# ----------------------
# ``QueueHandler.prepare()`` formats the record (message, arguments and
# any traceback) into one string in ``record.msg``, and clears the
# arguments and the exception object before the record is pickled. So the
# record can always be sent, whatever objects the log call was given, and
# a traceback crosses as text.

if __name__ == "__main__":
    handler = logging.handlers.QueueHandler(multiprocessing.Queue())
    try:
        int("x")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.getLogger("demo").makeRecord(
        "demo", logging.ERROR, __file__, 1, "failed on %r", (object,), exc_info
    )
    prepared = handler.prepare(record)
    print(f"first line of msg: {prepared.msg.splitlines()[0]!r}")
    print(f"args: {prepared.args}, exc_info: {prepared.exc_info}")
    print(f"traceback inside msg: {'ValueError' in prepared.msg}")
    handler.queue.close()
