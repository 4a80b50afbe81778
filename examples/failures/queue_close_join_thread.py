"""
Closing a multiprocessing.Queue: close(), join_thread(), cancel_join_thread()
=============================================================================

Every process that puts on a ``multiprocessing.Queue`` gets a feeder thread
that writes the buffered items to the pipe. Three methods control its end:

- ``close()``: no more ``put()`` from this process (it raises
  ``ValueError`` afterwards); the feeder writes what is buffered and ends.
- ``join_thread()``: *block* until the feeder has written everything.
  Allowed only after ``close()``. A process calls it by itself at exit,
  which is why a child that put more than the pipe holds does not end
  until someone reads (:ref:`the join-before-drain pitfall
  <sphx_glr_auto_examples_pitfalls_join_before_drain_broken.py>`).
- ``cancel_join_thread()``: do not wait for the feeder at exit. The
  process can then end at once, and whatever the feeder had not yet written
  is lost.
"""

# %%
# close() and join_thread()
# -------------------------

import multiprocessing

if __name__ == "__main__":
    q = multiprocessing.Queue()
    try:
        q.join_thread()
    except AssertionError:
        print("join_thread() before close(): AssertionError")
    q.put("last item")
    q.close()
    q.join_thread()
    print("after close() and join_thread(): everything put is in the pipe")
    try:
        q.put("too late")
    except ValueError:
        print("put() after close(): ValueError")

# %%
# A child that cannot exit, and one that can
# ------------------------------------------
# Each child puts 1 MB, far more than a pipe holds, and returns; nobody
# reads. The first child is stuck at exit in ``join_thread()``: after
# ``join(timeout=1)`` it is still alive, and the parent must drain the
# queue to let it go. The second called ``cancel_join_thread()`` first and
# exits at once; the rest of its item never reaches the pipe, so this
# parent never reads that queue again (a read would wait for bytes that
# will not come).

BIG = b"x" * 1_000_000


def put_big(q, cancel: bool, returning) -> None:
    q.put(BIG)
    if cancel:
        q.cancel_join_thread()
    returning.set()


if __name__ == "__main__":
    for cancel in (False, True):
        q = multiprocessing.Queue()
        returning = multiprocessing.Event()
        child = multiprocessing.Process(target=put_big, args=(q, cancel, returning))
        child.start()
        returning.wait(10)  # the child has put its item and is about to return
        child.join(timeout=1)
        print(
            f"cancel_join_thread={cancel}: alive after join(timeout=1): "
            f"{child.is_alive()}"
        )
        if child.is_alive():
            print(f"  drained {len(q.get(timeout=10))} bytes; the child can exit")
        child.join()
        print(f"  exit code {child.exitcode}")
        q.close()
