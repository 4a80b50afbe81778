"""os._exit(5) after flushing: no atexit, no cleanup, status 5."""

import atexit
import os
import sys

atexit.register(print, "not printed: os._exit skips atexit")
print("leaving abruptly")
sys.stdout.flush()
os._exit(5)
