"""The timeout-accuracy chart: how much longer than requested each call blocked.

matplotlib is imported when :func:`draw_timing` is called, not when this
module is imported.
"""

from __future__ import annotations

import io

from concdoc.semantics.model import Report

__all__ = ["draw_timing", "timing_summary"]


def timing_summary(report: Report) -> dict[float, tuple[float, float, float]]:
    """Requested timeout to (minimum, median, maximum) measured blocked time."""
    by_request: dict[float, list[float]] = {}
    for requested, measured in report.timing:
        by_request.setdefault(requested, []).append(measured)
    summary = {}
    for requested, values in sorted(by_request.items()):
        values.sort()
        summary[requested] = (values[0], values[len(values) // 2], values[-1])
    return summary


def draw_timing(
    reports: dict[str, Report], dpi: int = 100, language: str | None = "en"
) -> bytes:
    """PNG bytes: one row per implementation, one dot per measurement.

    The horizontal axis is the measured blocked time minus the requested
    timeout, in milliseconds; the colour tells which timeout was requested.
    Labels are worded for ``language`` (:mod:`concdoc.semantics.words`).
    """
    from matplotlib.figure import Figure

    from concdoc.semantics.words import LABELS

    words = LABELS.get(language or "en", LABELS["en"])
    family = ["DejaVu Sans"]
    if language != "en":
        from concdoc.plot import cjk_font

        family.insert(0, cjk_font())

    names = [n for n, r in reports.items() if r.available and r.timing]
    requests = sorted({req for n in names for req, _ in reports[n].timing})
    figure = Figure(figsize=(8, 0.35 * len(names) + 1.4), layout="constrained")
    axes = figure.subplots()
    colours = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple"]
    for index, requested in enumerate(requests):
        xs, ys = [], []
        for row, name in enumerate(names):
            samples = [m for r, m in reports[name].timing if r == requested]
            for k, measured in enumerate(samples):
                xs.append((measured - requested) * 1000)
                ys.append(row + (index - 1) * 0.2 + (k - 1) * 0.04)
        axes.scatter(
            xs,
            ys,
            s=14,
            color=colours[index % len(colours)],
            label=words["timing-legend"].format(ms=requested * 1000),
        )
    axes.set_yticks(range(len(names)), names)
    axes.invert_yaxis()
    axes.axvline(0, color="grey", linewidth=0.8)
    axes.set_xlabel(words["timing-xlabel"], fontfamily=family)
    axes.legend(loc="lower right", prop={"family": family, "size": "small"})
    axes.grid(axis="x", alpha=0.3)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
