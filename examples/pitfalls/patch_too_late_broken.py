"""
Broken: monkey patching too late
================================

``gevent.monkey.patch_all()`` replaces blocking functions of the standard
library, such as ``time.sleep`` and the ``threading`` primitives, with
versions that let other greenlets run. It changes the *modules*. A name
that some module imported before the patch, like ``from time import
sleep``, still refers to the original function, and it still blocks the
whole thread.

That is why gevent's documentation asks for ``patch_all()`` to be the very
first thing the program does. Because patching cannot be undone, each
version below runs in a fresh interpreter (``subprocess.run`` with a
timeout).
"""

# %%
# The program, with the patch in two places
# -----------------------------------------
# Two greenlets each nap twice for 50 ms. If the naps overlap, the run
# takes about 100 ms; if they block, about 200 ms.

import subprocess
import sys

PROGRAM = """
{before}
from time import sleep  # binds the name sleep to what time.sleep is now
import time
{after}
import gevent

def napper():
    for _ in range(2):
        sleep(0.05)

start = time.monotonic()
gevent.joinall([gevent.spawn(napper) for _ in range(2)])
elapsed = time.monotonic() - start
print(f"  sleep is gevent.sleep: {{sleep is gevent.sleep}}")
print(f"  time.sleep is gevent.sleep: {{time.sleep is gevent.sleep}}")
print(f"  naps overlapped: {{elapsed < 4 * 0.05}}")  # less than the four added up
"""
PATCH = "from gevent import monkey; monkey.patch_all()"


def run(before: str, after: str) -> None:
    code = PROGRAM.format(before=before, after=after)
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    print(proc.stdout, end="")


# %%
# Broken: ``patch_all()`` after the import
# ----------------------------------------
# ``time.sleep`` is patched, but the ``sleep`` this module imported earlier
# is the original. The naps run one after another.

print("patched after 'from time import sleep':")
run(before="", after=PATCH)

# %%
# Fixed: ``patch_all()`` first
# ----------------------------
# Patched before anything else is imported, every name refers to gevent's
# version, and the naps overlap.

print("patched first:")
run(before=PATCH, after="")
