"""What a run did that plain Python lets pass, and the house rules it breaks.

A script run with ``python file.py`` may leave threads running after its
last line (the interpreter waits for them), start processes it never joins
(multiprocessing joins them at exit), let a worker thread die of an
exception (a traceback is printed, the exit status stays 0). concdoc runs a
script the same way and turns each of these into a *finding*, read from the
control events of the run (their names are in ``concdoc._protocol``):

* by default (plain mode) a finding is a **note**: the run's status is what
  ``python file.py`` would give;
* in **strict** mode (``concdoc run --strict``, and the docs build) a finding
  breaks the site's house rules and fails the run, unless the example allows
  that kind with a ``# concdoc: allow = KIND`` line (a pitfall shown on
  purpose). A few findings are notes in both modes (:data:`NOTE_ONLY`).

The kinds are listed in :data:`KINDS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from concdoc import _protocol as proto

if TYPE_CHECKING:
    from concdoc.blocks import CodeBlock

__all__ = ["KINDS", "NOTE_ONLY", "Finding", "assess"]

#: Kinds of finding, as named in ``# concdoc: allow = KIND``.
KINDS = (
    "thread-exception",  # a thread died of an uncaught exception
    "process-exception",  # a multiprocessing process died of one
    "greenlet-exception",  # a gevent greenlet died of one
    "running-thread",  # a thread was still running after the last block
    "running-process",  # a process was still running after the last block
    "left-behind",  # a process outlived the interpreter, or a descriptor stayed open
)
#: Findings that are notes in both modes (what the interpreter does at exit anyway).
NOTE_ONLY = ("daemon-cut-off", "early-exit")


@dataclass(frozen=True)
class Finding:
    """One thing worth saying about a run.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS` or :data:`NOTE_ONLY`.
    text : str
        The sentence, naming the object and the block.
    """

    kind: str
    text: str

    def __str__(self) -> str:
        return self.text


def _started(blocks: Sequence[CodeBlock], index: int | None) -> str:
    if index is None or not 0 <= index < len(blocks):
        return "started after the last code block"
    return f"started in {blocks[index].describe()}"


def assess(
    events: list[dict[str, Any]],
    blocks: Sequence[CodeBlock],
    *,
    strict: bool,
    allowed: frozenset[str] = frozenset(),
) -> tuple[list[Finding], list[Finding]]:
    """Read a run's control events into notes and house-rule violations.

    Parameters
    ----------
    events : list of dict
        The control events, in the order they were written.
    blocks : list of ~concdoc.blocks.CodeBlock
        The run's code blocks (to name where something happened).
    strict : bool
        Apply the house rules: findings of :data:`KINDS` not in ``allowed``
        become violations.
    allowed : frozenset of str
        Kinds the example allows itself (``# concdoc: allow = KIND``).

    Returns
    -------
    notes : list of Finding
    violations : list of Finding
    """
    findings: list[Finding] = []
    current: int | None = None
    ended = False  # the blocks ended: ran through, raised or called sys.exit
    # a thread that dies of an exception is named for that, not also as
    # still running (it may still be dying when the last block ends)
    died = {
        str(event.get("name"))
        for event in events
        if event.get(proto.EVENT) == proto.THREAD_EXCEPTION
    }
    for event in events:
        kind = event.get(proto.EVENT)
        if kind == proto.START:
            current = event["block"]
        elif kind in (proto.DONE, proto.ERROR, proto.EXIT):
            current = None
            ended = ended or kind != proto.DONE
        elif kind in _DEATHS:
            what, rule = _DEATHS[kind]
            findings.append(
                Finding(
                    rule,
                    f"{what} {event.get('name')!r} died of an uncaught exception "
                    f"({event.get('summary')}) {_during(blocks, current)}",
                )
            )
        elif kind == proto.LAST_BLOCK:
            ended = True
            findings.extend(_still_running(event, blocks, strict, died))
            findings.extend(_left_open(event, blocks))
        elif kind == proto.SHUTDOWN:
            findings.extend(_at_shutdown(event, strict))
        elif kind == proto.INTERPRETER_EXIT and not ended:
            if event.get("returncode") == 0 and current is not None:
                findings.append(
                    Finding(
                        "early-exit",
                        f"the interpreter exited with status 0 while "
                        f"{blocks[current].describe()} ran (os._exit); the code "
                        "after it did not run",
                    )
                )
        elif kind == proto.LEFTOVERS:
            findings.extend(
                Finding(
                    "left-behind",
                    f"process {entry} was still running after the interpreter "
                    "exited; it was killed",
                )
                for entry in event.get("processes", [])
            )
    notes: list[Finding] = []
    violations: list[Finding] = []
    for finding in findings:
        breaks = strict and finding.kind in KINDS and finding.kind not in allowed
        (violations if breaks else notes).append(finding)
    return notes, violations


_DEATHS = {
    proto.THREAD_EXCEPTION: ("thread", "thread-exception"),
    proto.PROCESS_EXCEPTION: ("process", "process-exception"),
    proto.GREENLET_EXCEPTION: ("greenlet", "greenlet-exception"),
}


def _during(blocks: Sequence[CodeBlock], index: int | None) -> str:
    if index is None or not 0 <= index < len(blocks):
        return "after the last code block"
    return f"while {blocks[index].describe()} ran"


def _still_running(
    event: dict[str, Any], blocks: Sequence[CodeBlock], strict: bool, died: set[str]
) -> list[Finding]:
    found = []
    for thread in event.get("threads", []):
        if thread.get("daemon"):
            continue  # said at exit if still running then (strict: _left_open)
        if thread["name"] in died:
            continue
        found.append(
            Finding(
                "running-thread",
                f"thread {thread['name']!r}, "
                + _started(blocks, thread.get("block"))
                + ", was still running after the last code block"
                + ("" if strict else "; the interpreter waited for it at exit"),
            )
        )
    for proc in event.get("processes", []):
        at_exit = (
            "multiprocessing terminated it at exit (a daemon process)"
            if proc.get("daemon")
            else "multiprocessing joined it at exit"
        )
        found.append(
            Finding(
                "running-process",
                f"process {proc['name']!r} (pid {proc.get('pid')}), "
                + _started(blocks, proc.get("block"))
                + ", was still running after the last code block"
                + ("" if strict else "; " + at_exit),
            )
        )
    return found


def _at_shutdown(event: dict[str, Any], strict: bool) -> list[Finding]:
    if strict:
        return []  # judged after the last block (_left_open)
    return [
        Finding(
            "daemon-cut-off",
            f"daemon thread {name!r} was still running when the interpreter "
            "exited; it was cut off",
        )
        for name in event.get("daemon", [])
    ]


def _left_open(event: dict[str, Any], blocks: Sequence[CodeBlock]) -> list[Finding]:
    found = [
        Finding(
            "running-thread",
            f"{thread['name']}, "
            + _started(blocks, thread.get("block"))
            + ", was still running after the last code block",
        )
        for thread in event.get("left_threads", [])
    ]
    found.extend(
        Finding("left-behind", f"{fd} was still open after the last code block")
        for fd in event.get("fds", [])
    )
    return found
