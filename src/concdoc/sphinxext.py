"""Sphinx extension: sphinx-gallery runs every example through concdoc's runner.

This is the only module of concdoc that imports Sphinx or sphinx-gallery.
Add it to ``extensions`` after ``sphinx_gallery.gen_gallery``::

    extensions = ["sphinx_gallery.gen_gallery", "concdoc.sphinxext"]
    concdoc_timeout = 60          # seconds per example, unless it sets its own
    concdoc_start_method = None   # or "fork", "spawn", "forkserver"
    concdoc_trace = True          # record each example's run and draw its timeline
    concdoc_timeline_languages = ["en"]   # one timeline file per language
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
renders the probe results of :mod:`concdoc.semantics` (see the end of this
module). The seam is checked when the extension loads and covered by
``tests/test_sphinx_glue.py``; the supported sphinx-gallery versions are
pinned in ``pyproject.toml``.

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

import base64
import hashlib
import importlib.metadata
import inspect
import json
import os
import platform
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from fnmatch import fnmatchcase
from pathlib import Path
from textwrap import indent
from typing import Any, ClassVar

import sphinx_gallery
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective
from sphinx.util.logging import getLogger
from sphinx_gallery import gen_rst
from sphinx_gallery.scrapers import figure_rst
from sphinx_gallery.utils import get_md5sum

from concdoc import __version__
from concdoc.blocks import CodeBlock, parse_timeout, read_directives
from concdoc.runner import DEFAULT_TIMEOUT, RunResult, Status, run_example
from concdoc.stamps import all_probed, probe_stamp, run_time

__all__ = [
    "OUTPUT_VARIES_NOTE",
    "SUPPORTED_SPHINX_GALLERY",
    "SemanticsDirective",
    "execute_script",
    "semantics_reports",
    "setup",
    "timeline_path",
]

logger = getLogger(__name__)

#: sphinx-gallery versions whose ``gen_rst.execute_script`` this module replaces.
SUPPORTED_SPHINX_GALLERY = ((0, 22), (0, 23))
#: The replaced function's parameters, in order.
_SEAM_PARAMETERS = ["script_blocks", "script_vars", "gallery_conf", "file_conf"]
#: Where this extension keeps its settings inside ``sphinx_gallery_conf``.
_SETTINGS_KEY = "_concdoc"
#: Shown above the output of an example marked ``# concdoc: output-varies``.
OUTPUT_VARIES_NOTE = (
    "This output depends on how the operating system schedules threads and "
    "processes: another run may print these lines in a different order, or "
    "with different values."
)
_ANSI_ESCAPE = re.compile(r"\x1B(?:[@-Z\\-_]|\[[0-?]*[ -/]*[@-~])")
#: Replaces ``gen_rst.TIMING_CONTENT``: the sentence stays the same on every
#: page (one message to translate) and the time, a substitution filled in by
#: the ``concdoc-run-time`` directive, is worded for the build's language.
TIMING_CONTENT = """
.. rst-class:: sphx-glr-timing

   **Total running time of the script:** |concdoc_run_time|

.. |concdoc_run_time| concdoc-run-time:: {0:.0f} {1:.3f}

