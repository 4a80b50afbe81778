"""
Coroutines from generators with send()
======================================

A generator pauses at every ``yield`` and resumes when its caller sends it
a value. That is enough for two pieces of code to hand control back and
forth: here a producer sends numbers to a consumer, and the consumer sends
back a status for each one.

Everything runs in one thread. Nothing is preempted and no lock is needed,
because each side runs only until it explicitly hands control over. Modern
Python builds this same idea into ``async``/``await`` and ``asyncio``.

The asyncio chapter takes the idea further, starting with
:ref:`sphx_glr_auto_examples_asyncio_queue_producer_consumer.py`.
"""

# %%
# The consumer
# ------------
# ``n = yield result`` does two things: it hands ``result`` to whoever
# resumed the generator, and when the generator is resumed with
# ``send(value)``, ``value`` becomes ``n``. A generator has to be started
# with ``next()`` (or ``send(None)``) before it can receive anything, since
# it must first run up to its first ``yield``.

import inspect
import time


def consumer():
    result = ""
    while True:
        n = yield result
        if not n:
            return
        print(f"[CONSUMER] consuming {n}...")
        time.sleep(0.01)  # pretend to work
        result = "200 OK"


# %%
# The producer
# ------------
# ``send(n)`` switches to the consumer and returns what it yields next.
# ``close()`` raises ``GeneratorExit`` inside the paused consumer, which ends
# it cleanly.


def produce(c) -> None:
    next(c)  # run the consumer up to its first yield
    for n in range(1, 6):
        print(f"[PRODUCER] producing {n}...")
        status = c.send(n)
        print(f"[PRODUCER] consumer returned: {status}")
    c.close()


c = consumer()
produce(c)
print(f"consumer state: {inspect.getgeneratorstate(c)}")
