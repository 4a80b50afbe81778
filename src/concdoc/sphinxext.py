"""Sphinx extension: sphinx-gallery runs every example through concdoc's runner.

This is the only module of concdoc that imports Sphinx or sphinx-gallery.
Add it to ``extensions`` after ``sphinx_gallery.gen_gallery``::

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
import importlib.util
import inspect
import json
import os
import platform
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import partial
from pathlib import Path
from textwrap import indent
from typing import Any, ClassVar

import sphinx_gallery
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError, SphinxError
from sphinx.util.docutils import SphinxDirective
from sphinx.util.logging import getLogger
from sphinx_gallery import gen_gallery, gen_rst
from sphinx_gallery.gen_gallery import get_subsections
from sphinx_gallery.scrapers import figure_rst
from sphinx_gallery.utils import _collect_gallery_files, get_md5sum

from concdoc import __version__
from concdoc._drawer import Drawer
from concdoc.blocks import CodeBlock, parse_timeout, read_directives
from concdoc.runner import DEFAULT_TIMEOUT, RunResult, Status, run_example
from concdoc.schedule import FileLock, Finished, RunPool
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


def _timeline_rst(path: str, gallery_conf: dict[str, Any]) -> str:
    """reST that shows the timeline saved at ``path`` (one file per language).

    A plain ``image`` directive, not sphinx-gallery's ``image-sg``: the
    latter copies the named file itself, so Sphinx's
    ``figure_language_filename`` never swaps in ``<root>.<language><ext>``
    and every language would show the English chart.
    """
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
    # The run usually started earlier, beside others (_start_runs); this
    # takes its result, waiting for it if need be.
    settings = _settings(gallery_conf)
    script_vars["memory_delta"] = 0.0
    script_vars["example_globals"] = {}
    outputs = [""] * len(script_blocks)
    if not script_vars["execute_script"]:
        return outputs, 0.0
    code = [(i, b) for i, b in enumerate(script_blocks) if b.type == "code"]
    iterator = script_vars["image_path_iterator"]
    spec = _run_spec(
        script_vars["src_file"],
        [CodeBlock(b.lineno, b.content) for _, b in code],
        iterator.image_path,
        settings,
    )
    prepared = _take(settings, spec)
    result = prepared.result
    for position, (i, _block) in enumerate(code):
        for _figure in result.blocks[position].figures:
            next(iterator)  # keep sphinx-gallery's count (thumbnails) in step
        outputs[i] = _block_rst(result, position, gallery_conf["src_dir"])
    if prepared.timeline is not None:
        if prepared.draw_error:
            raise ExtensionError(prepared.draw_error)
        path = next(iterator)
        if path != prepared.timeline:  # pragma: no cover - a broken invariant
            raise ExtensionError(f"{result.path}: timeline drawn to the wrong file")
        outputs[code[-1][0]] += _timeline_rst(path, gallery_conf)
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
    jobs = config.concdoc_jobs
    if jobs is None:
        # one more than the CPUs: most examples spend most of their run waiting
        # (timeouts, joins, sleeps), and a third run fills those gaps; on the
        # two-core build of this site the examples ran 4-5 s sooner (of ~20)
        jobs = app.parallel if app.parallel > 1 else (os.cpu_count() or 1) + 1
    elif isinstance(jobs, str) and jobs.isdigit():  # -D concdoc_jobs=3
        jobs = int(jobs)
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ExtensionError(f"concdoc_jobs must be a positive integer, got {jobs!r}")
    languages = list(config.concdoc_timeline_languages)
    if not languages:
        raise ExtensionError("concdoc_timeline_languages: no languages")
    state = _RunState()
    state.drawer_limit = min(jobs, state.drawer_limit)
    gallery_conf = config.sphinx_gallery_conf
    gallery_conf[_SETTINGS_KEY] = {
        "timeout": timeout,
        "start_method": method,
        "trace": bool(config.concdoc_trace),
        "strict": bool(config.concdoc_strict),
        "timeline_languages": languages,
        "jobs": jobs,
        "state": state,
    }


# --- running the examples ahead of sphinx-gallery ------------------------------
#
# sphinx-gallery asks for one example at a time. Before it starts (builder-inited),
# every example it is going to execute is handed to a concdoc.schedule.RunPool,
# which runs them `concdoc_jobs` at a time (each in its own interpreter; the
# worker threads draw the timelines in helper processes, concdoc._drawer, at
# most one per CPU, lent to one thread at a time);
# execute_script then takes each result in gallery order. The key of a run,
# _RunSpec, holds everything the run depends on, so a prediction that does not
# match what sphinx-gallery asks for is never used: the example simply runs then.
#
# sphinx-gallery re-runs an example only when its source changed; the run key
# (_run_key) adds what else shapes its page: concdoc itself, the interpreter,
# the settings. When it changes, the examples' .md5 files are removed.
#
# Two builds sharing a gallery (English and Chinese, docs/build.py) take
# turns generating it (a FileLock per gallery folder), so the second finds
# every example up to date and runs none.

_RUN_KEY_FILE = "concdoc-run-key.json"
_LOCK_FILE = ".concdoc.lock"


class _RunState:
    """What one build keeps while running examples: the pool, locks, counts.

    It lives in ``sphinx_gallery_conf``, which Sphinx pickles and hashes with
    the configuration: it pickles as a fresh state and always reads the same.
    """

    def __init__(self) -> None:
        self.pool: RunPool | None = None
        self.locks: list[FileLock] = []
        self.submitted = 0
        self.ran = 0
        self.started = 0.0
        self.languages_checked = False
        #: drawing is CPU-bound: at most one drawer per CPU, shared by the
        #: worker threads (one more than the CPUs, by default)
        self.drawer_limit = os.cpu_count() or 1
        self._drawers: list[Drawer] = []
        self._idle_drawers: list[Drawer] = []
        self._drawer_returned = threading.Condition()

    @contextmanager
    def drawer(self) -> Iterator[Drawer]:
        """Lend the calling thread a timeline drawer (a helper process)."""
        with self._drawer_returned:
            while not self._idle_drawers and len(self._drawers) >= self.drawer_limit:
                self._drawer_returned.wait()
            if self._idle_drawers:
                drawer = self._idle_drawers.pop()
            else:
                drawer = Drawer()
                self._drawers.append(drawer)
        try:
            yield drawer
        finally:
            with self._drawer_returned:
                self._idle_drawers.append(drawer)
                self._drawer_returned.notify()

    def close_drawers(self) -> None:
        with self._drawer_returned:
            drawers, self._drawers, self._idle_drawers = self._drawers, [], []
        for drawer in drawers:
            drawer.close()

    def __reduce__(self) -> tuple[type, tuple[()]]:
        return (_RunState, ())

    def __repr__(self) -> str:
        return "<concdoc run state>"


@dataclass(frozen=True)
class _RunSpec:
    """One run of an example: everything its result depends on."""

    src_file: str
    blocks: tuple[CodeBlock, ...]
    figure_template: str
    trace: bool
    default_timeout: float
    start_method: str | None
    languages: tuple[str, ...]
    alone: bool
    strict: bool = True

    @property
    def label(self) -> str:
        path = Path(self.src_file)
        return f"{path.parent.name}/{path.name}"


@dataclass
class _Prepared:
    """A finished run, with its timeline drawn (or why it could not be)."""

    result: RunResult
    timeline: str | None = None
    draw_error: str | None = None


def _run_spec(
    src_file: str, blocks: list[CodeBlock], template: str, settings: dict[str, Any]
) -> _RunSpec:
    with open(src_file, encoding="utf-8") as source:
        directives = read_directives(source.read(), src_file)
    return _RunSpec(
        src_file=src_file,
        blocks=tuple(blocks),
        figure_template=template,
        trace=settings["trace"] and directives.timeline,
        default_timeout=settings["timeout"],
        start_method=settings["start_method"],
        languages=tuple(settings["timeline_languages"]),
        alone=directives.run_alone,
        strict=settings["strict"],
    )


def _prepare(spec: _RunSpec, state: _RunState) -> _Prepared:
    """Run the example (on a worker thread) and draw its timeline."""
    result = run_example(
        spec.src_file,
        default_timeout=spec.default_timeout,
        start_method=spec.start_method,
        figure_template=spec.figure_template,
        blocks=list(spec.blocks),
        trace=spec.trace,
        strict=spec.strict,
    )
    prepared = _Prepared(result)
    if spec.blocks and result.ok and result.trace:
        saved = sum(len(block.figures) for block in result.blocks)
        prepared.timeline = spec.figure_template.format(saved + 1)
        targets = [
            (timeline_path(prepared.timeline, lang), lang) for lang in spec.languages
        ]
        with state.drawer() as drawer:
            error = drawer.draw(result.trace, targets)
        if error:
            prepared.draw_error = f"{result.path}: {error}"
    return prepared


def _check_languages(languages: tuple[str, ...]) -> None:
    from concdoc.plot import LANGUAGES

    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown:
        raise ExtensionError(
            "concdoc_timeline_languages: unknown or no languages "
            f"{unknown} (known: {', '.join(LANGUAGES)})"
        )


def _pool(settings: dict[str, Any]) -> RunPool:
    state = settings["state"]
    if state.pool is None:
        state.pool = RunPool(settings["jobs"])
        state.started = time.monotonic()
    return state.pool


def _submit(settings: dict[str, Any], spec: _RunSpec, first: bool = False) -> None:
    state = settings["state"]
    if spec.trace and not state.languages_checked:
        _check_languages(spec.languages)  # imports matplotlib: only when drawing
        state.languages_checked = True
    pool = _pool(settings)
    pool.add(spec, partial(_prepare, spec, state), alone=spec.alone, first=first)
    state.submitted += 1


def _take(settings: dict[str, Any], spec: _RunSpec) -> _Prepared:
    state = settings["state"]
    pool = _pool(settings)
    if spec not in pool:
        _submit(settings, spec, first=True)

    def progress(finished: Finished) -> None:
        if isinstance(finished.key, _RunSpec):
            state.ran += 1
            logger.info(
                "concdoc: ran %d/%d examples (%s, %.1f s)",
                state.ran,
                state.submitted,
                finished.key.label,
                finished.seconds,
            )

    return pool.take(spec, progress)


def _run_key(settings: dict[str, Any]) -> dict[str, str]:
    """What, besides its source, shapes an example's page."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted([*package.glob("*.py"), *package.glob("_inside/**/*.py")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    packages = []
    for name in ("sphinx-gallery", "matplotlib", "gevent", "greenlet"):
        try:
            packages.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            packages.append(f"{name} -")
    return {
        "concdoc": f"{__version__} {digest.hexdigest()[:16]}",
        "python": f"{sys.implementation.name} {platform.python_version()}",
        "packages": ", ".join(packages),
        "start method": repr(settings["start_method"]),
        "timeout": repr(settings["timeout"]),
        "trace": repr(settings["trace"]),
        "strict": repr(settings["strict"]),
        "timeline languages": ", ".join(settings["timeline_languages"]),
    }


