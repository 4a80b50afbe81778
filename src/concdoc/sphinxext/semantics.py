"""The ``concdoc-semantics`` directive: the queue-semantics reference tables.

``.. concdoc-semantics:: TABLE`` renders one table of probe results (see
concdoc.semantics.TABLES), ``timing`` (the timeout-accuracy chart and its
numbers) or ``missing`` (implementations this interpreter lacks), from the
results of :mod:`concdoc.sphinxext.semantics_probes`.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from fnmatch import fnmatchcase
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from concdoc.sphinxext.semantics_probes import semantics_reports
from concdoc.stamps import all_probed, probe_stamp


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
            return _timing_nodes(reports, self.config.language)
        return [_table_node(reports, table(what), links, self.config.language)]


def _cell_node(cell: Any, target: str | None, language: str | None) -> nodes.Node:
    """One table cell: the summary, hover text with the call, linked if asked.

    A hover text that ends with an exception's or a warning's message (program
    output) is marked ``concdoc-output-hover``.
    """
    from concdoc.semantics.words import carries_output, summary_parts, translate

    paragraph = nodes.paragraph()
    output = carries_output(cell)
    note = cell.note if cell.outcome == "raises" else translate(cell.note, language)
    hover = translate(cell.call, language) + (f" — {note}" if note else "")
    parts = summary_parts(cell, language)
    text: nodes.Node = nodes.abbreviation(
        "",
        "",
        *(nodes.literal(t, t) if code else nodes.Text(t) for t, code in parts),
        explanation=hover,
        classes=["concdoc-output-hover"] if output else [],
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
    header: list[list[tuple[str, bool]]],
    body: list[list[nodes.Node]],
    classes: list[str],
) -> nodes.table:
    """A table; each heading is pieces ``(text, is_code)``."""
    node = nodes.table(classes=classes)
    if title:
        node += nodes.title(title, title)
    group = nodes.tgroup(cols=len(header))
    node += group
    for _ in header:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    head += _row(
        [
            nodes.paragraph(
                "",
                "",
                *(nodes.literal(t, t) if code else nodes.Text(t) for t, code in h),
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


def _table_node(
    reports: dict[str, Any],
    table: Any,
    links: list[tuple[str, str]],
    language: str | None,
):
    from concdoc.semantics.model import cell_key
    from concdoc.semantics.render import rows
    from concdoc.semantics.words import heading

    header = [[], *(heading(table, c, language) for c in table.columns)]
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
            cells.append(_cell_node(cell, target, language))
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
            *_reason_nodes(reason, language),
            translatable=False,
        )
        items += item
    return [where, items]


def _reason_nodes(reason: str, language: str | None) -> list[nodes.Node]:
    """``": why"``; an exception's message after the words, as code."""
    from concdoc.semantics.words import translate

    words, sep, message = reason.partition(": ")
    if not sep:
        return [nodes.Text(f": {translate(reason, language)}")]
    return [
        nodes.Text(f": {translate(words + sep, language)}"),
        nodes.literal(message, message),
    ]


def _timing_nodes(reports: dict[str, Any], language: str | None) -> list[nodes.Node]:
    from concdoc.semantics.chart import draw_timing, timing_summary
    from concdoc.semantics.words import LABELS

    words = LABELS.get(language or "en", LABELS["en"])
    png = base64.b64encode(draw_timing(reports, language=language)).decode("ascii")
    image = nodes.image(
        uri=f"data:image/png;base64,{png}",
        alt="Blocked time minus requested timeout, per implementation",
        classes=["concdoc-semantics-timing"],
    )
    header = [[], *([(h, False)] for h in words["timing-header"])]
    body: list[list[nodes.Node]] = []
    for name, report in reports.items():
        for requested, (low, median, high) in timing_summary(report).items():
            values = [f"{v * 1000:.1f} ms" for v in (requested, median, low, high)]
            row: list[nodes.Node] = [nodes.paragraph("", "", nodes.literal(name, name))]
            row += [nodes.paragraph(text=v) for v in values]
            body.append(row)
    title = "Measured blocked time against the requested timeout"
    classes = ["concdoc-semantics", "semantics-timing"]
    return [image, _grid(title, header, body, classes)]


def setup_semantics(app: Sphinx) -> None:
    app.add_config_value("concdoc_semantics_timeout", 180, "env", types=(int, float))
    app.add_config_value(
        "concdoc_semantics_only", None, "env", types=(list, type(None))
    )
    app.add_config_value(
        "concdoc_semantics_cache", None, "env", types=(str, type(None))
    )
    app.add_directive("concdoc-semantics", SemanticsDirective)
