"""Non-ASCII text from the main thread and a worker thread."""

import threading

print("队列 — queue, 线程 — thread")
t = threading.Thread(target=print, args=("进程 — process ✓",))
t.start()
t.join()
