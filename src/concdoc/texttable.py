"""Aligned plain-text tables that fit a terminal width (the CLI's tables).

A table wider than the width is cut into several narrower ones, one under
the other, each repeating the first column (the row names); a cell too long
for any width is wrapped onto several lines.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

__all__ = ["WIDTH", "TextTable", "format_table", "join_groups", "split_tables"]

#: Default width, in characters, that a table must fit.
WIDTH = 100
_GAP = "  "


def _groups(widths: list[int], width: int) -> list[list[int]]:
    """Indexes of the columns after the first, in groups that fit ``width``."""
    groups: list[list[int]] = []
    current: list[int] = []
    used = widths[0]
    for index in range(1, len(widths)):
        need = len(_GAP) + widths[index]
        if current and used + need > width:
            groups.append(current)
            current, used = [], widths[0]
        current.append(index)
        used += need
    groups.append(current)
    return groups


def format_table(
    header: list[str],
    rows: list[list[str]],
    *,
    width: int = WIDTH,
    right: bool = False,
    rule: bool = True,
) -> str:
    """Return ``header`` and ``rows`` as aligned text no wider than ``width``.

    Parameters
    ----------
    header : list of str
        Column titles; the first column names the rows.
    rows : list of list of str
        Cells, as many per row as titles.
    width : int
        The widest a line may be (cells longer than that are wrapped).
    right : bool
        Align every column but the first to the right (numbers).
    rule : bool
        Draw a line of dashes under the titles.

    Returns
    -------
    str
        One table, or several one under the other (separated by a blank
        line) when the columns do not fit side by side; ends with a newline.
    """
    table = [header, *rows]
    widest_cell = max(12, (width - len(_GAP)) // 2)
    widths = [
        min(max(len(r[i]) for r in table), widest_cell) for i in range(len(header))
    ]
    widths[0] = min(widths[0], width // 3)
    parts = []
    for group in _groups(widths, width):
        columns = [0, *group]
        lines = []
        for number, row in enumerate(table):
            lines += _row(
                [row[i] for i in columns], [widths[i] for i in columns], right
            )
            if number == 0 and rule:
                lines.append(_GAP.join("-" * widths[i] for i in columns))
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def _row(cells: list[str], widths: list[int], right: bool) -> list[str]:
    """The line(s) of one row, each cell wrapped to its column's width."""
    wrapped = [
        textwrap.wrap(c, w, break_on_hyphens=False) or [""]
        for c, w in zip(cells, widths, strict=True)
    ]
    lines = []
    for depth in range(max(len(w) for w in wrapped)):
        texts = []
        for column, (pieces, w) in enumerate(zip(wrapped, widths, strict=True)):
            text = pieces[depth] if depth < len(pieces) else ""
            texts.append(text.rjust(w) if right and column else text.ljust(w))
        lines.append(_GAP.join(texts).rstrip())
    return lines


@dataclass(frozen=True)
class TextTable:
    """A table read back from text written by :func:`format_table` (with its
    rule): titles, and rows of cells (wrapped cells joined again)."""

    header: list[str]
    rows: list[list[str]]


_RULE = re.compile(r"-+(?:  -+)*")


def split_tables(text: str) -> list[str | TextTable]:
    """Cut ``text`` into plain text and the tables in it, in order.

    A table is a line of titles, a rule of dashes under them (one run per
    column, two spaces apart) and the rows under it, up to a blank line. A
    line whose first column is empty continues the row above (a wrapped
    cell). Text without tables comes back as one string.
    """
    lines = text.split("\n")
    parts: list[str | TextTable] = []
    plain: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        rule = lines[index + 1] if index + 1 < len(lines) else ""
        if line.strip() and _RULE.fullmatch(rule.rstrip()) and "  " in rule:
            spans = [m.span() for m in re.finditer(r"-+", rule)]
            end = index + 2
            while end < len(lines) and lines[end].strip():
                end += 1
            if plain:
                parts.append("\n".join(plain) + "\n")
                plain = []
            parts.append(_read_table(line, lines[index + 2 : end], spans))
            index = end
            continue
        plain.append(line)
        index += 1
    if plain and "\n".join(plain).strip():
        parts.append("\n".join(plain))
    return parts


def _cells(line: str, spans: list[tuple[int, int]]) -> list[str]:
    """The cells of one line, cut at the column starts (the last one runs on)."""
    starts = [start for start, _ in spans]
    bounds = [*starts[1:], None]
    return [line[a:b].strip() for a, b in zip(starts, bounds, strict=True)]


def _read_table(
    header: str, body: list[str], spans: list[tuple[int, int]]
) -> TextTable:
    rows: list[list[str]] = []
    for line in body:
        cells = _cells(line, spans)
        if rows and not cells[0]:
            rows[-1] = [
                " ".join(part for part in (old, new) if part)
                for old, new in zip(rows[-1], cells, strict=True)
            ]
        else:
            rows.append(cells)
    return TextTable(_cells(header, spans), rows)


def join_groups(parts: list[str | TextTable]) -> list[str | TextTable]:
    """Join again the groups :func:`format_table` cut a wide table into.

    Tables that follow each other (with nothing but blank lines between)
    and name the same rows in their first column become one table.
    """
    joined: list[str | TextTable] = []
    for part in parts:
        if isinstance(part, str) and not part.strip():
            if joined and isinstance(joined[-1], TextTable):
                continue  # the blank line between two groups
        last = joined[-1] if joined else None
        if (
            isinstance(part, TextTable)
            and isinstance(last, TextTable)
            and _names(last) == _names(part)
        ):
            joined.pop()
            rows = [a + b[1:] for a, b in zip(last.rows, part.rows, strict=True)]
            part = TextTable(last.header + part.header[1:], rows)
        joined.append(part)
    return joined


def _names(table: TextTable) -> list[str]:
    return [table.header[0], *(row[0] for row in table.rows)]
