"""An interval timer's SIGALRM interrupts a wait."""

import signal
import threading

fired = threading.Event()
signal.signal(signal.SIGALRM, lambda signum, frame: fired.set())
signal.setitimer(signal.ITIMER_REAL, 0.1)
print("alarm fired:", fired.wait(5))
