"""The benchmark pages' measured parts: comparisons and tables, in the language.

``.. concdoc-bench-findings:: PAGE`` writes the comparative sentences of one
benchmark page (see :data:`concdoc.bench.findings.PAGES`) from the results
that page's example saved in this build, worded for the build's language
and kept out of the catalogues, since the numbers change with every build.
``.. concdoc-bench-table:: PAGE TABLE`` shows one table of those results
(:func:`concdoc.bench.table_rows`, or ``choosing`` for
:func:`concdoc.bench.choosing.decision_rows`), headed in the build's language.
The examples find the folder to save into in the environment variable
:data:`concdoc.bench.findings.RESULTS_VARIABLE`, set here before they run.
"""

from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.docutils import SphinxDirective

from concdoc.bench import BenchResults
from concdoc.bench.findings import PAGES, RESULTS_VARIABLE, findings, load


def results_dir(app: Sphinx) -> Path:
    """Where the benchmark examples of this build save their results."""
    dirs = app.config.sphinx_gallery_conf.get("gallery_dirs") or ["auto_examples"]
    first = dirs if isinstance(dirs, str) else dirs[0]
    return Path(app.srcdir, first, "_bench_results")


def share_results_dir(app: Sphinx, config: Config) -> None:
    """Name the folder in the environment, which the example runs inherit."""
    os.environ[RESULTS_VARIABLE] = str(results_dir(app))


def _results(directive: SphinxDirective, page: str) -> BenchResults:
    """The results the example of ``page`` saved in this build."""
    if page not in PAGES:
        known = ", ".join(PAGES)
        raise directive.error(f"unknown benchmark page {page!r}; known: {known}")
    folder = os.environ.get(RESULTS_VARIABLE) or results_dir(directive.env.app)
    try:
        return load(folder, page)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise directive.error(
            f"no benchmark results for {page!r} in {folder} ({exc}); the "
            "benchmark example must run in this build (delete its generated "
            "page to force it)"
        ) from None


class BenchFindingsDirective(SphinxDirective):
    """``.. concdoc-bench-findings:: PAGE``: measured comparisons, in the language."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        page = self.arguments[0]
        results = _results(self, page)
        items = nodes.bullet_list()
        for sentence in findings(page, results, self.config.language):
            inline, messages = self.state.inline_text(sentence, self.lineno)
            item = nodes.list_item()
            item += nodes.paragraph("", "", *inline, translatable=False)
            items += item
            items += messages
        return [items]


#: The tables ``concdoc-bench-table`` shows.
BENCH_TABLES = ("throughput", "latency", "start", "chunksize", "choosing")


def _cell(text: str, code: bool) -> nodes.entry:
    entry = nodes.entry()
    entry += nodes.paragraph(
        "", "", nodes.literal(text, text) if code else nodes.Text(text)
    )
    return entry


class BenchTableDirective(SphinxDirective):
    """``.. concdoc-bench-table:: PAGE TABLE``: one measured table, headed in
    the language; the first column (channels, start methods) is code."""

    required_arguments = 2

    def run(self) -> list[nodes.Node]:
        from concdoc.bench import table_rows
        from concdoc.bench.choosing import decision_rows

        page, which = self.arguments
        if which not in BENCH_TABLES:
            known = ", ".join(BENCH_TABLES)
            raise self.error(f"unknown benchmark table {which!r}; known: {known}")
        results = _results(self, page)
        language = self.config.language
        if which == "choosing":
            header, rows = decision_rows(results, language)
        else:
            header, rows = table_rows(results, which, language)
        if not rows:
            raise self.error(f"the results of {page!r} hold no {which} table")
        table = nodes.table(classes=["concdoc-bench", f"bench-{which}"])
        group = nodes.tgroup(cols=len(header))
        table += group
        group += [nodes.colspec(colwidth=1) for _ in header]
        head = nodes.thead()
        head += nodes.row("", *(_cell(h, False) for h in header))
        body = nodes.tbody()
        first_is_code = which != "choosing"
        for row in rows:
            cells = [_cell(row[0], first_is_code)]
            cells += [_cell(text, False) for text in row[1:]]
            body += nodes.row("", *cells)
        group += [head, body]
        # machine-dependent: kept out of the catalogues
        for node in table.findall(nodes.paragraph):
            node["translatable"] = False
        return [table]


def setup_bench_findings(app: Sphinx) -> None:
    """Register the directives and share the results folder with the runs."""
    app.connect("config-inited", share_results_dir, priority=21)
    app.add_directive("concdoc-bench-findings", BenchFindingsDirective)
    app.add_directive("concdoc-bench-table", BenchTableDirective)
