"""The extension's settings: declared, checked once, then frozen.

:func:`read_settings` turns the ``concdoc_*`` values of ``conf.py`` into a
:class:`Settings` (config-inited); the example runs read nothing else.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError

from concdoc.blocks import parse_timeout
from concdoc.languages import CODES
from concdoc.runner import DEFAULT_TIMEOUT


@dataclass(frozen=True)
class Settings:
    """concdoc's settings for one build, checked."""

    #: seconds per example, unless it sets its own (``concdoc_timeout``)
    timeout: float
    #: ``fork``, ``spawn``, ``forkserver`` or None for the platform's default
    start_method: str | None
    #: record each run and draw its timeline (``concdoc_trace``)
    trace: bool
    #: one timeline file per language (``concdoc_timeline_languages``)
    timeline_languages: tuple[str, ...]
    #: examples run at once (``concdoc_jobs``, resolved)
    jobs: int
    #: apply the house rules, :mod:`concdoc.rules` (``concdoc_strict``)
    strict: bool = True


def add_config_values(app: Sphinx) -> None:
    """Declare the ``concdoc_*`` settings of the example runs."""
    app.add_config_value("concdoc_timeout", DEFAULT_TIMEOUT, "env", types=(int, float))
    app.add_config_value("concdoc_start_method", None, "env", types=(str, type(None)))
    app.add_config_value("concdoc_trace", True, "env", types=(bool,))
    app.add_config_value("concdoc_strict", True, "env", types=(bool,))
    app.add_config_value(
        "concdoc_timeline_languages", ["en"], "env", types=(list, tuple)
    )
    # examples run at once; None: sphinx-build's -j if given, else CPUs + 1
    app.add_config_value("concdoc_jobs", None, "", types=(int, str, type(None)))
    # parse translated messages twice, as Sphinx does by itself (for comparing)
    app.add_config_value("concdoc_i18n_reparse", False, "env", types=(bool,))


def read_settings(app: Sphinx, config: Config) -> Settings:
    """Check the ``concdoc_*`` values of ``config``.

    Raises
    ------
    sphinx.errors.ExtensionError
        If a value is out of range or of the wrong kind.
    """
    try:
        timeout = parse_timeout(config.concdoc_timeout, "concdoc_timeout")
    except ValueError as exc:
        raise ExtensionError(str(exc)) from None
    method = config.concdoc_start_method
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
    languages = tuple(config.concdoc_timeline_languages)
    unknown = [lang for lang in languages if lang not in CODES]
    if not languages or (config.concdoc_trace and unknown):
        raise ExtensionError(
            "concdoc_timeline_languages: unknown or no languages "
            f"{unknown} (known: {', '.join(CODES)})"
        )
    return Settings(
        timeout=timeout,
        start_method=method,
        trace=bool(config.concdoc_trace),
        strict=bool(config.concdoc_strict),
        timeline_languages=languages,
        jobs=jobs,
    )
