"""Scripts written elsewhere run through concdoc as they run under ``python``.

Each script of ``tests/differential/`` runs plainly (``python script.py``,
stdin from ``/dev/null``, stdout and stderr on one pipe) and through
:func:`concdoc.runner.run_example` without and with tracing (what ``concdoc
run`` and ``concdoc trace`` do), under every start method when it uses
processes. All runs must print the same characters -- compared as a
multiset, since threads and processes interleave differently from run to
run -- and agree on success or failure.
"""

from __future__ import annotations

import collections
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from concdoc.runner import Status, run_example

HERE = Path(__file__).resolve().parent / "differential"
SCRIPTS = sorted(HERE.glob("*.py"))
PLAIN_BOOT = HERE / "_plain_boot"
START_METHODS = ("fork", "spawn", "forkserver")
TIME_LIMIT = 60.0
#: What differs from run to run: object addresses in reprs (gevent names
#: greenlets by them) and the times gevent stamps its error reports with.
_VARIES = re.compile(r"0x[0-9a-f]+|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")

pytestmark = pytest.mark.slow


def _uses_processes(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    return "multiprocessing" in text or "ProcessPoolExecutor" in text


def _plain(path: Path, method: str | None) -> tuple[bool, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONCDOC_")}
    env["PYTHONPATH"] = str(PLAIN_BOOT)
    env["PYTHONUNBUFFERED"] = "1"  # as on a terminal: nothing lost on os._exit
    env["DIFFERENTIAL_START_METHOD"] = method or ""
    proc = subprocess.run(
        [sys.executable, str(path)],
        cwd=path.parent,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=TIME_LIMIT,
    )
    return proc.returncode == 0, proc.stdout.decode("utf-8", "replace")


def _through_concdoc(path: Path, method: str | None, trace: bool) -> tuple[bool, str]:
    result = run_example(path, start_method=method, trace=trace, timeout=TIME_LIMIT)
    assert result.status is not Status.TIMEOUT, result.reason
    return result.status is Status.OK, result.output + (result.traceback or "")


def _characters(text: str) -> collections.Counter[str]:
    return collections.Counter(_VARIES.sub("", text))


def test_there_are_enough_scripts():
    assert len(SCRIPTS) >= 40


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_script_runs_as_under_python(path, monkeypatch):
    # python waits for every process holding its output pipe; concdoc gives
    # them LINGER seconds after the interpreter exits (2 s), which a loaded
    # machine can exceed (a late subprocess still starting its interpreter)
    monkeypatch.setattr("concdoc.runner.LINGER", TIME_LIMIT)
    methods = START_METHODS if _uses_processes(path) else (None,)
    jobs = {}
    with ThreadPoolExecutor(max_workers=3) as pool:
        for method in methods:
            jobs[method, "python"] = pool.submit(_plain, path, method)
            jobs[method, "run"] = pool.submit(_through_concdoc, path, method, False)
            jobs[method, "trace"] = pool.submit(_through_concdoc, path, method, True)
    outcomes = {key: job.result() for key, job in jobs.items()}
    for method in methods:
        ok, printed = outcomes[method, "python"]
        for how in ("run", "trace"):
            other_ok, other = outcomes[method, how]
            label = f"{path.name}, {how}, start method {method}"
            assert other_ok == ok, f"{label}: success {other_ok}, python: {ok}"
            assert _characters(other) == _characters(printed), (
                f"{label}: printed differently\n--- python:\n{printed[-2000:]}\n"
                f"--- concdoc {how}:\n{other[-2000:]}"
            )
