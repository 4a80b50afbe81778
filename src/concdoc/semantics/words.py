"""The words of the semantics tables and chart, per language.

The probes describe what they saw in English (``Cell.summary``, notes such
as ``no close() method``); the command line prints that. A page in another
language words the same data here: outcomes, column headings, the notes
concdoc itself writes, and the labels of the timing table and chart.
Exception messages are program output and stay as Python wrote them.
"""

from __future__ import annotations

import re
from typing import Any

from concdoc.semantics.model import SHOWN_ELAPSED, Cell, Column, Table

__all__ = [
    "LABELS",
    "carries_output",
    "heading",
    "summary",
    "summary_parts",
    "translate",
]

#: Labels of the timing table and chart (terms from the glossary).
LABELS: dict[str, dict[str, Any]] = {
    "en": {
        "timing-header": ["requested", "median", "minimum", "maximum"],
        "timing-legend": "timeout {ms:g} ms",
        "timing-xlabel": "blocked longer than requested (ms)",
        "outcomes": {"blocks": "blocks", "n/a": "n/a"},
        "returns": "returns {value}",
        "raises": "raises {value}",
        "after": "{text} after {seconds:.2f} s",  # text has {value}
    },
    "zh_CN": {
        "timing-header": ["请求的超时", "中位数", "最小值", "最大值"],
        "timing-legend": "超时 {ms:g} ms",
        "timing-xlabel": "比请求的超时多阻塞的时间（ms）",
        "outcomes": {"blocks": "阻塞", "n/a": "不适用"},
        "returns": "返回 {value}",
        "raises": "引发 {value}",
        "after": "{seconds:.2f} 秒后{text}",
    },
}

#: Column headings that are not code alone, in Chinese: code between
#: backquotes, words around it. Keyed by ``(table, column)``.
_ZH_HEADINGS = {
    ("visibility", "empty"): "`put(x)` 之后立即 `empty()`",
    ("visibility", "get-nowait"): "`put(x)` 之后立即 `get_nowait()`",
    ("visibility", "other-process"): "另一进程 `put(x)` 之后立即 `get_nowait()`",
    ("tasks", "join-idle"): "`join()`，未放入任何元素",
    ("tasks", "join-pending"): "`join()`，一个元素尚未完成",
    ("tasks", "too-many"): "多调用一次 `task_done()`",
    ("order", "order"): "依次放入 `2, 3, 1`，再全部取出",
    ("order", "ties"): "依次放入 `(1, 'b'), (1, 'a')`，再全部取出",
    ("order", "incomparable"): "依次放入 `(1, {...}), (1, {...})`",
    ("shutdown", "put"): "`shutdown()` 之后 `put(x)`",
    ("shutdown", "get-empty"): "`shutdown()` 之后对空队列 `get()`",
    ("shutdown", "get-item"): "`shutdown()` 之后、队列中仍有元素时 `get()`",
    ("shutdown", "get-item-immediate"): (
        "`shutdown(immediate=True)` 之后、队列中仍有元素时 `get()`"
    ),
    ("shutdown", "waiting"): "`get()` 等待时调用 `shutdown()`",
    ("close", "put"): "`close()` 之后 `put(x)`",
    ("close", "get"): "`close()` 之后 `get()`",
    ("close", "join-early"): "`close()` 之前 `join_thread()`",
    ("pipe", "recv"): "`recv()`，对端未发送",
    ("pipe", "eof"): "对端关闭后 `recv()`",
    ("pipe", "poll-closed"): "对端关闭后 `poll()`",
    ("pipe", "send-closed"): "对端关闭后 `send(x)`",
    ("pipe", "wrong-end"): "在 `Pipe(duplex=False)` 的接收端 `send(x)`",
}

