"""Every example: runnable as ``python file.py``; under fork, spawn and
forkserver when it starts processes; leaving nothing behind; printing the same
output twice unless it is marked ``# concdoc: output-varies``."""

from __future__ import annotations

import ast
import functools
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


def test_example_file_names_are_unique_across_chapters():
    """sphinx-gallery refuses two examples of the same file name (their
    download links would collide), even in different chapters."""
    names = [p.name for p in ALL]
    repeated = sorted({name for name in names if names.count(name) > 1})
    assert not repeated, f"example file names used twice: {repeated}"


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_example_needs_only_what_it_teaches(path):
    allowed = set(sys.stdlib_module_names) | {
        "gevent",
        "greenlet",
        "matplotlib",
        "dask",  # the distributed chapter
        "distributed",
    }
    if path.parent.name == "benchmarks":  # pages of concdoc's own measurements
        allowed.add("concdoc")
    assert _imports(path) <= allowed, "examples must not import concdoc or others"


@pytest.mark.slow
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


def _uses_processes(path) -> bool:
    return bool(_imports(path) & PROCESS_MODULES)


#: The multiprocessing start methods every process example must pass under.
START_METHODS = ("fork", "spawn", "forkserver")
PROCESS_MODULES = {"multiprocessing", "concurrent", "subprocess"}
WITH_PROCESSES = [p for p in ALL if _uses_processes(p)]
WITHOUT_PROCESSES = [p for p in ALL if not _uses_processes(p)]
#: The platform's default start method; the matrix run under it is reused.
DEFAULT_METHOD = multiprocessing.get_context().get_start_method()


@functools.cache
def _run(path, method):
    """One run per (example, start method), shared by the tests below."""
    return run_example(path, start_method=method, timeout=STANDALONE_LIMIT, strict=True)


def _ids(paths):
    return [str(p.relative_to(EXAMPLES)) for p in paths]


def test_the_matrix_covers_every_start_method_on_linux():
    if sys.platform.startswith("linux"):
        assert set(START_METHODS) <= set(METHODS)
    assert WITH_PROCESSES and WITHOUT_PROCESSES


@pytest.mark.slow
@pytest.mark.parametrize(
    "method", START_METHODS, ids=[f"start-method={m}" for m in START_METHODS]
)
@pytest.mark.parametrize("path", WITH_PROCESSES, ids=_ids(WITH_PROCESSES))
def test_process_example_under_start_method(path, method):
    """Passes in strict mode: no house rule broken (concdoc.rules)."""
    if method not in METHODS:
        pytest.skip(f"this platform has no {method!r} start method")
    result = _run(path, method)
    assert result.ok, f"{result.reason}\n{result.output}"


@pytest.mark.slow
@pytest.mark.parametrize("path", WITHOUT_PROCESSES, ids=_ids(WITHOUT_PROCESSES))
def test_example_runs_isolated(path):
    """Passes in strict mode: no house rule broken (concdoc.rules)."""
    result = _run(path, None)
    assert result.ok, f"{result.reason}\n{result.output}"


def _first_run(path):
    return _run(path, DEFAULT_METHOD) if _uses_processes(path) else _run(path, None)


@pytest.mark.slow
@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_output_is_reproducible_unless_marked(path):
    """Two runs print the same, block by block, unless the example says
    ``# concdoc: output-varies`` (its page then carries a note)."""
    if read_directives(path.read_text(), str(path)).output_varies:
        pytest.skip("marked '# concdoc: output-varies'")
    first = _first_run(path)
    method = DEFAULT_METHOD if _uses_processes(path) else None
    second = run_example(
        path, start_method=method, timeout=STANDALONE_LIMIT, strict=True
    )
    assert first.ok and second.ok, first.reason or second.reason
    assert [b.output for b in second.blocks] == [b.output for b in first.blocks], (
        f"{path.name}: output differs between two runs; make it deterministic or "
        "mark it '# concdoc: output-varies'"
    )


@pytest.mark.slow
@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_example_traced_has_a_timeline_unless_it_opts_out(path):
    method = DEFAULT_METHOD if _uses_processes(path) else None
    result = run_example(
        path, trace=True, start_method=method, timeout=STANDALONE_LIMIT, strict=True
    )
    assert result.ok, f"{result.reason}\n{result.output}"
    if not read_directives(path.read_text()).timeline:
        return
    assert result.trace, "no events recorded: add '# concdoc: timeline = off'?"
    fig = draw_timeline(result.trace)
    assert fig.axes[0].get_yticklabels()