def _gallery_dirs(app: Sphinx, gallery_conf: dict[str, Any]) -> list[tuple[Path, Path]]:
    examples, galleries = gallery_conf["examples_dirs"], gallery_conf["gallery_dirs"]
    if not isinstance(examples, list):
        examples = [examples]
    if not isinstance(galleries, list):
        galleries = [galleries]
    src = Path(app.srcdir)
    return [(src / ex, src / gal) for ex, gal in zip(examples, galleries, strict=False)]


def _refresh_run_key(gallery: Path, settings: dict[str, Any]) -> None:
    """Forget the gallery's past runs (their .md5 files) if the run key changed."""
    key = _run_key(settings)
    path = gallery / _RUN_KEY_FILE
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = None
    if old == key:
        return
    md5s = list(gallery.rglob("*.md5")) if gallery.is_dir() else []
    if md5s and isinstance(old, dict):
        changed = ", ".join(k for k in key if old.get(k) != key[k])
        logger.info("concdoc: examples run again (%s changed)", changed)
    for md5 in md5s:
        md5.unlink()
    gallery.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(key, indent=1), encoding="utf-8")


def _stale_examples(
    examples: Path, gallery: Path, gallery_conf: dict[str, Any]
) -> list[tuple[str, Path]]:
    """The examples of one gallery sphinx-gallery will execute, in its order.

    Pairs of (source file, target folder), found with sphinx-gallery's own
    helpers: its folders, file patterns and md5 check.
    """
    header = gen_rst._get_gallery_header(examples, gallery_conf, raise_error=False)
    subsections = get_subsections(
        gallery_conf["src_dir"], examples, gallery_conf, check_for_header=bool(header)
    )
    folders = [(examples, gallery)] + [(examples / s, gallery / s) for s in subsections]
    stale = []
    for src_dir, target_dir in folders:
        for name in _collect_gallery_files([src_dir], gallery_conf):
            src_file = os.path.normpath(src_dir / name)
            if not gen_rst.executable_script(src_file, gallery_conf):
                continue
            md5 = Path(f"{target_dir / name}.md5")
            current = md5.is_file() and md5.read_text() == get_md5sum(src_file, "t")
            if current and not gallery_conf["run_stale_examples"]:
                continue
            stale.append((src_file, target_dir))
    return stale


