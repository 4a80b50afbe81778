"""Producer and daemon consumers on a queue.Queue; q.join() is the only wait."""

import queue
import threading

q = queue.Queue()


def consumer():
    while True:
        item = q.get()
        print("consumed", item)
        q.task_done()


for _ in range(2):
    threading.Thread(target=consumer, daemon=True).start()
for item in range(6):
    q.put(item)
q.join()
print("all consumed")
