"""Sphinx extension: sphinx-gallery runs every example through concdoc's runner.

This is the only module of concdoc that imports Sphinx or sphinx-gallery.
Add it to ``extensions`` after ``sphinx_gallery.gen_gallery``::

    extensions = ["sphinx_gallery.gen_gallery", "concdoc.sphinxext"]
    concdoc_timeout = 60          # seconds per example, unless it sets its own
    concdoc_start_method = None   # or "fork", "spawn", "forkserver"
    concdoc_trace = True          # record each example's run and draw its timeline
    concdoc_timeline_languages = ["en"]   # one timeline file per language

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
own writers. The seam is checked when the extension loads and covered by
``tests/test_sphinx_glue.py``; the supported sphinx-gallery versions are
pinned in ``pyproject.toml``.
"""

from __future__ import annotations

import inspect
import os
import re
from textwrap import indent
from typing import Any

import sphinx_gallery
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util.logging import getLogger
from sphinx_gallery import gen_rst
from sphinx_gallery.scrapers import figure_rst
from sphinx_gallery.utils import get_md5sum

from concdoc import __version__
from concdoc.blocks import CodeBlock, parse_timeout, read_directives
from concdoc.runner import DEFAULT_TIMEOUT, RunResult, Status, run_example

__all__ = ["SUPPORTED_SPHINX_GALLERY", "execute_script", "setup", "timeline_path"]

logger = getLogger(__name__)

#: sphinx-gallery versions whose ``gen_rst.execute_script`` this module replaces.
SUPPORTED_SPHINX_GALLERY = ((0, 22), (0, 23))
#: The replaced function's parameters, in order.
_SEAM_PARAMETERS = ["script_blocks", "script_vars", "gallery_conf", "file_conf"]
#: Where this extension keeps its settings inside ``sphinx_gallery_conf``.
_SETTINGS_KEY = "_concdoc"
_ANSI_ESCAPE = re.compile(r"\x1B(?:[@-Z\\-_]|\[[0-?]*[ -/]*[@-~])")


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


def _code_output(text: str, figures_rst: str, error_rst: str = "") -> str:
    """reST for one block's output, laid out as sphinx-gallery lays it out."""
    text = _ANSI_ESCAPE.sub("", text.expandtabs())
    if text and not text.isspace():
        captured = gen_rst.CODE_OUTPUT.format(indent(text, " " * 4))
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
    return _code_output(res.output, figures, error)


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
    """Save the run's timeline once per language; reST for the (English) figure."""
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
    return "\n" + figure_rst([path], gallery_conf["src_dir"]) + "\n"


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
    if result.leftovers:
        logger.warning(
            "%s: processes still running after the script ended were killed: %s",
            src_file,
            ", ".join(result.leftovers),
            type="concdoc",
            subtype="leftover",
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


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension (called by Sphinx)."""
    app.setup_extension("sphinx_gallery.gen_gallery")
    app.add_config_value("concdoc_timeout", DEFAULT_TIMEOUT, "env", types=(int, float))
    app.add_config_value("concdoc_start_method", None, "env", types=(str, type(None)))
    app.add_config_value("concdoc_trace", True, "env", types=(bool,))
    app.add_config_value(
        "concdoc_timeline_languages", ["en"], "env", types=(list, tuple)
    )
    # after sphinx-gallery has validated and filled its configuration (priority 10)
    app.connect("config-inited", _configure, priority=20)
    _install()
    return {"version": __version__, "parallel_read_safe": True}
