"""The pre-run scheduler: examples run ahead of sphinx-gallery, side by side.

sphinx-gallery asks for one example at a time. Before it starts (builder-inited),
every example it is going to execute is handed to a concdoc.schedule.RunPool,
which runs them `concdoc_jobs` at a time (each in its own interpreter; the
worker threads draw the timelines in helper processes, concdoc._drawer, at
most one per CPU, lent to one thread at a time);
execute_script then takes each result in gallery order. The key of a run,
_RunSpec, holds everything the run depends on, so a prediction that does not
match what sphinx-gallery asks for is never used: the example simply runs then.

sphinx-gallery re-runs an example only when its source changed; the run key
(run_key) adds what else shapes its page: concdoc itself, the interpreter,
the settings (:mod:`concdoc.sphinxext.cache`).

Two builds sharing a gallery (English and Chinese, docs/build.py) take
turns generating it (a FileLock per gallery folder), so the second finds
every example up to date and runs none.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError, SphinxError
from sphinx.util.logging import getLogger
from sphinx_gallery import gen_rst

from concdoc._drawer import Drawer
from concdoc.blocks import CodeBlock, read_directives
from concdoc.chrome import write_chrome
from concdoc.runner import RunResult, run_example
from concdoc.schedule import FileLock, Finished, RunPool
from concdoc.sphinxext.cache import (
    gallery_dirs,
    refresh_run_key,
    remove_orphans,
    stale_examples,
)
from concdoc.sphinxext.i18n import preload_word_splitter
from concdoc.sphinxext.quiet import run_summary
from concdoc.sphinxext.semantics_probes import start_semantics
from concdoc.sphinxext.settings import Settings, read_settings

logger = getLogger(__name__)

_LOCK_FILE = ".concdoc.lock"


class RunState:
    """What one build keeps while running examples: its settings, pool, locks.

    Made when the configuration is read (:func:`begin_runs`) and kept here, in
    :data:`_STATES`, not in the Sphinx configuration: sphinx-gallery hands
    :func:`~concdoc.sphinxext.render.execute_script` only its
    ``gallery_conf``, by which :func:`state_of` finds the build's state.
    """

    def __init__(self, settings: Settings, gallery_conf: dict[str, Any]) -> None:
        self.settings = settings
        self.gallery_conf = gallery_conf
        self.pool: RunPool | None = None
        self.locks: list[FileLock] = []
        self.submitted = 0
        self.ran = 0
        #: (example, seconds) of each run, for the summary
        self.times: list[tuple[str, float]] = []
        self.started = 0.0
        #: drawing is CPU-bound: at most one drawer per CPU, shared by the
        #: worker threads (one more than the CPUs, by default)
        self.drawer_limit = min(settings.jobs, os.cpu_count() or 1)
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

    def prestart_drawer(self) -> None:
        """Start the first drawer now: it imports matplotlib while the first
        example runs, instead of after it (a second of the one-edit rebuild)."""
        with self._drawer_returned:
            if self._drawers:
                return
            drawer = Drawer()
            drawer.start()
            self._drawers.append(drawer)
            self._idle_drawers.append(drawer)

    def close_drawers(self) -> None:
        with self._drawer_returned:
            drawers, self._drawers, self._idle_drawers = self._drawers, [], []
        for drawer in drawers:
            drawer.close()


#: The state of each build running in this process (usually one).
_STATES: list[RunState] = []


def begin_runs(app: Sphinx, config: Config) -> None:
    """Read the settings and make the build's run state (config-inited)."""
    settings = read_settings(app, config)
    _STATES.append(RunState(settings, config.sphinx_gallery_conf))


def state_of(gallery_conf: dict[str, Any]) -> RunState:
    """The run state of the build whose sphinx-gallery configuration this is."""
    for state in _STATES:
        if state.gallery_conf is gallery_conf:
            return state
    raise ExtensionError(
        "concdoc.sphinxext is not set up: add it to `extensions` in conf.py"
    )


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
    """A finished run, with its timeline drawn (or why it could not be).

    ``thumbnail`` is the gallery card's picture when the example saved no
    figure of its own (then sphinx-gallery's first image, before the
    timeline); ``chrome`` the run's trace as Chrome Trace Event JSON.
    """

    result: RunResult
    timeline: str | None = None
    thumbnail: str | None = None
    chrome: str | None = None
    draw_error: str | None = None


#: What the drawer is asked for instead of a language: the card's picture.
THUMBNAIL = "thumbnail"


def chrome_path(timeline: str) -> str:
    """Where the run's Chrome trace goes: beside its timeline, ``<root>.trace.json``."""
    return os.path.splitext(timeline)[0] + ".trace.json"


