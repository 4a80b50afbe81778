"""
Broken: starting a process without the ``__main__`` guard
=========================================================

Under ``spawn`` and ``forkserver`` the child imports the parent's main
module before it runs its target. Any code at module level runs again, in
the child. If that code starts a process, the child would start a process,
whose child would start one, and so on. ``multiprocessing`` stops this at
the first step: a process that is still importing its main module and tries
to start another one gets a ``RuntimeError``.

The ``if __name__ == "__main__":`` guard is the fix: the main module is
imported in the child under the name ``__mp_main__``, so the guarded code
runs only in the parent. ``fork`` does not import anything, so unguarded
code happens to work there; it breaks as soon as the start method changes,
for example on macOS, on Windows, or on Linux with Python 3.14.
"""

# %%
# A tiny program, with and without the guard
# ------------------------------------------
# Both versions start one child, which prints a greeting. They are written
# to a temporary folder and run in a separate interpreter with a timeout,
# so the broken form cannot hang this page. The start method is named in
# the program, so it does not depend on the default. (No timeline: the
# programs run in separate interpreters, and the story is in their output.)

# concdoc: timeline = off

import multiprocessing
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

PROGRAM = """\
import multiprocessing

def greet():
    print("hello from the child")

{guard}ctx = multiprocessing.get_context("{method}")
{indent}child = ctx.Process(target=greet)
{indent}child.start()
{indent}child.join()
{indent}print("child exit code:", child.exitcode)
"""


def run_program(method: str, guarded: bool, folder: Path) -> None:
    source = PROGRAM.format(
        method=method,
        guard='if __name__ == "__main__":\n    ' if guarded else "",
        indent="    " if guarded else "",
    )
    path = folder / f"{method}_{'guarded' if guarded else 'unguarded'}.py"
    path.write_text(source)
    done = subprocess.run(
        [sys.executable, path.name],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=30,
    )
    print(textwrap.indent(done.stdout, "    "), end="")
    if "RuntimeError" in done.stderr:
        print(f"    the child's error: RuntimeError: {first_sentence(done.stderr)}")


def first_sentence(stderr: str) -> str:
    """The first sentence of the RuntimeError's (multi-line) message."""
    message = stderr.split("RuntimeError:", 1)[1]
    return " ".join(message.split()).split(".")[0] + "."


def available(methods: tuple[str, ...]) -> list[str]:
    return [m for m in methods if m in multiprocessing.get_all_start_methods()]


# %%
# Broken: no guard
# ----------------
# Under ``fork`` the program works by luck. Under ``spawn`` and
# ``forkserver`` the child, while importing the program, reaches
# ``child.start()`` itself and gets the ``RuntimeError``; it exits with code
# 1 and never greets. The parent is not told why, only the exit code.

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        for method in available(("fork", "spawn", "forkserver")):
            print(f"{method}, without the guard:")
            run_program(method, guarded=False, folder=Path(tmp))

# %%
# Fixed: the guard
# ----------------
# With the process-starting code under the guard, the child's import of
# the module only defines ``greet``, and every start method works.

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        for method in available(("fork", "spawn", "forkserver")):
            print(f"{method}, with the guard:")
            run_program(method, guarded=True, folder=Path(tmp))
