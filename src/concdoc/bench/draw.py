"""Charts of :class:`~concdoc.bench.BenchResults` (matplotlib).

Every chart is language-neutral: its words are units (``msg/s``, ``µs``,
``ms``), sizes (``1 KiB``), Python names (channels, start methods,
``chunksize``) and nothing else, so the same image serves every language of
the site; the page around it says what it shows. Medians are drawn as
points, the interquartile range as error bars. Colours come from
:data:`concdoc.plot.PALETTE` (Okabe–Ito) and two more colour-blind-safe
ones; series also differ in marker and line style (threads solid,
processes dashed, asyncio dotted, gevent dash-dotted), so they stay apart
without colour.

Each ``draw_*`` function draws into the figure (or sub-figure) it is given,
e.g. one from ``matplotlib.pyplot.figure()`` on a gallery page, or into a
new detached :class:`matplotlib.figure.Figure`, and returns it.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure
from matplotlib.ticker import FixedLocator, LogFormatter, NullLocator

from concdoc.bench import (
    CHANNEL_KINDS,
    CHANNELS,
    BenchResults,
    format_size,
    format_value,
)
from concdoc.plot import PALETTE

__all__ = ["draw_all", "draw_channels", "draw_chunksize", "draw_start", "save"]

#: One colour per channel: the Okabe–Ito palette of concdoc.plot, then two of
#: Paul Tol's muted colours (wine, olive), also safe for colour-blind readers.
_COLORS = (*PALETTE, "#882255", "#999933")
_LINESTYLE = {"thread": "-", "process": "--", "asyncio": ":", "gevent": "-."}
_MARKERS = "osD^v<>ph"

Canvas = Figure | SubFigure


def _style(subject: str) -> dict[str, Any]:
    index = CHANNELS.index(subject) if subject in CHANNELS else 0
    return {
        "color": _COLORS[index % len(_COLORS)],
        "marker": _MARKERS[index % len(_MARKERS)],
        "linestyle": _LINESTYLE.get(CHANNEL_KINDS.get(subject, ""), "-"),
    }


def _errors(stats: list[Any]) -> list[list[float]]:
    return [
        [s.median - s.q1 for s in stats],
        [s.q3 - s.median for s in stats],
    ]


class _PlainLogFormatter(LogFormatter):
    """Label the ticks matplotlib chooses to label as ``12,300`` or ``4.5``,
    not ``1.23 x 10^4``."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return format_value(x) if super().__call__(x, pos) else ""


def _log_axis(ax: Axes, which: str) -> None:
    """Put ``which`` ("x" or "y") of ``ax`` on a log scale with plain labels."""
    (ax.set_xscale if which == "x" else ax.set_yscale)("log")
    axis = ax.xaxis if which == "x" else ax.yaxis
    axis.set_major_formatter(_PlainLogFormatter())
    axis.set_minor_formatter(_PlainLogFormatter(minor_thresholds=(1, 0.4)))


def _canvas(fig: Canvas | None, size: tuple[float, float]) -> Canvas:
    return fig if fig is not None else Figure(figsize=size, layout="constrained")


def draw_channels(results: BenchResults, fig: Canvas | None = None) -> Canvas:
    """Throughput (msg/s) and round-trip latency (µs) against message size.

    Two log-log panels side by side, one line per channel, with the
    interquartile range as error bars.
    """
    fig = _canvas(fig, (10, 4.6))
    axes = fig.subplots(1, 2)
    handles = []
    for ax, benchmark in zip(axes, ("throughput", "latency"), strict=True):
        found = results.select(benchmark)
        for subject in dict.fromkeys(m.subject for m in found):
            mine = [m for m in found if m.subject == subject]
            line = ax.errorbar(
                [m.parameter for m in mine],
                [m.stats.median for m in mine],
                yerr=_errors([m.stats for m in mine]),
                label=subject,
                markersize=5,
                capsize=2,
                linewidth=1.4,
                **_style(subject),
            )
            if benchmark == "throughput":
                handles.append(line)
        sizes = sorted({m.parameter for m in found if m.parameter is not None})
        ax.set_xscale("log", base=2)
        _log_axis(ax, "y")
        ax.xaxis.set_major_locator(FixedLocator(sizes))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xticklabels(
            [format_size(s) for s in sizes], rotation=45 if len(sizes) > 5 else 0
        )
        ax.set_ylabel("msg/s" if benchmark == "throughput" else "µs")
        ax.grid(which="major", color="#DDDDDD", linewidth=0.6)
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncol=min(len(handles), 5) or 1,
        frameon=False,
        fontsize="small",
    )
    return fig


def draw_start(results: BenchResults, fig: Canvas | None = None) -> Canvas:
    """Start + join of a trivial process (ms, log scale), one row per start method."""
    fig = _canvas(fig, (7, 2.6))
    ax = fig.subplots()
    found = results.select("start")
    for row, stat in enumerate(m.stats for m in found):
        # points, not bars: a bar's length means nothing on a log scale
        ax.errorbar(
            [stat.median],
            [row],
            xerr=_errors([stat]),
            color=PALETTE[row % len(PALETTE)],
            marker=_MARKERS[row % len(_MARKERS)],
            markersize=8,
            capsize=4,
            linestyle="none",
        )
    ax.set_yticks(range(len(found)), [m.subject for m in found])
    ax.set_ylim(len(found) - 0.5, -0.5)
    _log_axis(ax, "x")
    ax.set_xlabel("ms")
    ax.grid(axis="x", which="major", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig


def draw_chunksize(results: BenchResults, fig: Canvas | None = None) -> Canvas:
    """``Pool.map`` time (ms) of the fixed work against chunksize (log-log)."""
    fig = _canvas(fig, (7, 3.2))
    ax = fig.subplots()
    found = results.select("chunksize")
    ax.errorbar(
        [math.nan if m.parameter is None else m.parameter for m in found],
        [m.stats.median for m in found],
        yerr=_errors([m.stats for m in found]),
        color=PALETTE[0],
        marker="o",
        capsize=3,
    )
    _log_axis(ax, "x")
    _log_axis(ax, "y")
    ax.set_xlabel("chunksize")
    ax.set_ylabel("ms")
    ax.grid(which="major", color="#DDDDDD", linewidth=0.6)
    return fig


def draw_all(results: BenchResults, fig: Canvas | None = None) -> Canvas:
    """Every chart the results have data for, stacked."""
    parts = [
        (draw, height)
        for draw, benchmark, height in (
            (draw_channels, "latency", 4.6),
            (draw_start, "start", 2.6),
            (draw_chunksize, "chunksize", 3.2),
        )
        if results.select(benchmark)
    ]
    if not parts:
        raise ValueError("nothing to draw: the results hold no measurements")
    heights = [h for _, h in parts]
    fig = _canvas(fig, (10, sum(heights)))
    subfigs = fig.subfigures(len(parts), 1, height_ratios=heights, squeeze=False)
    for (draw, _), sub in zip(parts, subfigs[:, 0], strict=True):
        draw(results, sub)
    return fig


def save(results: BenchResults, path: str | os.PathLike[str], dpi: int = 100) -> Path:
    """Draw :func:`draw_all` into ``path`` (format from its suffix)."""
    target = Path(path)
    fig = draw_all(results)
    assert isinstance(fig, Figure)  # given no canvas, draw_all makes a Figure
    fig.savefig(target, dpi=dpi)
    return target