def run_spec(
    src_file: str, blocks: list[CodeBlock], template: str, settings: Settings
) -> _RunSpec:
    with open(src_file, encoding="utf-8") as source:
        directives = read_directives(source.read(), src_file)
    return _RunSpec(
        src_file=src_file,
        blocks=tuple(blocks),
        figure_template=template,
        trace=settings.trace and directives.timeline,
        default_timeout=settings.timeout,
        start_method=settings.start_method,
        languages=settings.timeline_languages,
        alone=directives.run_alone,
        strict=settings.strict,
    )


def timeline_path(path: str, language: str) -> str:
    """Where the timeline in ``language`` goes: ``<root>.<language><ext>``.

    English, the source language, keeps the plain name.
    """
    if language == "en":
        return path
    root, ext = os.path.splitext(path)
    return f"{root}.{language}{ext}"


def _prepare(spec: _RunSpec, state: RunState) -> _Prepared:
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
        targets = []
        if not saved:  # the card shows a picture of the run, not the chart
            prepared.thumbnail = spec.figure_template.format(1)
            targets.append((prepared.thumbnail, THUMBNAIL))
            saved = 1
        prepared.timeline = spec.figure_template.format(saved + 1)
        targets += [
            (timeline_path(prepared.timeline, lang), lang) for lang in spec.languages
        ]
        with state.drawer() as drawer:
            error = drawer.draw(result.trace, targets)
        if error:
            prepared.draw_error = f"{result.path}: {error}"
        prepared.chrome = chrome_path(prepared.timeline)
        write_chrome(result.trace, prepared.chrome)
    return prepared


def _pool(state: RunState) -> RunPool:
    if state.pool is None:
        state.pool = RunPool(state.settings.jobs)
        state.started = time.monotonic()
    return state.pool


def _submit(state: RunState, spec: _RunSpec, first: bool = False) -> None:
    if spec.trace:
        state.prestart_drawer()
    pool = _pool(state)
    pool.add(spec, partial(_prepare, spec, state), alone=spec.alone, first=first)
    state.submitted += 1


def take(state: RunState, spec: _RunSpec) -> _Prepared:
    """The run of ``spec``: started ahead, or now; waited for if need be."""
    pool = _pool(state)
    if spec not in pool:
        _submit(state, spec, first=True)

    def progress(finished: Finished) -> None:
        if isinstance(finished.key, _RunSpec):
            state.ran += 1
            state.times.append((finished.key.label, finished.seconds))
            logger.info(
                "concdoc: ran %d/%d examples (%s, %.1f s)",
                state.ran,
                state.submitted,
                finished.key.label,
                finished.seconds,
            )

    return pool.take(spec, progress)


def start_runs(app: Sphinx) -> None:
    """Start every example sphinx-gallery is about to execute (builder-inited)."""
    gallery_conf = app.config.sphinx_gallery_conf
    state = state_of(gallery_conf)
    settings = state.settings
    start_semantics(app, _pool(state))
    specs: list[_RunSpec] = []
    for examples, gallery in gallery_dirs(app, gallery_conf):
        lock = FileLock(gallery / _LOCK_FILE)
        if not lock.acquire(blocking=False):
            preload_word_splitter(app)  # the other build has the gallery: a wait
            lock.acquire()
        state.locks.append(lock)
        orphans = remove_orphans(examples, gallery)
        if orphans:
            logger.info(
                "concdoc: removed %d generated files of examples that are gone",
                len(orphans),
            )
        refresh_run_key(gallery, settings)
        if not examples.is_dir():
            continue
        try:
            stale = stale_examples(examples, gallery, gallery_conf)
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
                specs.append(run_spec(src_file, code, template, settings))
            except ValueError:
                continue  # a bad directive: reported when sphinx-gallery gets there
    for spec in sorted(specs, key=lambda spec: spec.alone):  # run-alone ones last
        _submit(state, spec)
    if state.submitted:
        preload_word_splitter(app)  # the examples take a while
        logger.info(
            "concdoc: running %d examples, %d at a time",
            state.submitted,
            settings.jobs,
        )


def gallery_generated(app: Sphinx) -> None:
    """After sphinx-gallery (builder-inited): let another build have the gallery."""
    state = state_of(app.config.sphinx_gallery_conf)
    _release(state)
    state.close_drawers()
    wall = time.monotonic() - state.started
    for line in run_summary(state.times, wall, state.settings.jobs):
        logger.info("%s", line)


def _release(state: RunState) -> None:
    while state.locks:
        state.locks.pop().release()


def finish_runs(app: Sphinx, exception: Exception | None) -> None:
    """Release what the build holds, whatever happened (build-finished)."""
    states = [s for s in _STATES if s.gallery_conf is app.config.sphinx_gallery_conf]
    for state in states:
        _STATES.remove(state)
        _release(state)
        if state.pool is not None:
            state.pool.close()
        state.close_drawers()