"""


def _version_tuple(version: str) -> tuple[int, int]:
    major, minor = (int(part) for part in re.findall(r"\d+", version)[:2])
    return major, minor


def check_seam() -> None:
    """Fail loudly if sphinx-gallery is not a version this module was written for.

    Raises
    ------
    sphinx.errors.ExtensionError
        If the version is outside :data:`SUPPORTED_SPHINX_GALLERY` or
        ``gen_rst.execute_script`` no longer has the expected parameters.
    """
    low, high = SUPPORTED_SPHINX_GALLERY
    found = _version_tuple(sphinx_gallery.__version__)
    if not low <= found < high:
        raise ExtensionError(
            f"concdoc.sphinxext supports sphinx-gallery >={low[0]}.{low[1]},"
            f"<{high[0]}.{high[1]}; found {sphinx_gallery.__version__}"
        )
    target = getattr(
        gen_rst, "_concdoc_original_execute_script", gen_rst.execute_script
    )
    if not isinstance(getattr(gen_rst, "TIMING_CONTENT", None), str):
        raise ExtensionError(
            "sphinx_gallery.gen_rst.TIMING_CONTENT is gone; concdoc.sphinxext "
            "replaces it to keep the running-time line translatable"
        )
    params = list(inspect.signature(target).parameters)
    if params != _SEAM_PARAMETERS:
        raise ExtensionError(
            "sphinx_gallery.gen_rst.execute_script changed its parameters to "
            f"{params}; concdoc.sphinxext expects {_SEAM_PARAMETERS}"
        )


def _install() -> None:
    check_seam()
    if gen_rst.execute_script is not execute_script:
        gen_rst._concdoc_original_execute_script = gen_rst.execute_script
        gen_rst.execute_script = execute_script
    gen_rst.TIMING_CONTENT = TIMING_CONTENT


class RunTimeDirective(SphinxDirective):
    """``.. |name| concdoc-run-time:: MINUTES SECONDS``: a time, in the language."""

    required_arguments = 2

    def run(self) -> list[nodes.Node]:
        minutes, seconds = (float(arg) for arg in self.arguments)
        return [nodes.Text(run_time(minutes, seconds, self.config.language))]


def _code_output(
    text: str, figures_rst: str, error_rst: str = "", varies: bool = False
) -> str:
    """reST for one block's output, laid out as sphinx-gallery lays it out.

    With ``varies``, a note that the output depends on scheduling comes first.
    """
    text = _ANSI_ESCAPE.sub("", text.expandtabs())
    if text and not text.isspace():
        captured = gen_rst.CODE_OUTPUT.format(indent(text, " " * 4))
        if varies:
            note = indent(OUTPUT_VARIES_NOTE, " " * 3)
            header = ".. note::\n   :class: concdoc-output-varies\n\n"
            captured = f"{header}{note}\n\n{captured}"
    else:
        captured = ""
    return f"\n{figures_rst}\n\n{captured}\n{error_rst}\n\n"


def _error_rst(text: str, lang: str) -> str:
    return ".. rst-class:: sphx-glr-script-out\n\n" + gen_rst.codestr2rst(
        text, lang=lang
    )


def _block_rst(result: RunResult, index: int, src_dir: str) -> str:
    res = result.blocks[index]
    figures = figure_rst([str(p) for p in res.figures], src_dir) if res.figures else ""
    error = ""
    if res.traceback:
        error = _error_rst(res.traceback, "pytb")
    elif result.failed_block is res.block and result.status is not Status.ERROR:
        error = _error_rst(result.reason, "none")
    return _code_output(res.output, figures, error, varies=result.output_varies)


def timeline_path(path: str, language: str) -> str:
    """Where the timeline in ``language`` goes: ``<root>.<language><ext>``.

    English, the source language, keeps the plain name.
    """
    if language == "en":
        return path
    root, ext = os.path.splitext(path)
    return f"{root}.{language}{ext}"


def _timeline_rst(
    result: RunResult, path: str, languages: list[str], gallery_conf: dict[str, Any]
) -> str:
    """Save the run's timeline once per language; reST that shows it.

    A plain ``image`` directive, not sphinx-gallery's ``image-sg``: the
    latter copies the named file itself, so Sphinx's
    ``figure_language_filename`` never swaps in ``<root>.<language><ext>``
    and every language would show the English chart.
    """
    from concdoc.plot import save_timeline

    for language in languages:
        try:
            save_timeline(
                result.trace, timeline_path(path, language), language=language
            )
        except (RuntimeError, ValueError) as exc:  # e.g. the Chinese font missing
            raise ExtensionError(
                f"{result.path}: cannot draw its timeline ({language}): {exc}"
            ) from None
    uri = "/" + Path(os.path.relpath(path, gallery_conf["src_dir"])).as_posix()
    return (
        f"\n.. image:: {uri}\n"
        "   :alt: timeline of the run\n"
        "   :class: sphx-glr-single-img\n\n"
    )


def _settings(gallery_conf: dict[str, Any]) -> dict[str, Any]:
    try:
        return gallery_conf[_SETTINGS_KEY]
    except KeyError:
        raise ExtensionError(
            "concdoc.sphinxext is not set up: add it to `extensions` in conf.py"
        ) from None


def execute_script(
    script_blocks: list[Any],
    script_vars: dict[str, Any],
    gallery_conf: dict[str, Any],
    file_conf: dict[str, Any],
) -> tuple[list[str], float]:
    """Stand-in for :func:`sphinx_gallery.gen_rst.execute_script`.

    Runs the example in a fresh interpreter with :func:`~concdoc.runner.run_example`
    and returns one reST string per block (empty for text blocks) and the
    run time, updating ``script_vars`` as sphinx-gallery's own function does.
    """
    settings = _settings(gallery_conf)
    script_vars["memory_delta"] = 0.0
    script_vars["example_globals"] = {}
    outputs = [""] * len(script_blocks)
    if not script_vars["execute_script"]:
        return outputs, 0.0
    src_file = script_vars["src_file"]
    code = [(i, b) for i, b in enumerate(script_blocks) if b.type == "code"]
    iterator = script_vars["image_path_iterator"]
    with open(src_file, encoding="utf-8") as source:
        wants_timeline = read_directives(source.read(), src_file).timeline
    result = run_example(
        src_file,
        default_timeout=settings["timeout"],
        start_method=settings["start_method"],
        figure_template=iterator.image_path,
        blocks=[CodeBlock(b.lineno, b.content) for _, b in code],
        trace=settings["trace"] and wants_timeline,
    )
    for position, (i, _block) in enumerate(code):
        for _figure in result.blocks[position].figures:
            next(iterator)  # keep sphinx-gallery's count (thumbnails) in step
        outputs[i] = _block_rst(result, position, gallery_conf["src_dir"])
    if code and result.ok and result.trace:
        outputs[code[-1][0]] += _timeline_rst(
            result, next(iterator), settings["timeline_languages"], gallery_conf
        )
    if result.ok:
        with open(script_vars["target_file"] + ".md5", "w") as md5_file:
            md5_file.write(get_md5sum(script_vars["target_file"], mode="t"))
        script_vars["passing"] = True
    else:
        _report_failure(result, script_vars, gallery_conf)
    return outputs, result.duration


def _report_failure(
    result: RunResult, script_vars: dict[str, Any], gallery_conf: dict[str, Any]
) -> None:
    details = result.traceback or ""
    if result.status in (Status.TIMEOUT, Status.CRASH):
        tail = result.output.splitlines()[-20:]
        details = "last output:\n" + "\n".join(tail) if tail else ""
    message = result.reason + ("\n\n" + details if details else "")
    logger.warning("%s", message, type="concdoc", subtype="example_error")
    if gallery_conf["abort_on_example_error"]:
        raise ExtensionError(result.reason)
    script_vars["formatted_exception"] = message
    script_vars["execute_script"] = False


def _configure(app: Sphinx, config: Config) -> None:
    """Check concdoc's settings and hand them to the example runs."""
    try:
        timeout = parse_timeout(config.concdoc_timeout, "concdoc_timeout")
    except ValueError as exc:
        raise ExtensionError(str(exc)) from None
    method = config.concdoc_start_method
    import multiprocessing

    if method is not None and method not in multiprocessing.get_all_start_methods():
        raise ExtensionError(
            f"concdoc_start_method: unknown start method {method!r}; this platform "
            "offers " + ", ".join(multiprocessing.get_all_start_methods())
        )
    languages = list(config.concdoc_timeline_languages)
    from concdoc.plot import LANGUAGES

    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown or not languages:
        raise ExtensionError(
            "concdoc_timeline_languages: unknown or no languages "
            f"{unknown or languages} (known: {', '.join(LANGUAGES)})"
        )
    gallery_conf = config.sphinx_gallery_conf
    gallery_conf[_SETTINGS_KEY] = {
        "timeout": timeout,
        "start_method": method,
        "trace": bool(config.concdoc_trace),
        "timeline_languages": languages,
    }


