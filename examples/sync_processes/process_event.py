"""
multiprocessing.Event: one signal for many processes
====================================================

``multiprocessing.Event`` is ``threading.Event`` across processes: a flag
that ``set()`` raises, ``clear()`` lowers and ``wait(timeout)`` *blocks*
on until it is set, returning the flag. A common use is a stop signal: the
parent sets it, and every worker that checks it between jobs finishes its
current job and leaves, instead of being killed in the middle.
"""

# %%
# A stop signal
# -------------
# Three workers count jobs until the stop event is set. Each checks the
# event between jobs with ``wait(timeout)``, which doubles as the pause
# between jobs. The parent lets them work until each has done at least one
# job, then sets the event and joins them: they stop by themselves.

import multiprocessing


def worker(name: str, stop, first_job_done, results) -> None:
    jobs = 0
    while not stop.wait(timeout=0.01):
        jobs += 1
        if jobs == 1:
            first_job_done.release()
    results.put((name, jobs))


if __name__ == "__main__":
    stop = multiprocessing.Event()
    first_job_done = multiprocessing.Semaphore(0)
    results = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(
            target=worker, args=(f"w{i}", stop, first_job_done, results)
        )
        for i in range(3)
    ]
    for w in workers:
        w.start()
    for _ in workers:
        first_job_done.acquire(timeout=10)
    stop.set()
    done = sorted(results.get(timeout=10) for _ in workers)
    for w in workers:
        w.join()
    print(f"each worker did at least one job: {all(jobs >= 1 for _, jobs in done)}")
    print(f"exit codes: {[w.exitcode for w in workers]}")
    results.close()
    results.join_thread()
