"""Plain-text tables of probe reports, for the command line."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from concdoc.semantics.model import TABLES, Report, Table, cell_key
from concdoc.texttable import WIDTH, format_table

# rows() also serves concdoc.sphinxext; the API page documents format_tables
__all__ = ["format_tables"]


def rows(reports: dict[str, Report], table: Table) -> list[str]:
    """Names of the available implementations that have cells in ``table``."""
    keys = [cell_key(table.key, c.key) for c in table.columns]
    return [
        name
        for name, report in reports.items()
        if report.available and any(k in report.cells for k in keys)
    ]


def _format_table(reports: dict[str, Report], table: Table) -> list[str]:
    names = rows(reports, table)
    if not names:
        return []
    header = ["", *(c.title for c in table.columns)]
    body = [
        [name]
        + [
            cell.summary()
            if (cell := reports[name].cells.get(cell_key(table.key, c.key)))
            else "-"
            for c in table.columns
        ]
        for name in names
    ]
    lines = [table.caption, "", format_table(header, body, rule=False).rstrip("\n")]
    return [*lines, ""]


def format_tables(reports: dict[str, Report], tables: Iterable[Table] = TABLES) -> str:
    """All tables as aligned text, then the implementations that are missing."""
    lines: list[str] = []
    for table in tables:
        lines += _format_table(reports, table)
    for name, report in reports.items():
        if report.available and report.timing:
            overshoot = sorted(m - r for r, m in report.timing)
            median = overshoot[len(overshoot) // 2]
            lines.append(
                f"{name}: blocked {median * 1000:.1f} ms longer than the requested "
                f"timeout (median of {len(overshoot)})"
            )
    missing = [(n, r.reason) for n, r in reports.items() if r.reason]
    if missing:
        lines.append("")
    for name, reason in missing:
        lines += textwrap.wrap(
            f"{name}: {reason}", WIDTH, subsequent_indent="    ", break_on_hyphens=False
        )
    return "\n".join(lines) + "\n"