def _fix_chinese_search() -> None:
    """Make Chinese full-text search work in the browser on Sphinx 9.0.

    Sphinx 9.0 ends ``language_data.js`` of a Chinese site with ``window.Stemmer
    = ChineseStemmer``, a class that does not exist: Chinese search uses the
    English stemmer for Latin words. The page's script stops there and every
    search shows "Searching" forever (sphinx-doc/sphinx#14229, fixed upstream
    by #14416, in releases that need Python 3.12). On an affected version the
    Chinese search language gets the stemmer code with the right class name;
    elsewhere nothing changes. ``tests/test_browser.py`` searches for 超时.
    """
    from sphinx.search import _MINIFIED_JS_PATH, zh

    language = zh.SearchChinese
    if language.language_name + "Stemmer" == "EnglishStemmer" or (
        language.js_stemmer_rawcode != "english-stemmer.js"
    ):
        return
    language.js_stemmer_code = "\n".join(
        (
            (_MINIFIED_JS_PATH / "base-stemmer.js").read_text(encoding="utf-8"),
            (_MINIFIED_JS_PATH / "english-stemmer.js").read_text(encoding="utf-8"),
            "window.Stemmer = EnglishStemmer;",
        )
    )
    language.js_stemmer_rawcode = ""


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension (called by Sphinx)."""
    _fix_chinese_search()
    app.setup_extension("sphinx_gallery.gen_gallery")
    app.add_config_value("concdoc_timeout", DEFAULT_TIMEOUT, "env", types=(int, float))
    app.add_config_value("concdoc_start_method", None, "env", types=(str, type(None)))
    app.add_config_value("concdoc_trace", True, "env", types=(bool,))
    app.add_config_value(
        "concdoc_timeline_languages", ["en"], "env", types=(list, tuple)
    )
    # after sphinx-gallery has validated and filled its configuration (priority 10)
    app.connect("config-inited", _configure, priority=20)
    app.add_directive("concdoc-run-time", RunTimeDirective)
    _setup_semantics(app)
    _install()
    return {"version": __version__, "parallel_read_safe": True}


# --- the queue-semantics reference ------------------------------------------
#
# ``.. concdoc-semantics:: TABLE`` renders one table of probe results (see
# concdoc.semantics.TABLES), ``timing`` (the timeout-accuracy chart and its
# numbers) or ``missing`` (implementations this interpreter lacks). The
# probes run once per build, in a fresh interpreter
# (``python -m concdoc semantics --format json``); the JSON is kept in memory
# for the rest of the build and on disk, keyed by Python version and a hash
# of the probe code, so the next build (another language) reuses it.

_SEMANTICS_CACHE: dict[str, dict[str, Any]] = {}
_SEMANTICS_LOCK = threading.Lock()


def _semantics_key(only: list[str] | None) -> str:
    from concdoc import semantics

    digest = hashlib.sha256()
    for path in sorted(Path(semantics.__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    for package in ("gevent", "greenlet"):
        try:
            digest.update(importlib.metadata.version(package).encode())
        except importlib.metadata.PackageNotFoundError:
            pass
    digest.update(repr(sorted(only or [])).encode())
    impl = sys.implementation.name
    return f"{impl}-{platform.python_version()}-{digest.hexdigest()[:16]}"


def _semantics_cache_dir(app: Sphinx) -> Path:
    configured = app.config.concdoc_semantics_cache
    if configured:
        return Path(app.confdir, configured)
    # beside the per-language doctree folders, so every language build shares
    # it; inside the doctree folder if that sits in the output (the default)
    doctrees = Path(app.doctreedir)
    if doctrees.parent.resolve() == Path(app.outdir).resolve():
        return doctrees / "concdoc-semantics"
    return doctrees.parent / "concdoc-semantics"


def semantics_reports(app: Sphinx) -> dict[str, Any]:
    """The probe results (JSON data) for this build: memory, disk, or a fresh run.

    Raises
    ------
    sphinx.errors.ExtensionError
        If the probe run fails, times out, or prints something that is not
        a report.
    """
    from concdoc.semantics import reports_from_json

    only = app.config.concdoc_semantics_only
    key = _semantics_key(only)
    with _SEMANTICS_LOCK:
        if key in _SEMANTICS_CACHE:
            return _SEMANTICS_CACHE[key]
        path = _semantics_cache_dir(app) / f"{key}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            reports_from_json(data)
        except (OSError, ValueError):
            data = _run_semantics_probes(app, only)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(data), encoding="utf-8")
        else:
            logger.info("concdoc: queue semantics reused from %s", path)
        _SEMANTICS_CACHE[key] = data
        return data


def _run_semantics_probes(app: Sphinx, only: list[str] | None) -> dict[str, Any]:
    from concdoc.semantics import reports_from_json

    timeout = app.config.concdoc_semantics_timeout
    command = [sys.executable, "-m", "concdoc", "semantics", "--format", "json"]
    if only:
        command += ["--only", *only]
    logger.info("concdoc: probing queue semantics (%s)", " ".join(command[1:]))
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise ExtensionError(
            f"concdoc semantics: the probes did not finish within {timeout:g} s"
        ) from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ExtensionError(
            f"concdoc semantics: the probes failed (exit {done.returncode}): {last}"
        )
    try:
        data = json.loads(done.stdout)
        reports_from_json(data)
    except ValueError as exc:
        raise ExtensionError(
            f"concdoc semantics: unreadable probe output: {exc}"
        ) from None
    logger.info("concdoc: %s", done.stderr.strip().splitlines()[-1])
    for name, report in reports_from_json(data).items():
        if report.available and report.reason:
            logger.warning(
                "concdoc semantics: %s: %s",
                name,
                report.reason,
                type="concdoc",
                subtype="semantics",
            )
    return data


def _example_links(text: str) -> list[tuple[str, str]]:
    """Parse the directive's lines: ``IMPLEMENTATION:COLUMN CHAPTER/NAME``.

    Both parts before the space are :mod:`fnmatch` patterns.
    """
    links = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            pattern, example = line.split()
            chapter, name = example.split("/")
        except ValueError:
            raise ValueError(
                f"bad example link {line.strip()!r}; expected "
                "'IMPLEMENTATION:COLUMN CHAPTER/NAME' (patterns may use * and ?)"
            ) from None
        links.append((pattern, f"sphx_glr_auto_examples_{chapter}_{name}.py"))
    return links


def _names(text: str) -> list[str]:
    return text.replace(",", " ").split()


class SemanticsDirective(SphinxDirective):
    """``.. concdoc-semantics:: TABLE|timing|missing``.

    Option ``:only:`` lists the implementations to show (the rows). Each
    line of content, ``IMPLEMENTATION:COLUMN CHAPTER/NAME``, links the
    matching cells (:mod:`fnmatch` patterns; the first matching line wins) to
    the gallery example ``auto_examples/CHAPTER/NAME``.
    """

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "only": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        from concdoc.semantics import TABLES, reports_from_json, table

        what = self.arguments[0]
        choices = [t.key for t in TABLES] + ["timing", "missing"]
        if what not in choices:
            raise self.error(
                f"unknown semantics table {what!r}; choose one of {', '.join(choices)}"
            )
        try:
            links = _example_links("\n".join(self.content))
        except ValueError as exc:
            raise self.error(str(exc)) from None
        reports = reports_from_json(semantics_reports(self.env.app))
        only = _names(self.options.get("only", ""))
        unknown = [name for name in only if name not in reports]
        if unknown:
            raise self.error(f":only: names no probed implementation: {unknown[0]!r}")
        if only:
            reports = {name: reports[name] for name in only}
        if what == "missing":
            return _missing_list(reports, self.config.language)
        if what == "timing":
            return _timing_nodes(reports)
        return [_table_node(reports, table(what), links)]


def _cell_node(cell: Any, target: str | None) -> nodes.Node:
    """One table cell: the summary, hover text with the call, linked if asked."""
    paragraph = nodes.paragraph()
    hover = cell.call + (f" — {cell.note}" if cell.note else "")
    text: nodes.Node = nodes.abbreviation(
        cell.summary(), cell.summary(), explanation=hover
    )
    if target:
        ref = addnodes.pending_xref(
            "", refdomain="std", reftype="ref", reftarget=target, refexplicit=True
        )
        ref += text
        text = ref
    paragraph += text
    return paragraph


def _row(cells: list[nodes.Node]) -> nodes.row:
    row = nodes.row()
    for content in cells:
        entry = nodes.entry()
        entry += content
        row += entry
    return row


def _grid(
    title: str,
    header: list[str],
    body: list[list[nodes.Node]],
    classes: list[str],
    code_header: bool = True,
) -> nodes.table:
    node = nodes.table(classes=classes)
    node += nodes.title(title, title)
    group = nodes.tgroup(cols=len(header))
    node += group
    for _ in header:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    head += _row(
        [
            nodes.paragraph(
                "", "", nodes.literal(h, h) if code_header else nodes.Text(h)
            )
            for h in header
        ]
    )
    group += head
    tbody = nodes.tbody()
    for cells in body:
        tbody += _row(cells)
    group += tbody
    return node


def _table_node(reports: dict[str, Any], table: Any, links: list[tuple[str, str]]):
    from concdoc.semantics.model import cell_key
    from concdoc.semantics.render import rows

    header = ["", *(c.title for c in table.columns)]
    body = []
    for name in rows(reports, table):
        cells: list[nodes.Node] = [nodes.paragraph("", "", nodes.literal(name, name))]
        for column in table.columns:
            cell = reports[name].cells.get(cell_key(table.key, column.key))
            if cell is None:
                cells.append(nodes.paragraph(text="-"))
                continue
            target = next(
                (t for p, t in links if fnmatchcase(f"{name}:{column.key}", p)), None
            )
            cells.append(_cell_node(cell, target))
        body.append(cells)
    classes = ["concdoc-semantics", f"semantics-{table.key}"]
    return _grid(table.caption, header, body, classes)


def _machine_text(text: str) -> nodes.paragraph:
    """A paragraph that depends on the build machine: kept out of the catalogues."""
    return nodes.paragraph(text=text, translatable=False)


def _missing_list(reports: dict[str, Any], language: str | None) -> list[nodes.Node]:
    # Worded for the build's language in concdoc.stamps, like the run-time stamp.
    where = _machine_text(probe_stamp(language))
    missing = [(n, r.reason) for n, r in reports.items() if r.reason]
    if not missing:
        return [where, _machine_text(all_probed(language))]
    items = nodes.bullet_list()
    for name, reason in missing:
        item = nodes.list_item()
        item += nodes.paragraph(
            "",
            "",
            nodes.literal(name, name),
            nodes.Text(f": {reason}"),
            translatable=False,
        )
        items += item
    return [where, items]


def _timing_nodes(reports: dict[str, Any]) -> list[nodes.Node]:
    from concdoc.semantics.chart import draw_timing, timing_summary

    png = base64.b64encode(draw_timing(reports)).decode("ascii")
    image = nodes.image(
        uri=f"data:image/png;base64,{png}",
        alt="Blocked time minus requested timeout, per implementation",
        classes=["concdoc-semantics-timing"],
    )
    header = ["", "requested", "median", "minimum", "maximum"]
    body = []
    for name, report in reports.items():
        for requested, (low, median, high) in timing_summary(report).items():
            values = [f"{v * 1000:.1f} ms" for v in (requested, median, low, high)]
            body.append(
                [nodes.paragraph("", "", nodes.literal(name, name))]
                + [nodes.paragraph(text=v) for v in values]
            )
    title = "Measured blocked time against the requested timeout"
    classes = ["concdoc-semantics", "semantics-timing"]
    return [image, _grid(title, header, body, classes, code_header=False)]


def _setup_semantics(app: Sphinx) -> None:
    app.add_config_value("concdoc_semantics_timeout", 180, "env", types=(int, float))
    app.add_config_value(
        "concdoc_semantics_only", None, "env", types=(list, type(None))
    )
    app.add_config_value(
        "concdoc_semantics_cache", None, "env", types=(str, type(None))
    )
    app.add_directive("concdoc-semantics", SemanticsDirective)
