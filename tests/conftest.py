"""Shared fixtures: write small example scripts into a temporary folder."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


@pytest.fixture
def script(tmp_path: Path) -> Callable[[str, str], Path]:
    """Return a function that writes ``source`` (dedented) to ``tmp_path/name``."""

    def write(source: str, name: str = "example.py") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return path

    return write


HUNG_TREE = '''
"""Hangs, with a child process and a grandchild that left the session"""
import multiprocessing, os, subprocess, sys, time

def forever():
    time.sleep(1000)

# %%

if __name__ == "__main__":
    child = multiprocessing.Process(target=forever)
    child.start()
    escaped = subprocess.Popen(
        [sys.executable, "-c", "import os, time; os.setsid(); time.sleep(1000)"]
    )
    with open(PIDFILE, "w") as f:
        f.write(f"{os.getpid()} {child.pid} {escaped.pid}")
    print("started", flush=True)
    child.join()
'''
#: Lines of the hanging block in HUNG_TREE, as messages name them.
HUNG_BLOCK_LINES = "lines 10-19"


@pytest.fixture
def hung_tree(tmp_path: Path) -> tuple[Path, Callable[[], list[int]]]:
    """A script that never ends, and a function returning its processes still alive.

    The script starts a multiprocessing child and a grandchild that calls
    ``setsid()`` (so it leaves the process group), writes their pids, then
    waits forever.
    """
    pidfile = tmp_path / "pids"
    path = tmp_path / "hangs.py"
    path.write_text(HUNG_TREE.replace("PIDFILE", repr(str(pidfile))), encoding="utf-8")

    def survivors() -> list[int]:
        alive = []
        for pid in map(int, pidfile.read_text().split()):
            try:
                if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                    alive.append(pid)
            except psutil.NoSuchProcess:
                continue
        return alive

    return path, survivors
