"""A daemon thread still waiting when the script ends is cut off."""

import threading

started = threading.Event()


def watcher():
    print("watching")
    started.set()
    threading.Event().wait()
    print("never printed")


threading.Thread(target=watcher, daemon=True).start()
started.wait()
print("bye")
