"""A Pool used without close() or join()."""

import multiprocessing


def square(x):
    return x * x


if __name__ == "__main__":
    pool = multiprocessing.Pool(2)
    print(pool.map(square, range(8)))
