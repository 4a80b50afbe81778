"""A daemon process still running at exit is terminated."""

import multiprocessing
import time


def forever(ready):
    ready.set()
    time.sleep(3600)


if __name__ == "__main__":
    ready = multiprocessing.Event()
    multiprocessing.Process(target=forever, args=(ready,), daemon=True).start()
    ready.wait()
    print("daemon is running; leaving")
