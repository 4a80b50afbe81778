"""
Signal handlers run in the main thread
======================================

A signal is delivered to the process, but Python runs its handlers only in
the main thread, whichever thread the operating system interrupted. So a
``KeyboardInterrupt`` is always raised in the main thread, never in a
worker thread, and ``signal.signal()`` itself may only be called from the
main thread. A worker that must react to a signal has to be told by the
main thread, for example through an ``Event``.
"""

# %%
# A signal sent from a worker thread
# ----------------------------------
# A worker thread sends ``SIGUSR1`` to its own process. The handler records
# the thread it runs in: the main thread, which was waiting in ``join()``.

import os
import signal
import threading

handled_in: list[str] = []


def on_usr1(signum: int, frame) -> None:
    handled_in.append(threading.current_thread().name)


signal.signal(signal.SIGUSR1, on_usr1)
sender = threading.Thread(target=os.kill, args=(os.getpid(), signal.SIGUSR1))
sender.name = "sender"
sender.start()
sender.join()
print(f"sent from: {sender.name}, handled in: {handled_in}")

# %%
# signal.signal() only from the main thread
# -----------------------------------------

errors: list[str] = []


def install() -> None:
    try:
        signal.signal(signal.SIGUSR2, on_usr1)
    except ValueError as exc:
        errors.append(str(exc))


t = threading.Thread(target=install)
t.start()
t.join()
print(f"signal.signal() in a worker thread raised ValueError: {errors}")

# %%
# Telling the workers
# -------------------
# The usual pattern: the main thread's handler sets an event that the
# workers check. Here ``SIGTERM`` asks two workers to stop; each finishes
# its current step and leaves. The signal is sent by the process itself.

stop = threading.Event()
signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
steps: dict[str, int] = {}


def worker(name: str) -> None:
    steps[name] = 0
    while not stop.wait(timeout=0.01):
        steps[name] += 1


workers = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(2)]
for w in workers:
    w.start()
signal.raise_signal(signal.SIGTERM)
for w in workers:
    w.join()
print(
    f"stop set by the handler: {stop.is_set()}; workers ended: "
    f"{not any(w.is_alive() for w in workers)}"
)
signal.signal(signal.SIGTERM, signal.SIG_DFL)
