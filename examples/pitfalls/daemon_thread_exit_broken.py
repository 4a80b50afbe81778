"""
Broken: a daemon thread killed in the middle of a write
=======================================================

A daemon thread does not keep the interpreter alive. When the main thread
ends, Python shuts down without waiting for daemon threads: they are
stopped wherever they are, without running ``finally`` blocks or ``with``
exits. A daemon thread that is writing a file at that moment leaves it
incomplete.

To see what happens at exit, each version is written to a small script and
run in a child interpreter (``subprocess.run`` with a timeout, so it is
bounded); the parent then reads the file the script wrote.
"""

# %%
# A writer that needs 0.5 s
# -------------------------
# The script's thread writes 10 lines, one every 50 ms, and a last line
# ``end`` when it has finished. The main thread starts it, waits until the
# first line is on disk, and ends. The template takes the way the thread
# is created and the way the main thread ends as parameters.

import pathlib
import subprocess
import sys
import tempfile

SCRIPT = """
import threading, time, sys
started = threading.Event()

def write(path):
    with open(path, "w") as f:
        for i in range(10):
            f.write(f"line {{i}}\\n")
            f.flush()
            started.set()
            time.sleep(0.05)
        f.write("end\\n")

writer = threading.Thread(target=write, args=(sys.argv[1],), {thread_args})
writer.start()
started.wait()
{at_the_end}
"""


def run_writer(thread_args: str, at_the_end: str) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        script = pathlib.Path(tmp) / "writer.py"
        script.write_text(SCRIPT.format(thread_args=thread_args, at_the_end=at_the_end))
        out = pathlib.Path(tmp) / "out.txt"
        subprocess.run([sys.executable, script, out], check=True, timeout=10)
        return out.read_text().splitlines()


# %%
# Broken: ``daemon=True`` and nothing waits
# -----------------------------------------
# The interpreter exits right after the first line: the file has no
# ``end`` line, and most lines are missing. Which lines made it depends on
# timing; what matters is that the file is incomplete.

lines = run_writer("daemon=True", "pass")
print(
    f"broken: fewer than 11 lines: {len(lines) < 11}, "
    f"ends with 'end': {lines[-1] == 'end'}"
)

# %%
# Fixed: a non-daemon thread, joined
# ----------------------------------
# A thread that is not a daemon (the default) is waited for at exit anyway,
# but joining it says so explicitly and is the place to handle its end.
# When the thread should stop early instead of finishing its work, give it
# a ``threading.Event`` to check between records and set that before the
# join: it then stops at a record boundary and closes its file.

lines = run_writer("daemon=False", "writer.join()")
print(f"fixed: {len(lines)} lines, ends with 'end': {lines[-1] == 'end'}")