def _start_runs(app: Sphinx) -> None:
    """Start every example sphinx-gallery is about to execute (builder-inited)."""
    gallery_conf = app.config.sphinx_gallery_conf
    settings = _settings(gallery_conf)
    state = settings["state"]
    _start_semantics(app, _pool(settings))
    specs: list[_RunSpec] = []
    for examples, gallery in _gallery_dirs(app, gallery_conf):
        lock = FileLock(gallery / _LOCK_FILE)
        lock.acquire()
        state.locks.append(lock)
        _refresh_run_key(gallery, settings)
        if not examples.is_dir():
            continue
        try:
            stale = _stale_examples(examples, gallery, gallery_conf)
        except (OSError, ValueError, SphinxError) as exc:
            # sphinx-gallery reports its own errors; the examples run one by one
            logger.debug("concdoc: cannot list the examples ahead: %s", exc)
            continue
        for src_file, target_dir in stale:
            parser, _ = gen_rst._get_parser(src_file, gallery_conf)
            _, blocks = parser.split_code_and_text_blocks(src_file)
            code = [CodeBlock(b.lineno, b.content) for b in blocks if b.type == "code"]
            stem = Path(src_file).stem
            images = target_dir / "images"
            images.mkdir(parents=True, exist_ok=True)
            template = str(images / f"sphx_glr_{stem}_{{0:03}}.png")
            try:
                specs.append(_run_spec(src_file, code, template, settings))
            except ValueError:
                continue  # a bad directive: reported when sphinx-gallery gets there
    for spec in sorted(specs, key=lambda spec: spec.alone):  # run-alone ones last
        _submit(settings, spec)
    if state.submitted:
        logger.info(
            "concdoc: running %d examples, %d at a time",
            state.submitted,
            settings["jobs"],
        )


