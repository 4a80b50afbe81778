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
from sphinx import addnodes
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective
from sphinx.util.logging import getLogger
from sphinx_gallery import gen_rst, scrapers
from sphinx_gallery import utils as gallery_utils

from concdoc.blocks import CodeBlock, strip_directives
from concdoc.runner import RunResult, Status
from concdoc.sizes import display_width
from concdoc.sphinxext.runs import run_spec, state_of, take
from concdoc.sphinxext.semantics import _grid
from concdoc.stamps import run_time, trace_download
from concdoc.texttable import TextTable, format_table, join_groups, split_tables

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


class TraceDownloadDirective(SphinxDirective):
    """``.. concdoc-trace-download:: PATH``: a link to download the run's trace.

    Worded in the build's language by :func:`concdoc.stamps.trace_download`,
    so the sentence is not a message of every example page's catalogue.
    """

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        text = trace_download(self.config.language)
        link = addnodes.download_reference(
            "",
            "",
            reftarget=self.arguments[0],
            refdoc=self.env.docname,
            refexplicit=True,
            refwarn=True,
        )
        link += nodes.inline(text, text)
        paragraph = nodes.paragraph("", "", link, classes=["concdoc-trace-download"])
        paragraph["translatable"] = False  # worded in the language already
        return [paragraph]


class OutputTableDirective(SphinxDirective):
    """``.. concdoc-output-table::`` with a table printed by the example as its
    content (aligned text with a rule under the titles, as
    :func:`concdoc.texttable.format_table` writes): shown as a real table.

    Cells are the run's output, never translated.
    """

    has_content = True

    def run(self) -> list[nodes.Node]:
        found: list[nodes.Node] = []
        for part in split_tables("\n".join(self.content)):
            if isinstance(part, TextTable):
                header = [[(title, False)] for title in part.header]
                body: list[list[nodes.Node]] = [
                    [nodes.paragraph(text=cell) for cell in row] for row in part.rows
                ]
                table = _grid("", header, body, ["concdoc-output-table"])
                for text in table.findall(nodes.TextElement):
                    text["translatable"] = False  # the run's output
                found.append(table)
        return found


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
        captured = _captured_rst(text)
        if varies:
            note = indent(OUTPUT_VARIES_NOTE, " " * 3)
            header = ".. note::\n   :class: concdoc-output-varies\n\n"
            captured = f"{header}{note}\n\n{captured}"
    else:
        captured = ""
    return f"\n{figures_rst}\n\n{captured}\n{error_rst}\n\n"


def _captured_rst(text: str) -> str:
    """The captured output as sphinx-gallery shows it, except that the tables
    in it (benchmark results) become real tables."""
    parts = join_groups(split_tables(text))
    if not any(isinstance(part, TextTable) for part in parts):
        return gen_rst.CODE_OUTPUT.format(indent(text, " " * 4))
    pieces = []
    for part in parts:
        if isinstance(part, TextTable):
            # one line per row again (no width limit): the directive reads it
            table = format_table(part.header, part.rows, width=10**6)
            pieces.append(
                ".. concdoc-output-table::\n\n" + indent(table, " " * 3) + "\n"
            )
        elif part.strip():
            plain = indent(part.strip("\n"), " " * 4)
            pieces.append(gen_rst.CODE_OUTPUT.format(plain))
    return "\n".join(pieces)


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


def _timeline_rst(
    path: str, gallery_conf: dict[str, Any], chrome: str | None = None
) -> str:
    """reST that shows the timeline saved at ``path`` (one file per language),
    at its natural size (:func:`concdoc.sizes.display_width`; the file has
    twice the pixels), then a link to the run's trace saved at ``chrome``.

    A plain ``image`` directive, not sphinx-gallery's ``image-sg``: the
    latter copies the named file itself, so Sphinx's
    ``figure_language_filename`` never swaps in ``<root>.<language><ext>``
    and every language would show the English chart.
    """
    uri = "/" + Path(os.path.relpath(path, gallery_conf["src_dir"])).as_posix()
    rst = (
        f"\n.. image:: {uri}\n"
        "   :alt: timeline of the run\n"
        f"   :width: {display_width()}px\n"
        "   :class: sphx-glr-single-img concdoc-timeline\n\n"
    )
    if chrome is not None:
        target = "/" + Path(os.path.relpath(chrome, gallery_conf["src_dir"])).as_posix()
        rst += f".. concdoc-trace-download:: {target}\n\n"
    return rst


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
        if prepared.thumbnail is not None:
            next(iterator)  # the card's picture: sphinx-gallery's first image
        path = next(iterator)
        if path != prepared.timeline:  # pragma: no cover - a broken invariant
            raise ExtensionError(f"{result.path}: timeline drawn to the wrong file")
        outputs[code[-1][0]] += _timeline_rst(path, gallery_conf, prepared.chrome)
    _hide_directives(script_blocks, outputs)
    if result.ok:
        with open(script_vars["target_file"] + ".md5", "w") as md5_file:
            md5_file.write(
                gallery_utils.get_md5sum(script_vars["target_file"], mode="t")
            )
        script_vars["passing"] = True
    else:
        _report_failure(result, script_vars, gallery_conf)
    return outputs, result.duration


def _hide_directives(script_blocks: list[Any], outputs: list[str]) -> None:
    """Leave the ``# concdoc:`` lines out of the code the page shows.

    sphinx-gallery lays the page out from these blocks after this function
    has returned (the downloaded script is the source file, directives
    included). A block of nothing but directives becomes an empty text
    block, which shows nothing.
    """
    for index, block in enumerate(script_blocks):
        if block.type != "code":
            continue
        shown = strip_directives(block.content)
        if shown == block.content:
            continue
        if shown or outputs[index].strip():
            script_blocks[index] = block._replace(content=shown or "\n")
        else:
            script_blocks[index] = block._replace(type="text", content="")


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
