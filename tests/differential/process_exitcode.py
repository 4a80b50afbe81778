"""A child process calls sys.exit(2); the parent reads its exit code."""

import multiprocessing
import sys


def leave():
    print("child leaving")
    sys.exit(2)


if __name__ == "__main__":
    p = multiprocessing.Process(target=leave)
    p.start()
    p.join()
    print("exit code", p.exitcode)
