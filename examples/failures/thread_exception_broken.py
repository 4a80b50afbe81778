"""
Broken: an exception in a thread that nobody sees
=================================================

An exception that escapes a thread's ``run()`` ends that thread only. It
is passed to ``threading.excepthook``, whose default prints the traceback
to standard error, and then it is gone: ``join()`` returns normally, the
main thread carries on, and the result the thread was meant to produce is
simply missing. In a program whose standard error nobody reads, the
failure is silent.

The worker below dies of an exception on purpose. The site's strict build
(see *How the examples are run*) would count that as a broken house rule; the
line ``# concdoc: allow = thread-exception`` says it is deliberate.
"""

# concdoc: allow = thread-exception

# %%
# Broken: a worker that raises
# ----------------------------
# ``parse()`` fails on its input. The traceback below is printed by the
# default hook, in the worker thread; ``join()`` then returns as usual.

import concurrent.futures
import threading

results: dict[str, int] = {}


def parse(text: str) -> None:
    results[text] = int(text)


worker = threading.Thread(target=parse, args=("forty-two",), name="parser")
worker.start()
worker.join()
print(f"join() returned normally; results: {results}")

# %%
# Seeing it: a custom threading.excepthook
# ----------------------------------------
# The hook receives the exception type, value, traceback and the thread.
# It runs in the failing thread, so it must be quick and thread-safe; here
# it records the failure for the main thread to report. A logging call is
# the usual choice in a real program.

failures: list[str] = []


def record_failure(args: threading.ExceptHookArgs) -> None:
    failures.append(f"{args.thread.name}: {args.exc_type.__name__}: {args.exc_value}")


threading.excepthook = record_failure
worker = threading.Thread(target=parse, args=("seven",), name="parser-2")
worker.start()
worker.join()
threading.excepthook = threading.__excepthook__  # the default again
print(f"recorded by the hook: {failures}")

# %%
# Fixed: let a future carry the exception
# ---------------------------------------
# A ``ThreadPoolExecutor`` catches the exception in the worker and keeps it
# in the future; ``result()`` raises it again in the caller, where it can be
# handled like any other error.


def parse_value(text: str) -> int:
    return int(text)


with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
    futures = {text: pool.submit(parse_value, text) for text in ("42", "x")}
    for text, future in futures.items():
        try:
            print(f"{text!r} -> {future.result()}")
        except ValueError as exc:
            print(f"{text!r} -> the caller caught ValueError: {exc}")
