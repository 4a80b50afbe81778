"""A ProcessPoolExecutor never shut down."""

from concurrent.futures import ProcessPoolExecutor


def cube(x):
    return x**3


if __name__ == "__main__":
    executor = ProcessPoolExecutor(max_workers=2)
    print(list(executor.map(cube, range(6))))
