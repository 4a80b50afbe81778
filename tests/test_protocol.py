"""The run protocol: every name the child and the boot hook spell as a literal
is one of ``concdoc._protocol``'s, and the block marker round-trips."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from concdoc import _protocol as proto
from concdoc import runner

INSIDE = Path(proto.__file__).resolve().parent / "_inside"
#: Run by path in the example's interpreter, importing nothing from concdoc.
BY_PATH = [INSIDE / "child.py", INSIDE / "boot" / "sitecustomize.py"]


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _strings(path: Path) -> set[str]:
    return {
        node.value
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def _first_arguments(path: Path, names: set[str]) -> set[str]:
    """String first arguments of calls to functions or methods in ``names``."""
    found = set()
    for node in ast.walk(_tree(path)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        called = (
            func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        )
        first = node.args[0]
        if called in names and isinstance(first, ast.Constant):
            found.add(first.value)
    return found


def _spec_keys(path: Path) -> set[str]:
    """Keys read from a variable or attribute called ``spec``."""
    keys = set()
    for node in ast.walk(_tree(path)):
        target = None
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            target, key = node.value, node.slice.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            target, key = node.func.value, node.args[0].value
        name = getattr(target, "id", None) or getattr(target, "attr", None)
        if name == "spec":
            keys.add(key)
    return keys


def test_environment_variables_are_the_protocols():
    spelled = {
        s
        for path in BY_PATH
        for s in _strings(path)
        if re.fullmatch(r"CONCDOC_[A-Z_]+", s)
    }
    assert len(spelled) >= 5, "the test no longer sees the variables"
    assert spelled <= set(proto.VARIABLES), spelled - set(proto.VARIABLES)


@pytest.mark.parametrize("path", BY_PATH, ids=lambda p: p.name)
def test_events_are_the_protocols(path):
    events = _first_arguments(path, {"event", "_report"})
    assert events, "the test no longer sees the events"
    assert events <= set(proto.EVENTS), events - set(proto.EVENTS)


def test_every_event_has_a_writer():
    written = set().union(*(_first_arguments(p, {"event", "_report"}) for p in BY_PATH))
    assert written == set(proto.EVENTS)


def test_spec_keys_are_the_protocols():
    keys = _spec_keys(INSIDE / "child.py")
    assert keys == set(proto.SPEC_KEYS), keys ^ set(proto.SPEC_KEYS)


def test_the_child_writes_markers_the_runner_reads():
    # the child appends the block number and a NUL to the prefix it is given
    assert b"%d\x00" in {
        node.value
        for node in ast.walk(_tree(INSIDE / "child.py"))
        if isinstance(node, ast.Constant) and isinstance(node.value, bytes)
    }
    prefix = proto.marker("0123abcd")
    match = proto.marker_pattern(prefix).fullmatch(prefix + b"%d\x00" % 12)
    assert match is not None and match.group(1) == b"12"


def test_the_runner_uses_the_protocol_module():
    source = Path(runner.__file__).read_text(encoding="utf-8")
    assert not re.search(r"[\"']CONCDOC_", source)
