"""The main thread raises while a worker is still running; the worker finishes."""

import threading
import time


def slow():
    time.sleep(0.3)
    print("worker finished anyway")


threading.Thread(target=slow).start()
raise RuntimeError("main thread gives up")
