"""Stamps shown on the pages, worded for each site language.

The build stamp says which interpreter produced the examples' output, on
which machine and on which day; the run-time stamp closes each example page.
Both are made here, once, for English and for Simplified Chinese; anything
else falls back to English. Stdlib only, no Sphinx.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys

from concdoc.languages import is_chinese

__all__ = [
    "all_probed",
    "build_date",
    "build_stamp",
    "format_date",
    "probe_stamp",
    "run_time",
    "trace_download",
]

# Month names spelt out here so that the C locale of the build cannot change them.
_MONTHS = (
    "January February March April May June July August September October "
    "November December"
).split()


def build_date() -> dt.date:
    """The build date: ``SOURCE_DATE_EPOCH`` if set (reproducible), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.datetime.now(tz=dt.timezone.utc).date()


def format_date(date: dt.date, language: str | None) -> str:
    """``November 27, 2026`` in English, ``2026年11月27日`` in Chinese."""
    if is_chinese(language):
        return f"{date.year}年{date.month}月{date.day}日"
    return f"{_MONTHS[date.month - 1]} {date.day}, {date.year}"


def _interpreter() -> tuple[str, str, str]:
    """Python version, implementation name and ``system machine`` of this run."""
    machine = f"{platform.system()} {platform.machine()}"
    return platform.python_version(), sys.implementation.name, machine


def build_stamp(language: str | None, date: dt.date | None = None) -> str:
    """Interpreter, machine and date of the build, in ``language``.

    Examples
    --------
    >>> build_stamp("en", dt.date(2026, 11, 27))  # doctest: +SKIP
    'Python 3.11.2 (cpython) on Linux x86_64, November 27, 2026'
    >>> build_stamp("zh_CN", dt.date(2026, 11, 27))  # doctest: +SKIP
    'Python 3.11.2（cpython），运行于 Linux x86_64，2026年11月27日'
    """
    day = format_date(date or build_date(), language)
    python, impl, machine = _interpreter()
    if is_chinese(language):
        return f"Python {python}（{impl}），运行于 {machine}，{day}"
    return f"Python {python} ({impl}) on {machine}, {day}"


def probe_stamp(language: str | None) -> str:
    """The interpreter that ran the queue-semantics probes, in ``language``."""
    python, impl, machine = _interpreter()
    if is_chinese(language):
        return f"探测所用解释器：Python {python}（{impl}），运行于 {machine}。"
    return f"Probed with Python {python} ({impl}) on {machine}."


def all_probed(language: str | None) -> str:
    """Said when every queue implementation could be probed."""
    if is_chinese(language):
        return "所有实现均可用，全部参与了探测。"
    return "Every implementation was available."


def run_time(minutes: float, seconds: float, language: str | None) -> str:
    """A script's running time: ``0 min 1.234 s`` / ``0 分 1.234 秒``."""
    if is_chinese(language):
        return f"{minutes:.0f} 分 {seconds:.3f} 秒"
    return f"{minutes:.0f} min {seconds:.3f} s"


def trace_download(language: str | None) -> str:
    """The link to an example's run as Chrome Trace Event JSON."""
    if is_chinese(language):
        return (
            "下载本次运行的跟踪记录（Chrome Trace Event JSON，"
            "可在 ui.perfetto.dev 或 chrome://tracing 中打开并缩放查看）"
        )
    return (
        "Download the run's trace (Chrome Trace Event JSON: open it in "
        "ui.perfetto.dev or chrome://tracing to zoom in)"
    )