#: The English that the probes write themselves (not exception messages),
#: as patterns, and its Chinese; tried in order, each applied once.
_ZH_PHRASES: tuple[tuple[str, str], ...] = (
    (
        r"still waiting after (\S+) s; released by the probe",
        r"\1 秒后仍在等待；由探测程序放行",
    ),
    (r" \(release failed: ([^)]*)\)", r"（放行失败：\1）"),
    (r"; could not be released", "；无法放行"),
    (r"(\d+) of (\d+) tries", r"\2 次尝试中有 \1 次如此"),
    (r"; otherwise ", "；其余："),
    (r"\breturns ([^:;,]+): (\d+)", r"返回 \1：\2 次"),
    (r"\braises ([^:;,]+): (\d+)", r"引发 \1：\2 次"),
    (r"no shutdown\(\) on a channel", "通道没有 shutdown()"),
    (r"no (\S+\(\)) on (.+)", r"\2 没有 \1"),
    (r"no (\S+\(\)) method", r"没有 \1 方法"),
    (r"(\S+\(\)) takes no '(\w+)' argument", r"\1 不接受 '\2' 参数"),
    (r"(\S+) is not available on (.+)", r"\2 没有 \1"),
    (r"a channel holds no items", "通道不存放元素"),
    (r"not shared between processes", "不能在进程之间共享"),
    (r"cannot be made full: ", "无法填满："),
    (r"get\(\) did not wait", "get() 没有等待"),
    (r"shutdown\(\) did not wake it", "shutdown() 没有唤醒它"),
    (r" After (\d+) items accepted\.", r" 接受了 \1 个元素之后。"),
    (r"(\d+) puts accepted: no limit", r"接受了 \1 次 put：没有上限"),
    (
        r"child: (.+), then tells us; we: (.+)",
        r"子进程：\1，然后通知本进程；本进程：\2",
    ),
    (r"; (\S+) from elsewhere", r"；另一处调用 \1"),
    (r", then (\d+) × ", r"，然后 \1 × "),
    (r"not installed: ", "未安装："),
    (r"not available on ([^:]+): ", r"\1 上不可用："),
)


def translate(text: str, language: str | None) -> str:
    """Concdoc's own English in a probe's note, value or call, in ``language``."""
    if language != "zh_CN":
        return text
    for pattern, replacement in _ZH_PHRASES:
        text = re.sub(pattern, replacement, text, count=1)
    return text


def _labels(language: str | None) -> dict[str, Any]:
    return LABELS.get(language or "en", LABELS["en"])


def summary_parts(cell: Cell, language: str | None) -> list[tuple[str, bool]]:
    """:meth:`~concdoc.semantics.Cell.summary` worded for ``language``, as
    pieces ``(text, is_code)``: the value returned or the exception raised
    is code."""
    words = _labels(language)
    if cell.outcome in words["outcomes"]:
        return [(words["outcomes"][cell.outcome], False)]
    text = words[cell.outcome]
    if cell.elapsed is not None and cell.elapsed >= SHOWN_ELAPSED:
        text = words["after"].format(text=text, seconds=cell.elapsed)
    before, _, after = text.partition("{value}")
    value = translate(cell.value or "", language)
    if value != cell.value:  # concdoc's own words, not a Python value
        return [(before + value + after, False)]
    parts = [(before, False), (value, True), (after, False)]
    return [(piece, code) for piece, code in parts if piece]


def summary(cell: Cell, language: str | None) -> str:
    """:meth:`~concdoc.semantics.Cell.summary`, worded for ``language``."""
    return "".join(text for text, _ in summary_parts(cell, language))


def carries_output(cell: Cell) -> bool:
    """True when the cell's note holds program output (an exception's or a
    warning's message), which stays as Python wrote it."""
    return cell.outcome == "raises" or bool(
        re.match(r"cannot be made full: |\w+Warning: ", cell.note)
    )


def heading(
    table: Table, column: Column, language: str | None
) -> list[tuple[str, bool]]:
    """A column heading as pieces ``(text, is_code)``.

    In English the heading is the call, all code; in Chinese a heading with
    words has them around the code.
    """
    if language == "zh_CN" and (table.key, column.key) in _ZH_HEADINGS:
        parts = _ZH_HEADINGS[table.key, column.key].split("`")
        return [(part, index % 2 == 1) for index, part in enumerate(parts) if part]
    return [(column.title, True)]
