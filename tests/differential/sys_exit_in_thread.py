"""sys.exit in a thread only ends that thread."""

import sys
import threading


def quit_early():
    print("thread quitting")
    sys.exit(2)


t = threading.Thread(target=quit_early)
t.start()
t.join()
print("main carries on")
