"""A ThreadPoolExecutor never shut down; futures still running at the end."""

import time
from concurrent.futures import ThreadPoolExecutor

executor = ThreadPoolExecutor(max_workers=2)


def slow(n):
    time.sleep(0.1)
    print(f"task {n} finished")


for n in range(4):
    executor.submit(slow, n)
print("submitted four tasks")
