"""concdoc.rules: control events read into notes (plain) or violations (strict)."""

from __future__ import annotations

import pytest

from concdoc.blocks import CodeBlock
from concdoc.rules import KINDS, assess

BLOCKS = [CodeBlock(3, "a = 1\nb = 2\n"), CodeBlock(10, "c = 3\n")]

RUN = [
    {"event": "start", "block": 0},
    {"event": "thread-exception", "name": "parser", "summary": "ValueError: x"},
    {"event": "done", "block": 0, "figures": []},
    {"event": "start", "block": 1},
    {"event": "done", "block": 1, "figures": []},
    {
        "event": "last-block",
        "threads": [
            {"name": "parser", "daemon": False, "block": 0},
            {"name": "worker", "daemon": False, "block": 1},
            {"name": "pump", "daemon": True, "block": 0},
        ],
        "processes": [{"name": "Process-1", "pid": 7, "daemon": False, "block": 1}],
        "left_threads": [],
        "fds": ["file descriptor 9 (pipe:[1])"],
    },
    {"event": "shutdown", "daemon": ["pump"]},
    {"event": "interpreter-exit", "returncode": 0},
    {"event": "leftovers", "processes": ["42 sleep"], "contained": True},
]


def test_plain_mode_only_notes():
    notes, violations = assess(RUN, BLOCKS, strict=False)
    assert violations == []
    kinds = [n.kind for n in notes]
    assert kinds == [
        "thread-exception",
        "running-thread",  # worker; parser is named for its exception only
        "running-process",
        "left-behind",  # the descriptor
        "daemon-cut-off",
        "left-behind",  # the process left after exit
    ]
    text = [str(n) for n in notes]
    assert "while the code block at lines 3-4 ran" in text[0]
    assert "'worker', started in the code block at line 10" in text[1]
    assert "the interpreter waited for it at exit" in text[1]
    assert "multiprocessing joined it at exit" in text[2]
    assert "42 sleep" in text[5] and "killed" in text[5]


def test_strict_mode_turns_the_house_rules_into_violations():
    notes, violations = assess(RUN, BLOCKS, strict=True)
    assert [v.kind for v in violations] == [
        "thread-exception",
        "running-thread",
        "running-process",
        "left-behind",
        "left-behind",
    ]
    assert notes == []  # the daemon thread is judged by left_threads, not at exit
    assert all("interpreter waited" not in str(v) for v in violations)


@pytest.mark.parametrize("kind", KINDS)
def test_an_allowed_kind_is_a_note_in_strict_mode(kind):
    notes, violations = assess(RUN, BLOCKS, strict=True, allowed=frozenset({kind}))
    assert kind not in {v.kind for v in violations}
    assert {n.kind for n in notes} <= {kind}


def test_os_exit_zero_in_a_block_is_a_note():
    events = [
        {"event": "start", "block": 0},
        {"event": "interpreter-exit", "returncode": 0},
    ]
    notes, violations = assess(events, BLOCKS, strict=True)
    assert violations == [] and [n.kind for n in notes] == ["early-exit"]
    assert "lines 3-4" in str(notes[0])
