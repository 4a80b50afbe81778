"""
Broken: wait() on a child whose pipe is full
============================================

With ``stdout=subprocess.PIPE``, the child's output goes into a pipe that
the parent must read. The pipe has a fixed capacity (on Linux, the size
printed below). A child that writes more than that *blocks* in its write until
the parent reads. If the parent meanwhile calls ``wait()``, it waits for a
child that is waiting for it: a deadlock. The ``subprocess`` documentation
warns about exactly this for ``wait()``.

``communicate()`` reads standard output and standard error (and writes
standard input) while it waits, so the pipes never stay full. ``run()``
uses it.
"""

# %%
# A child that writes 1 MB
# ------------------------
# That is far more than a pipe holds.

import fcntl
import os
import subprocess
import sys

read_end, write_end = os.pipe()
print(f"capacity of a new pipe: {fcntl.fcntl(write_end, fcntl.F_GETPIPE_SZ)} bytes")
os.close(read_end)
os.close(write_end)

CHILD = [sys.executable, "-c", "import sys; sys.stdout.write('x' * 1_000_000)"]

# %%
# Broken: wait() before reading
# -----------------------------
# ``wait()`` without a timeout would never return. With a 2 s timeout it
# raises ``TimeoutExpired``, and the child is still alive, stuck in its
# write. The page then kills it and reaps it.

proc = subprocess.Popen(CHILD, stdout=subprocess.PIPE)
try:
    proc.wait(timeout=2)
except subprocess.TimeoutExpired:
    print(
        f"wait(timeout=2) raised TimeoutExpired; child still running: "
        f"{proc.poll() is None}"
    )
proc.kill()
proc.communicate()
proc.stdout.close()
print(f"killed: exit code {proc.returncode}")

# %%
# Fixed: communicate()
# --------------------
# ``communicate()`` reads while it waits. Its ``timeout`` bounds the whole
# exchange; on ``TimeoutExpired`` the child is still running, and the
# caller must kill it and call ``communicate()`` again to collect it, as
# above.

proc = subprocess.Popen(CHILD, stdout=subprocess.PIPE)
out, _ = proc.communicate(timeout=30)
print(f"communicate(): {len(out)} bytes, exit code {proc.returncode}")

result = subprocess.run(CHILD, capture_output=True, timeout=30, check=True)
print(f"run(): {len(result.stdout)} bytes, exit code {result.returncode}")
