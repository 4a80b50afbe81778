"""SIGTERM sent to itself without a handler kills the interpreter."""

import os
import signal
import sys

print("about to stop myself")
sys.stdout.flush()
os.kill(os.getpid(), signal.SIGTERM)
print("never printed")
