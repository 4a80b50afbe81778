"""A child process dies of an exception; the parent still exits 0."""

import multiprocessing


def crash():
    raise KeyError("missing")


if __name__ == "__main__":
    p = multiprocessing.Process(target=crash, name="cruncher")
    p.start()
    p.join()
    print("child exit code", p.exitcode)
