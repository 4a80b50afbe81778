"""concdoc.sphinxext.bench_findings: the benchmark directives, in a small build.

The results are written where the benchmark examples save theirs (made up,
as in test_bench_findings.py); the page shows their sentences and tables in
the build's language, and the directive's mistakes are errors on their line.
"""

from __future__ import annotations

import html
import re

from conftest import mini_site, sphinx_build
from test_bench_findings import _results

from concdoc.bench import table_rows
from concdoc.bench.findings import RESULTS_VARIABLE, findings, save
from concdoc.sphinxext.bench_findings import BENCH_TABLES

PAGE = "message-passing"

INDEX = """\
Mini
====

.. concdoc-bench-table:: message-passing latency

.. concdoc-bench-findings:: message-passing

.. toctree::

   auto_examples/index
   mistakes
"""

MISTAKES = """\
Mistakes
========

.. concdoc-bench-findings:: nowhere

.. concdoc-bench-table:: message-passing colours

.. concdoc-bench-findings:: chunksize

.. concdoc-bench-table:: message-passing chunksize
"""


def _text(page: str) -> str:
    """The page's text, tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _inline(sentence: str) -> str:
    """A sentence's reST inline markup as the page shows it (code as text)."""
    return " ".join(sentence.replace("``", " ").split())


def test_the_directives_show_the_saved_results_in_the_language(tmp_path, monkeypatch):
    results = _results(
        {"queue.Queue": 10, "multiprocessing.Queue": 40, "Manager.Queue": 300},
        {"thread": 0.05, "fork": 2, "spawn": 40},
    )
    src = mini_site(tmp_path / "src", {})
    (src / "index.rst").write_text(INDEX)
    (src / "mistakes.rst").write_text(MISTAKES)
    saved = src / "auto_examples" / "_bench_results"
    saved.mkdir(parents=True)
    monkeypatch.setenv(RESULTS_VARIABLE, str(saved))  # as the build sets it
    save(results, PAGE)
    for language in ("en", "zh_CN"):
        out = tmp_path / language
        proc = sphinx_build(src, out, "-D", f"language={language}")
        assert proc.returncode == 0, proc.stderr
        page = (out / "index.html").read_text(encoding="utf-8")
        text = _text(page)
        for sentence in findings(PAGE, results, language):
            assert _inline(sentence) in text, sentence
        header, rows = table_rows(results, "latency", language)
        assert 'class="concdoc-bench bench-latency' in page
        assert " ".join(header) in text
        for row in rows:  # the channel is code
            assert f'<span class="pre">{row[0]}</span>' in page
    # each mistake is one error on its line; the rest of the page is built
    errors = [line for line in proc.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 4, proc.stderr
    expected = [
        ("mistakes.rst:4:", "unknown benchmark page 'nowhere'"),
        ("mistakes.rst:6:", "unknown benchmark table 'colours'; known: "),
        ("mistakes.rst:8:", "no benchmark results for 'chunksize'"),
        ("mistakes.rst:10:", f"the results of '{PAGE}' hold no chunksize table"),
    ]
    for error, (where, message) in zip(errors, expected, strict=True):
        assert where in error and message in error, error
    assert ", ".join(BENCH_TABLES) in errors[1]
    assert "<h1>Mistakes" in (out / "mistakes.html").read_text(encoding="utf-8")
