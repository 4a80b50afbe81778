"""A worker thread dies of an exception; the script still exits 0."""

import threading


def parse(text):
    return int(text)


t = threading.Thread(target=parse, args=("not a number",), name="parser")
t.start()
t.join()
print("main thread finished normally")
