"""A producer process feeds a multiprocessing.Queue; nobody joins it."""

import multiprocessing


def produce(q):
    for i in range(5):
        q.put(i)
    q.put(None)


if __name__ == "__main__":
    q = multiprocessing.Queue()
    multiprocessing.Process(target=produce, args=(q,)).start()
    while (item := q.get()) is not None:
        print("got", item)
