"""
A one-way pipe and end-of-file
==============================

``multiprocessing.Pipe(duplex=False)`` returns two connection objects: the
first can only receive and the second can only send. A child process sends
a list through the sending end and closes it; the parent receives the list.

The receiver learns that nothing more will come only when *every* copy of
the sending end is closed. The parent holds a copy too, and until it closes
its own, ``recv()`` would block forever instead of raising ``EOFError``.
"""

# %%
# Which end is which
# ------------------
# As the study note this chapter is based on says, the first end only
# receives and the second only sends. Using an end the wrong way raises
# ``OSError``.

import multiprocessing
from multiprocessing.connection import Connection


def send(conn: Connection) -> None:
    conn.send(["spam", 42, "egg"])
    conn.close()


if __name__ == "__main__":
    receive_end, send_end = multiprocessing.Pipe(duplex=False)
    print(
        f"receive_end: readable={receive_end.readable}, writable={receive_end.writable}"
    )
    print(f"send_end: readable={send_end.readable}, writable={send_end.writable}")
    try:
        receive_end.send("hello")
    except OSError as exc:
        print(f"OSError: {exc}")

# %%
# Sending from a child
# --------------------
# The child gets its own copy of ``send_end``, sends one message and closes
# its copy. Joining the child guarantees that its copy is closed.

if __name__ == "__main__":
    child = multiprocessing.Process(target=send, args=(send_end,))
    child.start()
    print(f"parent got: {receive_end.recv()}")
    child.join()

# %%
# End-of-file needs the parent's copy closed as well
# --------------------------------------------------
# The child has exited, but the parent's own ``send_end`` is still open, so
# there is neither data nor end-of-file: ``poll()`` times out, and a
# ``recv()`` here would hang. Once the parent closes its copy, ``recv()``
# raises ``EOFError``. In real code, close the parent's copy right after
# ``start()``.

if __name__ == "__main__":
    print(f"anything to read while our send_end is open: {receive_end.poll(0.2)}")
    send_end.close()
    try:
        receive_end.recv()
    except EOFError:
        print("EOFError: every copy of the sending end is closed")
    receive_end.close()
