"""Sphinx extension: sphinx-gallery runs every example through concdoc's runner.

This package is the only part of concdoc that imports Sphinx or
sphinx-gallery. Add it to ``extensions`` after ``sphinx_gallery.gen_gallery``::

    extensions = ["sphinx_gallery.gen_gallery", "concdoc.sphinxext"]
    concdoc_timeout = 60          # seconds per example, unless it sets its own
    concdoc_start_method = None   # or "fork", "spawn", "forkserver"
    concdoc_trace = True          # record each example's run and draw its timeline
    concdoc_strict = True         # the house rules (concdoc.rules): a violation fails
    concdoc_timeline_languages = ["en"]   # one timeline file per language
    concdoc_jobs = None           # examples run at once (None: -j N, else CPUs + 1)
    # the concdoc-semantics directive (queue-semantics reference)
    concdoc_semantics_timeout = 180   # seconds for the probe run
    concdoc_semantics_only = None     # or a list of implementation names
    concdoc_semantics_cache = None    # folder (relative to conf.py) for the
                                      # probe JSON; default: beside the doctrees

With ``concdoc_trace`` on, every example whose run recorded events (see
:mod:`concdoc.trace`) ends with its timeline, appended after the last code
block's output as the example's last figure, unless the example says
``# concdoc: timeline = off``. The English chart is saved under the name
sphinx-gallery gives the figure, ``<root><ext>``; every other language ``xx``
as ``<root>.xx<ext>``, which Sphinx picks for that language's build with
``figure_language_filename = "{root}.{language}{ext}"``.

sphinx-gallery executes examples inside the sphinx-build process and offers
no setting to do otherwise, so this extension replaces exactly one function,
:func:`sphinx_gallery.gen_rst.execute_script`, with one that hands the
example's code blocks to :func:`concdoc.runner.run_example` and turns the
result back into the reST that sphinx-gallery expects, using sphinx-gallery's
own writers. It also adds the ``concdoc-semantics`` directive, which
renders the probe results of :mod:`concdoc.semantics`, and the
``concdoc-bench-findings`` directive, which words a benchmark page's
comparisons from the results its example saved in the same build
(:mod:`concdoc.bench.findings`). Every private name
of sphinx-gallery and Sphinx that the package uses is listed in its module
``seam`` and checked, all together, when the extension loads, before any is
used (``tests/test_sphinxext_seam.py``); the supported sphinx-gallery versions
are pinned in ``pyproject.toml``.

One module per job: ``seam`` (those names, and the patches), ``settings``
(the ``concdoc_*`` values), ``runs`` (the examples run ahead of
sphinx-gallery, side by side), ``cache`` (which examples need running),
``render`` (their pages), ``i18n`` (the translated build), ``quiet`` (a
short build log), ``templates`` (compiled templates kept between builds),
``thumbnails`` (gallery thumbnails titled from the pages they link to),
``semantics_probes`` with ``semantics`` (the queue-semantics reference), and
``bench_findings`` (the benchmark pages' comparisons).

A run that is not ok -- an exception, a timeout, a crash, or a thread, file
descriptor or process left behind -- fails the build through sphinx-gallery's
own failure path, naming the example. The output of an example marked
``# concdoc: output-varies`` gets :data:`OUTPUT_VARIES_NOTE` above it.

It also replaces the template of the "Total running time" line, so that the
sentence is the same on every page and the time itself is written by the
``concdoc-run-time`` directive in the language of the build: the English
and Chinese sites share one generated gallery, and the examples run once.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from concdoc import __version__
from concdoc.languages import is_chinese
from concdoc.sphinxext import (
    i18n,
    quiet,
    render,
    runs,
    seam,
    settings,
    templates,
    thumbnails,
)
from concdoc.sphinxext.bench_findings import (
    BenchFindingsDirective,
    setup_bench_findings,
)
from concdoc.sphinxext.runs import timeline_path
from concdoc.sphinxext.seam import check_seam
from concdoc.sphinxext.semantics import SemanticsDirective, setup_semantics
from concdoc.sphinxext.semantics_probes import semantics_reports

__all__ = [
    "BenchFindingsDirective",
    "OUTPUT_VARIES_NOTE",
    "SUPPORTED_SPHINX_GALLERY",
    "SemanticsDirective",
    "check_seam",
    "execute_script",
    "semantics_reports",
    "setup",
    "timeline_path",
]

#: sphinx-gallery versions whose ``gen_rst.execute_script`` this package replaces.
SUPPORTED_SPHINX_GALLERY = seam.SUPPORTED_SPHINX_GALLERY
#: Shown above the output of an example marked ``# concdoc: output-varies``.
OUTPUT_VARIES_NOTE = render.OUTPUT_VARIES_NOTE
execute_script = render.execute_script


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension (called by Sphinx)."""
    # -D overrides included: Sphinx reads the language before the extensions
    chinese = is_chinese(app.config.language)
    check_seam(chinese=chinese)  # first: every private name used below is there
    quiet.quieten()
    if chinese:
        i18n.setup_chinese()
    i18n.parse_translations_once()
    app.setup_extension("sphinx_gallery.gen_gallery")
    settings.add_config_values(app)
    # before sphinx-gallery fills its configuration (priority 10)
    app.connect("config-inited", seam.skip_build_matplotlib, priority=5)
    # after sphinx-gallery has validated and filled its configuration (priority 10)
    app.connect("config-inited", runs.begin_runs, priority=20)
    app.connect("config-inited", i18n.read_reparse, priority=20)
    # around sphinx-gallery's generate_gallery_rst (builder-inited, priority 500)
    app.connect("builder-inited", templates.keep_compiled_templates)
    app.connect("builder-inited", runs.start_runs, priority=400)
    app.connect("builder-inited", runs.gallery_generated, priority=600)
    app.connect("build-finished", runs.finish_runs)
    app.connect("build-finished", i18n.join_word_splitters)
    app.add_directive("concdoc-run-time", render.RunTimeDirective)
    app.add_directive("concdoc-trace-download", render.TraceDownloadDirective)
    app.add_directive("concdoc-output-table", render.OutputTableDirective)
    app.add_post_transform(thumbnails.GalleryThumbnails)
    setup_semantics(app)
    setup_bench_findings(app)
    seam.install()
    return {"version": __version__, "parallel_read_safe": True}
