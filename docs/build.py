"""Build the English and the Chinese site at once: ``python docs/build.py [OPTIONS]``.

Runs ``sphinx-build -b html -W --keep-going -n`` for each language, into
``docs/_build/html/<language>/`` (doctrees in ``docs/_build/doctrees/``),
side by side. Both use the one generated gallery: whichever build reaches
it first runs the examples that need running, the other waits for it (a lock
in ``concdoc.sphinxext``) and then finds them up to date (an example that
failed is not up to date: the second build runs it again and fails too).
Each output line
is prefixed with its language. Extra options go to both ``sphinx-build``
runs. Exit status: 0 if both builds succeeded, else the first failure's.

Each build is ``sphinx-build`` run by this script (``--sphinx-build ARGS``),
which ends its interpreter as soon as Sphinx has returned and the exit
handlers have run, without freeing the build's objects one by one: that
teardown took 0.8 s (English) and 0.95 s (Chinese) of every build's end, for
nothing, since every file is written and closed by then.

This is what ``tox -e docs`` runs.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import NoReturn

from concdoc.languages import CODES as LANGUAGES
from concdoc.languages import find

DOCS = Path(__file__).resolve().parent
BUILD = DOCS / "_build"
STRICT = ("-W", "--keep-going", "-n")
ONE_BUILD = "--sphinx-build"


def command(language: str, extra: list[str]) -> list[str]:
    """The ``sphinx-build`` command line for one language."""
    return [
        sys.executable,
        str(Path(__file__).resolve()),
        ONE_BUILD,
        "-b",
        "html",
        *STRICT,
        "-D",
        f"language={language}",
        "-d",
        str(BUILD / "doctrees" / language),
        *extra,
        str(DOCS),
        str(BUILD / "html" / language),
    ]


def _relay(language: str, proc: subprocess.Popen[str], lock: threading.Lock) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        with lock:
            sys.stdout.write(f"[{language}] {line}")
            sys.stdout.flush()


def main(argv: list[str]) -> int:
    """Build both languages; return the exit status."""
    start = time.perf_counter()
    lock = threading.Lock()
    running = []
    for language in LANGUAGES:
        proc = subprocess.Popen(
            command(language, argv),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        relay = threading.Thread(target=_relay, args=(language, proc, lock))
        relay.start()
        running.append((language, proc, relay))
    status = 0
    for language, proc, relay in running:
        code = proc.wait()
        relay.join()
        print(f"[{language}] sphinx-build exited with status {code}")
        status = status or code
    seconds = time.perf_counter() - start
    if status:
        print(f"the build failed after {seconds:.1f} s")
        return status
    for language in LANGUAGES:
        entry = find(language)
        label = entry.label if entry else language
        print(f"{label}: {BUILD / 'html' / language / 'index.html'}")
    print(f"built {len(LANGUAGES)} sites in {seconds:.1f} s")
    return status


def sphinx_build(argv: list[str]) -> NoReturn:
    """Run ``sphinx-build ARGV``; end the interpreter at once (see above)."""
    from sphinx.cmd.build import main as sphinx_main

    status = sphinx_main(argv)
    atexit._run_exitfuncs()  # logging's flush, multiprocessing's clean-up ...
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    if sys.argv[1:2] == [ONE_BUILD]:
        sphinx_build(sys.argv[2:])
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:  # the builds got the same signal and stop too
        sys.exit(130)