def _gallery_generated(app: Sphinx) -> None:
    """After sphinx-gallery (builder-inited): let another build have the gallery."""
    state = _settings(app.config.sphinx_gallery_conf)["state"]
    _release(state)
    state.close_drawers()
    if state.ran:
        logger.info(
            "concdoc: ran %d examples in %.1f s",
            state.ran,
            time.monotonic() - state.started,
        )


def _release(state: _RunState) -> None:
    while state.locks:
        state.locks.pop().release()


def _finish_runs(app: Sphinx, exception: Exception | None) -> None:
    state = app.config.sphinx_gallery_conf.get(_SETTINGS_KEY, {}).get("state")
    if state is not None:
        _release(state)
        if state.pool is not None:
            state.pool.close()
        state.close_drawers()


def _skip_build_matplotlib(app: Sphinx, config: Config) -> None:
    """Spare the build process sphinx-gallery's ``import matplotlib.pyplot``.

    sphinx-gallery imports pyplot (a second or more) to scrape figures inside
    the build process; concdoc runs each example in its own interpreter and
    saves figures there, so with no image scrapers configured the import is
    skipped. Other builds keep sphinx-gallery's own function.
    """
    scrapers = config.sphinx_gallery_conf.get("image_scrapers", ("matplotlib",))
    original = getattr(gen_gallery, "_concdoc_original_import_matplotlib", None)
    if original is None:
        original = gen_gallery._import_matplotlib
        gen_gallery._concdoc_original_import_matplotlib = original
    gen_gallery._import_matplotlib = _no_matplotlib if not scrapers else original


