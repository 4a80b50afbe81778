"""atexit handlers run last-registered first, with globals still there."""

import atexit

state = {"saved": 0}


def save():
    state["saved"] += 1
    print("saving", state)


def goodbye(name):
    print("goodbye", name)


atexit.register(save)
atexit.register(goodbye, "world")
print("registered")
