"""Every example: runnable as ``python file.py`` and under every start method."""

from __future__ import annotations

import ast
import multiprocessing
import os
import subprocess
import sys

import pytest
from conftest import EXAMPLES

from concdoc.blocks import read_directives
from concdoc.plot import draw_timeline
from concdoc.runner import run_example

ALL = sorted(EXAMPLES.rglob("*.py"))
IDS = [str(p.relative_to(EXAMPLES)) for p in ALL]
METHODS = multiprocessing.get_all_start_methods()
STANDALONE_LIMIT = 60


def _imports(path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_every_chapter_has_a_readme_and_examples():
    chapters = [
        d for d in EXAMPLES.iterdir() if d.is_dir() and not d.name.startswith("_")
    ]
    assert chapters
    assert (EXAMPLES / "README.rst").is_file()
    for chapter in chapters:
        assert (chapter / "README.rst").is_file(), chapter
        assert list(chapter.glob("*.py")), chapter


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_example_needs_only_what_it_teaches(path):
    allowed = set(sys.stdlib_module_names) | {"gevent", "greenlet", "matplotlib"}
    assert _imports(path) <= allowed, "examples must not import concdoc or others"


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_example_runs_as_a_plain_script(path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONCDOC")}
    env["MPLBACKEND"] = "Agg"
    proc = subprocess.run(
        [sys.executable, path.name],
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=STANDALONE_LIMIT,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_example_runs_under_every_start_method(path, method):
    result = run_example(path, start_method=method, timeout=STANDALONE_LIMIT)
    assert result.ok, f"{result.reason}\n{result.output}"
    assert not result.leftovers, result.leftovers


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_example_traced_has_a_timeline_unless_it_opts_out(path):
    result = run_example(path, trace=True, timeout=STANDALONE_LIMIT)
    assert result.ok, f"{result.reason}\n{result.output}"
    if not read_directives(path.read_text()).timeline:
        return
    assert result.trace, "no events recorded: add '# concdoc: timeline = off'?"
    fig = draw_timeline(result.trace)
    assert fig.axes[0].get_yticklabels()