def _no_matplotlib() -> tuple[Any, Any]:
    raise ImportError("concdoc: the build process does not draw with pyplot")


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


# --- the translated build: two costs taken off its critical path -----------
#
# Measured on the two-language build of this site (2 cores): the zh_CN build
# ends last, and these are its two costs that English does not have.

#: Set ``CONCDOC_I18N_REPARSE=1`` to parse every translated message as Sphinx
#: itself does (twice); ``tests/test_i18n.py`` builds both ways and compares.
_REPARSE_ENV = "CONCDOC_I18N_REPARSE"


def _parse_translations_once() -> None:
    """Parse each translated message of a document once, not twice.

    Sphinx's ``Locale`` transform parses every translated message in a first
    pass (to map translated section titles) and, for almost every message,
    again in a second pass, each time with a new parser. The wrapper keeps a
    deep copy of each parse of the current document, keyed by message, file
    and line, and hands out a fresh deep copy for the second request; the
    translated doctree is the same (checked page by page against a build
    with ``CONCDOC_I18N_REPARSE=1``). On the zh_CN build of this site the
    parsing took 1.75-1.8 s instead of 2.2-2.4 s.
    Nothing changes if Sphinx's private function is missing or has another
    signature.
    """
    from sphinx.transforms import i18n

    original = getattr(i18n, "_publish_msgstr", None)
    if original is None or getattr(original, "concdoc_parse_once", False):
        return
    parameters = list(inspect.signature(original).parameters)
    if parameters[:3] != ["source", "source_path", "source_line"]:
        return
    kept: dict[tuple[str, str, int], nodes.Element] = {}

    def publish_msgstr(
        source: str, source_path: str, source_line: int, **kwargs: Any
    ) -> nodes.Element:
        if os.environ.get(_REPARSE_ENV) == "1":
            return original(source, source_path, source_line, **kwargs)
        key = (source, source_path, source_line)
        if key in kept:
            return kept[key].deepcopy()
        if kept and next(iter(kept))[1] != source_path:
            kept.clear()  # a new document: the last one's parses are done with
        patch = original(source, source_path, source_line, **kwargs)
        if isinstance(patch, nodes.Element) and not isinstance(patch, nodes.document):
            kept[key] = patch.deepcopy()
        return patch

    publish_msgstr.concdoc_parse_once = True  # type: ignore[attr-defined]
    i18n._publish_msgstr = publish_msgstr


_WORD_SPLITTERS: list[threading.Thread] = []


def _preload_word_splitter(app: Sphinx) -> None:
    """Load jieba's dictionary while the Chinese build waits (builder-inited).

    A Chinese search index splits text into words with jieba, which loads a
    dictionary of about 350,000 words the first time it is used: a second
    at the start of the writing phase, at the end of the build. Loaded in a
    thread now, it overlaps the examples' runs (or the wait for the other
    build's runs); jieba's own lock makes a later use wait for it.
    """
    language = app.config.html_search_language or app.config.language or ""
    if app.builder.format != "html" or not language.startswith("zh"):
        return
    try:
        import jieba
    except ImportError:
        return  # conf.py says what is missing
    thread = threading.Thread(
        target=jieba.initialize, name="concdoc-jieba", daemon=True
    )
    thread.start()
    _WORD_SPLITTERS.append(thread)


