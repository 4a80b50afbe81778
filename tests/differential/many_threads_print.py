"""Eight threads print a hundred lines each; nobody joins them."""

import threading


def chatter(n):
    for i in range(100):
        print(f"thread {n} line {i}")


for n in range(8):
    threading.Thread(target=chatter, args=(n,)).start()
