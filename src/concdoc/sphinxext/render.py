"""Page rendering: an example's run turned into the reST sphinx-gallery writes.

:func:`execute_script` stands in for sphinx-gallery's function of that name:
it takes the example's run (started ahead, :mod:`concdoc.sphinxext.runs`)
and lays out each code block's output, figures and traceback with
sphinx-gallery's own writers, then the timeline. The running-time line is
one fixed sentence (:data:`TIMING_CONTENT`); the time itself is written by
the ``concdoc-run-time`` directive in the language of the build.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from textwrap import indent
from typing import Any

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective
from sphinx.util.logging import getLogger
from sphinx_gallery import gen_rst, scrapers
from sphinx_gallery import utils as gallery_utils

from concdoc.blocks import CodeBlock
from concdoc.runner import RunResult, Status
from concdoc.sphinxext.runs import run_spec, state_of, take
from concdoc.stamps import run_time

logger = getLogger(__name__)

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
    figures = (
        scrapers.figure_rst([str(p) for p in res.figures], src_dir)
        if res.figures
        else ""
    )
    error = ""
    if res.traceback:
        error = _error_rst(res.traceback, "pytb")
    elif result.failed_block is res.block and result.status is not Status.ERROR:
        error = _error_rst(result.reason, "none")
    return _code_output(res.output, figures, error, varies=result.output_varies)


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
    state = state_of(gallery_conf)
    script_vars["memory_delta"] = 0.0
    script_vars["example_globals"] = {}
    outputs = [""] * len(script_blocks)
    if not script_vars["execute_script"]:
        return outputs, 0.0
    code = [(i, b) for i, b in enumerate(script_blocks) if b.type == "code"]
    iterator = script_vars["image_path_iterator"]
    spec = run_spec(
        script_vars["src_file"],
        [CodeBlock(b.lineno, b.content) for _, b in code],
        iterator.image_path,
        state.settings,
    )
    prepared = take(state, spec)
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
            md5_file.write(
                gallery_utils.get_md5sum(script_vars["target_file"], mode="t")
            )
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
