"""A future's exception that nobody retrieves goes unreported."""

from concurrent.futures import ThreadPoolExecutor


def fail():
    raise ValueError("lost")


with ThreadPoolExecutor() as executor:
    executor.submit(fail)
print("done, the error was never looked at")
