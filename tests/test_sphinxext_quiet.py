"""concdoc.sphinxext.quiet: a build log without dumps, with one run summary."""

from __future__ import annotations

import logging


def test_the_build_log_drops_dumps_but_never_warnings(caplog):
    from sphinx.util import logging as sphinx_logging

    from concdoc.sphinxext import quiet

    quiet.quieten()
    myst = sphinx_logging.getLogger("myst_parser.sphinx_ext.main")
    gallery = sphinx_logging.getLogger("sphinx-gallery")
    with caplog.at_level("INFO", logger="sphinx"):
        myst.info("\x1b[01mmyst v%s:\x1b[39;49;00m %s", "5", "MdParserConfig(...)")
        gallery.info("Using Sphinx-Gallery to convert rst text blocks to markdown")
        gallery.info("generating gallery...")
        gallery.warning("Using Sphinx-Gallery to convert: a warning stays")
    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        "generating gallery...",
        "Using Sphinx-Gallery to convert: a warning stays",
    ]
    assert logging.getLogger("jieba").getEffectiveLevel() >= logging.WARNING


def test_one_run_summary_names_the_slowest_examples_without_memory():
    from concdoc.sphinxext.quiet import SLOWEST, run_summary

    assert run_summary([], 1.0, 3) == []
    times = [(f"ch/e{i}.py", float(i)) for i in range(SLOWEST + 2)]
    lines = run_summary(times, 20.0, 3)
    assert lines[0].startswith("concdoc: ran 10 examples in 20.0 s, 3 at a time")
    assert len(lines) == 1 + SLOWEST
    assert lines[1].split() == ["ch/e9.py", "9.0", "s"]
    assert not any("MB" in line for line in lines)
