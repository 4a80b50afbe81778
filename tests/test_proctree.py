"""concdoc.proctree: a run's processes found by their token and killed.

tests/test_runner.py shows the same through whole runs (a hung tree, leftover
processes); here the functions are called directly on processes started for
the test.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator

import psutil
import pytest

from concdoc.proctree import RUN_TOKEN_VARIABLE, kill_run, tagged_processes, wait_gone

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


@pytest.fixture
def start() -> Iterator:
    """Start a sleeping process in a session of its own; all killed at the end."""
    started: list[subprocess.Popen[bytes]] = []

    def spawn(token: str | None = None) -> subprocess.Popen[bytes]:
        env = {k: v for k, v in os.environ.items() if k != RUN_TOKEN_VARIABLE}
        if token is not None:
            env[RUN_TOKEN_VARIABLE] = token
        proc = subprocess.Popen(SLEEPER, env=env, start_new_session=True)
        started.append(proc)
        return proc

    yield spawn
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(30)


def _pids(procs: list[psutil.Process]) -> set[int]:
    return {p.pid for p in procs}


def test_only_processes_carrying_the_token_are_found(start):
    token = uuid.uuid4().hex
    mine, other = start(token), start(uuid.uuid4().hex)
    start()  # no token at all
    assert _pids(tagged_processes(token)) == {mine.pid}
    assert other.pid not in _pids(tagged_processes(token))


def test_kill_run_kills_the_group_and_the_tagged_processes_outside_it(start):
    token = uuid.uuid4().hex
    leader = start()  # untagged: reached through its process group only
    escaped = start(token)  # a session of its own: reached through its token
    killed = kill_run(leader.pid, token)
    assert [entry.split()[0] for entry in killed] == [str(escaped.pid)]
    assert leader.wait(30) == -signal.SIGKILL
    assert escaped.wait(30) == -signal.SIGKILL
    assert tagged_processes(token) == []


def test_without_the_scan_only_the_group_is_killed(start):
    token = uuid.uuid4().hex
    leader, escaped = start(), start(token)
    assert kill_run(leader.pid, token, scan=False) == []
    assert leader.wait(30) == -signal.SIGKILL
    assert escaped.poll() is None


def test_kill_run_without_a_group_or_survivors_does_nothing():
    assert kill_run(None, uuid.uuid4().hex) == []


def test_wait_gone_is_bounded_and_sees_a_process_go(start):
    proc = start()
    watched = [psutil.Process(proc.pid)]
    wait_gone(watched, timeout=0.05)  # still running: gives up after the bound
    assert watched[0].is_running()
    proc.kill()
    proc.wait(30)
    wait_gone(watched, timeout=30)
    assert not watched[0].is_running()
