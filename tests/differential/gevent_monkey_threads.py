"""monkey.patch_all(), then ordinary threads (greenlets underneath)."""

from gevent import monkey

monkey.patch_all()

import threading  # noqa: E402
import time  # noqa: E402


def nap(n):
    time.sleep(0.01)
    print(f"napper {n} awake")


threads = [threading.Thread(target=nap, args=(n,)) for n in range(3)]
for t in threads:
    t.start()
print("started the nappers")