def _join_word_splitters(app: Sphinx, exception: Exception | None) -> None:
    while _WORD_SPLITTERS:
        _WORD_SPLITTERS.pop().join()


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension (called by Sphinx)."""
    _fix_chinese_search()
    _parse_translations_once()
    app.setup_extension("sphinx_gallery.gen_gallery")
    app.add_config_value("concdoc_timeout", DEFAULT_TIMEOUT, "env", types=(int, float))
    app.add_config_value("concdoc_start_method", None, "env", types=(str, type(None)))
    app.add_config_value("concdoc_trace", True, "env", types=(bool,))
    app.add_config_value("concdoc_strict", True, "env", types=(bool,))
    app.add_config_value(
        "concdoc_timeline_languages", ["en"], "env", types=(list, tuple)
    )
    # examples run at once; None: sphinx-build's -j if given, else CPUs + 1
    app.add_config_value("concdoc_jobs", None, "", types=(int, str, type(None)))
    # before sphinx-gallery fills its configuration (priority 10)
    app.connect("config-inited", _skip_build_matplotlib, priority=5)
    # after sphinx-gallery has validated and filled its configuration (priority 10)
    app.connect("config-inited", _configure, priority=20)
    # around sphinx-gallery's generate_gallery_rst (builder-inited, priority 500)
    app.connect("builder-inited", _preload_word_splitter, priority=300)
    app.connect("builder-inited", _start_runs, priority=400)
    app.connect("builder-inited", _gallery_generated, priority=600)
    app.connect("build-finished", _finish_runs)
    app.connect("build-finished", _join_word_splitters)
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
    # found, not imported: a build that reuses the cache never imports the probes
    spec = importlib.util.find_spec("concdoc.semantics")
    assert spec is not None and spec.origin is not None
    digest = hashlib.sha256()
    for path in sorted(Path(spec.origin).parent.glob("*.py")):
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
    only = app.config.concdoc_semantics_only
    key = _semantics_key(only)
    with _SEMANTICS_LOCK:
        if key in _SEMANTICS_CACHE:
            return _SEMANTICS_CACHE[key]
        path = _semantics_cache_path(app)
        data = _cached_semantics(path)
        if data is None:
            # another build (the other language) may be probing: wait for it
            with FileLock(path.with_suffix(".lock")):
                data = _cached_semantics(path)
                if data is None:
                    data = _run_semantics_probes(app, only)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(json.dumps(data), encoding="utf-8")
        _SEMANTICS_CACHE[key] = data
        return data


def _semantics_cache_path(app: Sphinx) -> Path:
    key = _semantics_key(app.config.concdoc_semantics_only)
    return _semantics_cache_dir(app) / f"{key}.json"


def _cached_semantics(path: Path) -> dict[str, Any] | None:
    from concdoc.semantics import reports_from_json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        reports_from_json(data)
    except (OSError, ValueError):
        return None
    logger.info("concdoc: queue semantics reused from %s", path)
    return data


def _start_semantics(app: Sphinx, pool: RunPool) -> None:
    """Start the probes now if a page will want them and none are cached.

    They take seconds, mostly waiting out timeouts: run beside the examples,
    they are ready by the time the page is read.
    """
    if _semantics_cache_path(app).is_file():
        return
    skip = {Path(app.outdir), Path(app.doctreedir)}
    for path in Path(app.srcdir).rglob("*"):
        if path.suffix not in (".md", ".rst") or skip & set(path.parents):
            continue
        if "concdoc-semantics" in path.read_text(encoding="utf-8", errors="ignore"):
            pool.add("semantics", partial(semantics_reports, app), own_thread=True)
            return


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
