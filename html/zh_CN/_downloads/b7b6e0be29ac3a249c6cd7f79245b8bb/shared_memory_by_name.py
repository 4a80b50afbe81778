"""
``shared_memory``: a block attached by name, then closed and unlinked
=====================================================================

``multiprocessing.shared_memory.SharedMemory`` is a block of raw bytes
that several processes map into their memory. Unlike ``Value`` and
``Array`` it has a *name*: any process that knows the name can attach to
it, even one not started by ``multiprocessing`` (before Python 3.13 such
an unrelated process registers the block with a resource tracker of its
own, which destroys the block when that process ends; Python 3.13 added
``track=False`` to avoid this). And it has an explicit
life cycle, in two steps that are easy to confuse:

``close()``
    this process stops using the block (every process that attached calls
    it, the creator too);
``unlink()``
    the block itself is destroyed (called once, by the owner, when nobody
    needs it any more). A block that is never unlinked outlives the
    program: on Linux it stays in ``/dev/shm`` until reboot.

If a program forgets ``unlink()``, ``multiprocessing``'s resource tracker
removes the block when the program ends and prints a warning about a
leaked ``shared_memory`` object. This page does it properly, so no warning
appears.
"""

# %%
# The owner creates, a child attaches by name
# -------------------------------------------
# The parent creates the block and passes only its *name* to the child.
# The child attaches, writes a greeting into the bytes and closes its own
# mapping. The parent reads the bytes after ``join()``. The ``try`` /
# ``finally`` makes sure the block is closed and unlinked even if the
# child fails.

import multiprocessing
from multiprocessing import shared_memory

GREETING = b"hello from the child"


def child(name: str) -> None:
    block = shared_memory.SharedMemory(name=name)  # attach, do not create
    try:
        block.buf[: len(GREETING)] = GREETING
    finally:
        block.close()  # this process is done with it; the block stays


if __name__ == "__main__":
    block = shared_memory.SharedMemory(create=True, size=64)
    try:
        worker = multiprocessing.Process(target=child, args=(block.name,))
        worker.start()
        worker.join()
        print(f"the parent reads: {bytes(block.buf[: len(GREETING)]).decode()}")
    finally:
        block.close()
        block.unlink()  # the block itself is gone now
    name = block.name

# %%
# After ``unlink()`` the name is gone
# -----------------------------------
# Attaching to an unlinked block fails: nothing was left behind. (Some
# platforms round the size up to a whole memory page, so code should not
# rely on ``block.size`` being exactly what it asked for.)

if __name__ == "__main__":
    try:
        shared_memory.SharedMemory(name=name)
    except FileNotFoundError:
        print("attaching after unlink(): FileNotFoundError")
