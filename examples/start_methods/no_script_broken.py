"""
Broken: a worker function that lives in no file
===============================================

A process started with ``spawn`` or ``forkserver`` is a fresh interpreter.
It is sent the *name* of the function to run, such as ``__main__.greet``,
and finds the function by importing the module that holds it; for
``__main__`` that means importing the script that started it, under the
name ``__mp_main__``. Code typed into a notebook cell, an interactive
session or ``python -c`` has no script behind it: the child has nothing to
import, finds no ``greet`` and fails. This is why these pages offer scripts
to download and no notebooks.

The fix is to keep worker functions in a module file and import them; the
child imports the same module and finds them. ``fork`` copies the parent's
memory, functions included, so the broken form happens to work there.
"""

# %%
# The same program, fed to ``python -c``
# --------------------------------------
# The program starts one child that greets. It is run in a separate
# interpreter as ``python -c PROGRAM``, the way a notebook's code runs with
# no file behind it, with a timeout, so the broken form cannot hang this
# page. The start method is named in the program. (No timeline: the
# programs run in separate interpreters, and the story is in their output.)

# concdoc: timeline = off

import multiprocessing
import subprocess
import sys
import tempfile
from pathlib import Path

PROGRAM = """\
import multiprocessing
{greet}

if __name__ == "__main__":
    child = multiprocessing.get_context("{method}").Process(target=greet)
    child.start()
    child.join()
    print("    child exit code:", child.exitcode)
"""
DEFINED_HERE = 'def greet():\n    print("    hello from the child")'
IMPORTED = "from tasks import greet"


def run_program(method: str, greet: str, folder: Path) -> None:
    source = PROGRAM.format(method=method, greet=greet)
    done = subprocess.run(
        [sys.executable, "-c", source],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=30,
    )
    print(done.stdout, end="")
    errors = [line for line in done.stderr.splitlines() if "Error:" in line]
    if errors:
        kind, message = errors[-1].split(": ", 1)
        # the first words only: the rest names the module and varies by version
        print(f"    the child's error: {kind}: {' '.join(message.split()[:4])} ...")


def available(methods: tuple[str, ...]) -> list[str]:
    return [m for m in methods if m in multiprocessing.get_all_start_methods()]


# %%
# Broken: ``greet`` defined in the code itself
# --------------------------------------------
# Under ``fork`` the child already has ``greet``. Under ``spawn`` and
# ``forkserver`` it looks ``greet`` up in ``__main__``, which in the child
# is a bare module with nothing from the program in it: an
# ``AttributeError``, exit code 1, and no greeting.

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        for method in available(("fork", "spawn", "forkserver")):
            print(f"{method}, greet defined in the code:")
            run_program(method, DEFINED_HERE, Path(tmp))

# %%
# Fixed: ``greet`` imported from a module file
# --------------------------------------------
# ``greet`` now lives in ``tasks.py``. The child is sent ``tasks.greet``,
# imports ``tasks`` as the parent did (the parent's ``sys.path`` is passed
# to it), and every start method works. In a notebook, the same: put the
# worker functions in a ``.py`` file beside it and import them.

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "tasks.py").write_text(DEFINED_HERE + "\n")
        for method in available(("fork", "spawn", "forkserver")):
            print(f"{method}, greet imported from tasks.py:")
            run_program(method, IMPORTED, Path(tmp))
