"""A child process starts a grandchild process and joins it."""

import multiprocessing


def grandchild():
    print("grandchild here")


def child():
    p = multiprocessing.Process(target=grandchild)
    p.start()
    p.join()
    print("child done")


if __name__ == "__main__":
    p = multiprocessing.Process(target=child)
    p.start()
    p.join()
    print("parent done")
