"""
A two-way pipe conversation
===========================

``multiprocessing.Pipe()`` is duplex by default: both ends can send and
receive. Here a child process sends a dict, waits for a reply and prints
it, while the parent receives the dict and answers with a set. This is the
cheapest way for exactly two processes to talk back and forth.

A set has no fixed iteration order: string hashing is randomised each time
an interpreter starts, so the order changes from run to run (and a child
started with ``spawn`` or ``forkserver`` can order the same set differently
from its parent; a ``fork`` child inherits the parent's hashing). The child
prints it sorted to keep the output reproducible.
"""

# %%
# The child's side
# ----------------
# ``recv()`` blocks until the other side sends something. ``flush=True``
# makes the child's line appear at once, in its place between the parent's
# lines.

import multiprocessing
from multiprocessing.connection import Connection


def talk(conn: Connection) -> None:
    conn.send({"name": "Bob", "spam": 42})
    reply = conn.recv()
    print(f"talker got: {sorted(reply)}", flush=True)
    conn.close()


# %%
# The parent's side
# -----------------
# The parent closes its copy of the child's end right after ``start()``. If
# the child died before sending, the parent's ``recv()`` would then raise
# ``EOFError`` instead of waiting forever.

if __name__ == "__main__":
    parent_end, child_end = multiprocessing.Pipe()
    child = multiprocessing.Process(target=talk, args=(child_end,))
    child.start()
    child_end.close()

    print(f"parent got: {parent_end.recv()}", flush=True)
    parent_end.send({x * 2 for x in "spam"})
    child.join()
    parent_end.close()
    print(f"parent exit, child exit code {child.exitcode}")
