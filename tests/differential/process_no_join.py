"""Processes started and never joined: multiprocessing joins them at exit."""

import multiprocessing
import time


def work(n):
    time.sleep(0.2)
    print(f"process {n} done")


if __name__ == "__main__":
    for n in range(3):
        multiprocessing.Process(target=work, args=(n,)).start()
    print("parent done")
