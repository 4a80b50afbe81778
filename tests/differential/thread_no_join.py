"""Threads started and never joined; the main thread ends first."""

import threading
import time


def work(n):
    time.sleep(0.1 * n)
    print(f"worker {n} done")


for n in range(3):
    threading.Thread(target=work, args=(n,)).start()
print("main thread ends here")
