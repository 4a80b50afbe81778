"""A Manager started and never shut down."""

import multiprocessing


def add(shared, key):
    shared[key] = key * 10


if __name__ == "__main__":
    manager = multiprocessing.Manager()
    shared = manager.dict()
    p = multiprocessing.Process(target=add, args=(shared, 4))
    p.start()
    p.join()
    print(dict(shared))
