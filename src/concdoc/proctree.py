"""Find and kill every process of one isolated run.

Each run starts its interpreter in a new session (so the example's whole
process group can be signalled at once) and with a unique ``CONCDOC_RUN``
token in its environment, which every descendant inherits. Processes that
leave the group (``setsid``, daemonising) or are re-parented to init still
carry the token, so :func:`tagged_processes` finds them by it.
"""

from __future__ import annotations

import os
import signal
import time

import psutil

from concdoc import _protocol

__all__ = ["RUN_TOKEN_VARIABLE", "kill_run", "tagged_processes", "wait_gone"]

#: Environment variable that marks every process of a run.
RUN_TOKEN_VARIABLE = _protocol.RUN_TOKEN


def tagged_processes(token: str) -> list[psutil.Process]:
    """Return the live processes whose environment carries ``token``.

    Parameters
    ----------
    token : str
        The run's token (the value of ``CONCDOC_RUN``).

    Returns
    -------
    list of psutil.Process
        Zombies are left out: they have already exited.
    """
    found = []
    me = os.getpid()
    for proc in psutil.process_iter():
        if proc.pid == me:
            continue
        try:
            if proc.status() == psutil.STATUS_ZOMBIE:
                continue
            if proc.environ().get(RUN_TOKEN_VARIABLE) == token:
                found.append(proc)
        except (psutil.Error, OSError):
            continue
    return found


def kill_run(pgid: int | None, token: str, *, scan: bool = True) -> list[str]:
    """Kill the run's process group and every process tagged with ``token``.

    Parameters
    ----------
    pgid : int or None
        The run's process group (the first child's pid), or None.
    token : str
        The run's token.
    scan : bool
        Look for tagged processes outside the group too. A caller that has
        just seen that no tagged process is alive may skip the scan.

    Returns
    -------
    list of str
        ``"pid name"`` for each tagged process that was still alive and had
        to be killed (the process group itself is not listed).
    """
    if pgid is not None:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    killed: list[str] = []
    if not scan:
        return killed
    survivors = tagged_processes(token)
    for proc in survivors:
        try:
            name = proc.name()
            proc.kill()
            killed.append(f"{proc.pid} {name}")
        except psutil.Error:
            continue
    wait_gone(survivors, timeout=5.0)
    return killed


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def wait_gone(procs: list[psutil.Process], timeout: float) -> None:
    """Wait until none of ``procs`` runs (zombies count as gone), at most ``timeout``.

    ``psutil.wait_procs`` would wait the whole timeout on a killed process that
    is not our child and lingers as a zombie, hence this loop.
    """
    deadline = time.monotonic() + timeout
    while any(_alive(p) for p in procs) and time.monotonic() < deadline:
        time.sleep(0.01)
