"""The extension's settings: declared, checked, handed to the example runs."""

from __future__ import annotations

import os
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError

from concdoc.blocks import parse_timeout
from concdoc.runner import DEFAULT_TIMEOUT

#: Where this extension keeps its settings inside ``sphinx_gallery_conf``.
SETTINGS_KEY = "_concdoc"


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


def settings_of(gallery_conf: dict[str, Any]) -> dict[str, Any]:
    """concdoc's settings, kept in ``sphinx_gallery_conf`` by :func:`configure`."""
    try:
        return gallery_conf[SETTINGS_KEY]
    except KeyError:
        raise ExtensionError(
            "concdoc.sphinxext is not set up: add it to `extensions` in conf.py"
        ) from None


def configure(app: Sphinx, config: Config) -> None:
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
    from concdoc.sphinxext.runs import RunState  # the live state (see runs)

    state = RunState()
    state.drawer_limit = min(jobs, state.drawer_limit)
    gallery_conf = config.sphinx_gallery_conf
    gallery_conf[SETTINGS_KEY] = {
        "timeout": timeout,
        "start_method": method,
        "trace": bool(config.concdoc_trace),
        "strict": bool(config.concdoc_strict),
        "timeline_languages": languages,
        "jobs": jobs,
        "state": state,
    }
