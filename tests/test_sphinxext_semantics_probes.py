"""concdoc.sphinxext.semantics_probes: the probes run once per build and kept.

The probe run itself (a fresh interpreter, seconds of timeouts) is replaced
by a counter here; test_sphinxext_semantics.py runs it for real.
"""

from __future__ import annotations

import json
import platform
import sys
from types import SimpleNamespace

import pytest

from concdoc.sphinxext import semantics_probes as probes

#: A report of the shape the probes print (one implementation, no cells).
REPORT = {
    "queue.Queue": {"available": True, "reason": "", "cells": {}, "timing": []},
}


def _app(tmp_path, only=None, cache=""):
    config = SimpleNamespace(
        concdoc_semantics_only=only,
        concdoc_semantics_cache=cache,
        concdoc_semantics_timeout=60,
    )
    return SimpleNamespace(
        config=config,
        confdir=str(tmp_path / "src"),
        srcdir=str(tmp_path / "src"),
        outdir=str(tmp_path / "src" / "_build" / "html"),
        doctreedir=str(tmp_path / "src" / "_build" / "doctrees"),
    )


@pytest.fixture
def runs(monkeypatch):
    """The probe runs asked for, as ``only`` lists; the memory cache emptied."""
    asked: list = []

    def run(app, only):
        asked.append(only)
        return REPORT

    monkeypatch.setattr(probes, "_run_semantics_probes", run)
    monkeypatch.setattr(probes, "_SEMANTICS_CACHE", {})
    return asked


def test_the_key_names_the_python_and_the_implementations_asked_for():
    key = probes._semantics_key(["queue.Queue", "asyncio.Queue"])
    assert key.startswith(f"{sys.implementation.name}-{platform.python_version()}-")
    assert key == probes._semantics_key(["asyncio.Queue", "queue.Queue"])
    assert key != probes._semantics_key(["queue.Queue"])
    assert probes._semantics_key(None) == probes._semantics_key([])


def test_the_probes_run_once_then_come_from_memory_then_from_disk(
    tmp_path, runs, monkeypatch
):
    app = _app(tmp_path, only=["queue.Queue"])
    first = probes.semantics_reports(app)
    assert first == REPORT and runs == [["queue.Queue"]]
    assert probes.semantics_reports(app) is first  # memory
    saved = probes._semantics_cache_path(app)
    assert json.loads(saved.read_text()) == REPORT
    # beside the doctree folders: every language's build shares it
    assert saved.parent == tmp_path / "src" / "_build" / "concdoc-semantics"
    monkeypatch.setattr(probes, "_SEMANTICS_CACHE", {})  # the next build
    assert probes.semantics_reports(app) == REPORT
    assert runs == [["queue.Queue"]]  # read from disk
    probes.semantics_reports(_app(tmp_path, only=["asyncio.Queue"]))
    assert runs == [["queue.Queue"], ["asyncio.Queue"]]  # another key


@pytest.mark.parametrize("content", ["", "{not json", '{"queue.Queue": {}}', "[]"])
def test_an_unreadable_saved_result_is_probed_again(tmp_path, runs, content):
    app = _app(tmp_path, cache="probes")
    saved = probes._semantics_cache_path(app)
    assert saved.parent == tmp_path / "src" / "probes"  # the configured folder
    saved.parent.mkdir(parents=True)
    saved.write_text(content)
    assert probes.semantics_reports(app) == REPORT
    assert runs == [None]
    assert json.loads(saved.read_text()) == REPORT  # replaced


def test_the_probes_start_early_only_for_a_page_that_needs_them(tmp_path, runs):
    app = _app(tmp_path)
    src = tmp_path / "src"
    (src / "_build" / "html").mkdir(parents=True)
    (src / "_build" / "html" / "copy.md").write_text("concdoc-semantics")  # output
    (src / "index.rst").write_text("No tables here.\n")
    added = []
    pool = SimpleNamespace(add=lambda name, job, own_thread: added.append(job))
    probes.start_semantics(app, pool)
    assert added == []
    (src / "guide.md").write_text("```{concdoc-semantics} put-full\n```\n")
    probes.start_semantics(app, pool)
    assert len(added) == 1 and runs == []  # queued, not run yet
    assert added[0]() == REPORT and runs == [None]
    probes.start_semantics(app, pool)  # saved by now: nothing to start
    assert len(added) == 1
