"""
asyncio.create_subprocess_exec: several children, output as it comes
=====================================================================

``asyncio.create_subprocess_exec()`` starts a program and returns a
``Process`` whose ``stdout`` is an ``asyncio.StreamReader``. Reading a
line *suspends* the coroutine instead of blocking the thread, so one event
loop can run several children at once and read each one's output as it is
produced. ``await proc.communicate()`` collects everything, like its
``subprocess`` namesake, and ``await proc.wait()`` must only be used when
the pipes are read (or not used), for the same reason as in
``subprocess``: a full pipe would block the child.
"""

# %%
# Three children, read line by line
# ---------------------------------
# Each child prints three numbered lines with a pause of ``0.2 * n`` s
# between them. The loop reads all three children at the same time; the
# lines are collected per child and printed after the run, in a fixed
# order. The total time is about that of the slowest child, not the sum.

import asyncio
import sys
import time

CHILD = """
import sys, time
n = int(sys.argv[1])
for i in range(3):
    print(f"child {n} line {i}", flush=True)
    time.sleep(0.2 * n)
"""


async def run_child(n: int) -> list[str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CHILD, str(n), stdout=asyncio.subprocess.PIPE
    )
    lines = [line.decode().rstrip() async for line in proc.stdout]
    await proc.wait()  # the pipe has been read to the end
    return lines + [f"child {n} exit code {proc.returncode}"]


async def main() -> None:
    start = time.monotonic()
    results = await asyncio.wait_for(
        asyncio.gather(*(run_child(n) for n in (1, 2, 3))), timeout=30
    )
    elapsed = time.monotonic() - start
    for lines in results:
        print("\n".join(lines))
    slowest, total = 3 * 0.2 * 3, sum(3 * 0.2 * n for n in (1, 2, 3))
    print(
        f"ran together: took less than the sum of the children's sleeps "
        f"({total:.1f} s): {elapsed < total}; at least the slowest "
        f"({slowest:.1f} s): {elapsed >= slowest}"
    )


asyncio.run(main())

# %%
# A timeout that kills the child
# ------------------------------
# ``asyncio.wait_for`` bounds ``communicate()``; on timeout the child keeps
# running, so the coroutine kills it and waits for it.


async def bounded() -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "import time; time.sleep(30)",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        await asyncio.wait_for(proc.communicate(), timeout=0.5)
    except TimeoutError:
        proc.kill()
        await proc.communicate()
        print(f"timed out after 0.5 s; killed, exit code {proc.returncode}")


asyncio.run(bounded())
