"""A signal sent to itself, with a handler installed."""

import os
import signal

received = []
signal.signal(signal.SIGUSR1, lambda signum, frame: received.append(signum))
os.kill(os.getpid(), signal.SIGUSR1)
print("handled", received == [signal.SIGUSR1])
