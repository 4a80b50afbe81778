"""A quiet build log: no configuration dumps, one run summary, no jieba chatter.

Left to themselves, myst-parser logs its whole configuration in every build,
sphinx-gallery announces its notebook converter and prints a computation-time
summary per language (with a memory column that stays at 0.0 MB, since the
examples run in other interpreters), and jieba writes four lines to stderr
while loading its dictionary. This module drops those lines; concdoc prints
one summary of the runs itself (:func:`run_summary`), in the build that ran
the examples. Warnings and errors are never dropped.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from sphinx_gallery import gen_gallery

from concdoc.sphinxext.seam import available

#: (logger, start of the message) of the info lines the build leaves out
_DROPPED = (
    ("sphinx.myst_parser.sphinx_ext.main", "myst v"),
    ("sphinx.sphinx-gallery", "Using Sphinx-Gallery to convert"),
    # its closing count, when nothing failed: concdoc's summary says it
    ("sphinx.sphinx-gallery", "\nSphinx-Gallery successfully executed"),
)
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
#: Examples listed by name in the summary, slowest first.
SLOWEST = 8


class _DropInfo(logging.Filter):
    """Drops info records whose message starts with one of ``starts``."""

    def __init__(self, starts: tuple[str, ...]) -> None:
        super().__init__()
        self.starts = starts

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO:
            return True
        message = _COLOUR.sub("", str(record.msg))  # myst colours its prefix
        return not any(message.startswith(start) for start in self.starts)


def quieten() -> None:
    """Install the filters (once per process) and hush jieba's loading lines."""
    for name in {name for name, _ in _DROPPED}:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _DropInfo) for f in logger.filters):
            starts = tuple(start for other, start in _DROPPED if other == name)
            logger.addFilter(_DropInfo(starts))
    logging.getLogger("jieba").setLevel(logging.WARNING)
    if available("sphinx_gallery.gen_gallery._log_costs"):
        gen_gallery._log_costs = _no_costs


def _no_costs(costs: list[Any], gallery_conf: dict[str, Any]) -> None:
    """sphinx-gallery's summary, replaced by :func:`run_summary`."""


def run_summary(times: list[tuple[str, float]], wall: float, jobs: int) -> list[str]:
    """The lines of the one computation-time summary of a build's runs."""
    if not times:
        return []
    total = sum(seconds for _, seconds in times)
    lines = [
        f"concdoc: ran {len(times)} examples in {wall:.1f} s, {jobs} at a time "
        f"({total:.1f} s of runs); the slowest:"
    ]
    slowest = sorted(times, key=lambda item: item[1], reverse=True)[:SLOWEST]
    width = max(len(label) for label, _ in slowest)
    lines += [f"    {label:<{width}}  {seconds:5.1f} s" for label, seconds in slowest]
    return lines
