"""How big a timeline is: drawn, saved and shown (no matplotlib needed).

A timeline is drawn :data:`TIMELINE_WIDTH` inches wide and meant to be
shown at :data:`DISPLAY_DPI` CSS pixels per inch, its natural size; bitmaps
are saved with :data:`SAVE_DPI` pixels per inch, twice as many, so that
they stay sharp on high-density screens and when a reader zooms in. The
docs build reads these without importing :mod:`concdoc.plot`.
"""

from __future__ import annotations

__all__ = ["DISPLAY_DPI", "SAVE_DPI", "TIMELINE_WIDTH", "display_width"]

#: Width of a timeline, in inches.
TIMELINE_WIDTH = 8.0
#: CSS pixels per inch at which a timeline is shown (its natural size).
DISPLAY_DPI = 100
#: Pixels per inch of a saved bitmap.
SAVE_DPI = 2 * DISPLAY_DPI


def display_width(width: float = TIMELINE_WIDTH) -> int:
    """CSS pixels a figure ``width`` inches wide is shown at (natural size)."""
    return round(width * DISPLAY_DPI)
