"""An exception in a pool task is raised again in the parent."""

from multiprocessing import Pool


def invert(x):
    return 1 / x


if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.map(invert, [1, 2, 0]))
