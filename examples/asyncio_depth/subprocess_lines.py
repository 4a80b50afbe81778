"""
Subprocesses under a deadline: kill, then wait
==============================================

``asyncio.create_subprocess_exec(program, *args, stdout=PIPE)`` starts a
child process and returns at once; ``process.stdout`` is a
``StreamReader``, so each ``await process.stdout.readline()`` suspends
only the task that reads, and the loop can watch several children at the
same time. The :doc:`subprocess chapter </auto_examples/subprocess_pipes/index>`
shows that, and the pipe deadlock that ``communicate()`` avoids; this page
adds a deadline.

A deadline around a child is the caller's business: when it expires, the
cancelled ``await`` does not stop the process. The caller must
``kill()`` it and then ``await process.wait()``, so that the child is
reaped and its exit status read.
"""

# %%
# A child that reports progress
# -----------------------------
# Each child is this same Python running a few lines: it prints a line
# every 20 ms. ``-u`` makes its output unbuffered, so each line reaches the
# pipe when printed.

import asyncio
import sys

CHILD = """
import sys, time
for i in range(int(sys.argv[1])):
    print(f"step {i}")
    time.sleep(0.02)
"""


async def watch(name: str, steps: int, deadline: float) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-u", "-c", CHILD, str(steps), stdout=asyncio.subprocess.PIPE
    )
    lines = []
    try:
        async with asyncio.timeout(deadline):
            while line := await process.stdout.readline():
                lines.append(line.decode().strip())
    except TimeoutError:
        process.kill()  # the timeout cancelled our read, not the child
    status = await process.wait()
    return (
        f"{name}: read all {steps} lines: {len(lines) == steps}, exit status {status}"
    )


# %%
# Two children watched at once
# ----------------------------
# ``short`` finishes its 3 steps; ``long`` would take 100 steps, 2 s, and
# is killed at its 0.3 s deadline. A negative exit status is the number of
# the signal that ended the process (9, ``SIGKILL``, on Linux and macOS).


async def main() -> None:
    for report in await asyncio.gather(watch("short", 3, 5.0), watch("long", 100, 0.3)):
        print(report)


asyncio.run(main())
