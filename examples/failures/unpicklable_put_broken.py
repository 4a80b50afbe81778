"""
Broken: putting an unpicklable object on a multiprocessing.Queue
================================================================

``multiprocessing.Queue.put()`` does not send anything itself. It appends
the object to a buffer and returns; a background *feeder thread* pickles
it later and writes the bytes to the pipe. If pickling fails, the error
happens in the feeder thread, after ``put()`` has returned: the feeder
prints the traceback to standard error, drops the item and goes on with
the next one. The caller gets no exception, and the consumer waits for an
item that will never arrive.
"""

# %%
# Broken: an item holding a lock
# ------------------------------
# The item is a dict that carries a ``threading.Lock``, which cannot be
# pickled. ``put()`` returns without complaint; the traceback comes from
# the feeder thread; the consumer's bounded ``get()`` raises ``Empty``. The
# queue itself still works: the next, picklable item goes through.

import multiprocessing
import pickle
import queue
import threading

if __name__ == "__main__":
    q = multiprocessing.Queue()
    q.put({"id": 1, "lock": threading.Lock()})  # returns: no exception here
    try:
        q.get(timeout=1)
        lost = False
    except queue.Empty:
        lost = True
    q.put({"id": 2})
    arrived = q.get(timeout=10)
    # The feeder handles the items in order, so its traceback for the first
    # one is out before the second arrives: print only now.
    print("put() returned without an error")
    print(f"get(timeout=1) raised Empty, the item is gone: {lost}")
    print(f"the next item arrives: {arrived}")

# %%
# Fixed: pickle in the caller
# ---------------------------
# Sending only plain data avoids the problem. Where items come from code
# you do not control, pickling them yourself before ``put()`` makes the
# error happen in the caller, where it can be handled; the bytes can then
# go on the queue as they are.


def send(q, item) -> None:
    q.put(pickle.dumps(item))


if __name__ == "__main__":
    for item in ({"id": 3, "lock": threading.Lock()}, {"id": 4}):
        try:
            send(q, item)
        except TypeError as exc:
            print(f"the caller caught TypeError: {exc}")
    print(f"received: {pickle.loads(q.get(timeout=10))}")
    q.close()
    q.join_thread()
