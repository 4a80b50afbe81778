"""Log records from child processes, configured in each child."""

import logging
import multiprocessing


def job(i):
    logging.basicConfig(level=logging.INFO, format="%(processName)s %(message)s")
    logging.getLogger("child").info("child %d says hi", i)


if __name__ == "__main__":
    procs = [
        multiprocessing.Process(target=job, args=(i,), name=f"p{i}") for i in range(3)
    ]
    for p in procs:
        p.start()
    print("started three")
