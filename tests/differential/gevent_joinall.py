"""gevent greenlets that sleep and print, joined with joinall."""

import gevent


def task(n):
    gevent.sleep(0.01 * (3 - n))
    print(f"greenlet {n} done")


gevent.joinall([gevent.spawn(task, n) for n in range(3)])
print("all greenlets done")
