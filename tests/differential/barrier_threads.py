"""Threads meet at a Barrier, then finish on their own."""

import threading

barrier = threading.Barrier(3)


def party(n):
    barrier.wait()
    print(f"party {n} passed the barrier")


for n in range(3):
    threading.Thread(target=party, args=(n,)).start()
