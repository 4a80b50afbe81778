"""The ``concdoc-bench-findings`` directive: a benchmark page's comparisons.

``.. concdoc-bench-findings:: PAGE`` writes the comparative sentences of one
benchmark page (see :data:`concdoc.bench.findings.PAGES`) from the results
that page's example saved in this build, worded for the build's language
and kept out of the catalogues, since the numbers change with every build.
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

from concdoc.bench.findings import PAGES, RESULTS_VARIABLE, findings, load


def results_dir(app: Sphinx) -> Path:
    """Where the benchmark examples of this build save their results."""
    dirs = app.config.sphinx_gallery_conf.get("gallery_dirs") or ["auto_examples"]
    first = dirs if isinstance(dirs, str) else dirs[0]
    return Path(app.srcdir, first, "_bench_results")


def share_results_dir(app: Sphinx, config: Config) -> None:
    """Name the folder in the environment, which the example runs inherit."""
    os.environ.setdefault(RESULTS_VARIABLE, str(results_dir(app)))


class BenchFindingsDirective(SphinxDirective):
    """``.. concdoc-bench-findings:: PAGE``: measured comparisons, in the language."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        page = self.arguments[0]
        if page not in PAGES:
            known = ", ".join(PAGES)
            raise self.error(f"unknown benchmark page {page!r}; known: {known}")
        folder = os.environ.get(RESULTS_VARIABLE) or results_dir(self.env.app)
        try:
            results = load(folder, page)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise self.error(
                f"no benchmark results for {page!r} in {folder} ({exc}); the "
                "benchmark example must run in this build (delete its generated "
                "page to force it)"
            ) from None
        items = nodes.bullet_list()
        for sentence in findings(page, results, self.config.language):
            inline, messages = self.state.inline_text(sentence, self.lineno)
            item = nodes.list_item()
            item += nodes.paragraph("", "", *inline, translatable=False)
            items += item
            items += messages
        return [items]


def setup_bench_findings(app: Sphinx) -> None:
    """Register the directive and share the results folder with the runs."""
    app.connect("config-inited", share_results_dir, priority=21)
    app.add_directive("concdoc-bench-findings", BenchFindingsDirective)
