"""concdoc.semantics.words: the semantics tables worded per language."""

from __future__ import annotations

import ast
import re

import pytest

from concdoc.semantics import TABLES, Cell
from concdoc.semantics.words import (
    LABELS,
    carries_output,
    heading,
    summary,
    summary_parts,
    translate,
)

CELLS = [
    Cell(
        "blocks",
        call="q.put(x)",
        note="still waiting after 0.2 s; released by the probe",
    ),
    Cell("n/a", call="q.close()", note="no close() method"),
    Cell("raises", "queue.Full", 0.0, "q.put(x, timeout=0)", ""),
    Cell("raises", "queue.Full", 0.0512, "q.put(x, timeout=0.05)", ""),
    Cell("returns", "False", None, "q.empty()"),
    Cell("returns", "64 puts accepted: no limit", 0.001, "Queue(maxsize=0)"),
]


@pytest.mark.parametrize("cell", CELLS, ids=lambda c: c.outcome)
def test_english_is_the_summary_the_command_line_prints(cell):
    assert summary(cell, "en") == cell.summary()
    assert summary(cell, None) == cell.summary()


def test_chinese_summaries():
    blocks, na, raises, raises_late, returns, unbounded = CELLS
    assert summary(blocks, "zh_CN") == "阻塞"
    assert summary(na, "zh_CN") == "不适用"
    assert summary_parts(raises, "zh_CN") == [("引发 ", False), ("queue.Full", True)]
    assert summary(raises_late, "zh_CN") == "0.05 秒后引发 queue.Full"
    assert summary_parts(returns, "zh_CN") == [("返回 ", False), ("False", True)]
    # concdoc's own words are translated, and then are not code
    assert summary_parts(unbounded, "zh_CN") == [
        ("返回 接受了 64 次 put：没有上限", False)
    ]


@pytest.mark.parametrize(
    "english, chinese",
    [
        ("no close() method", "没有 close() 方法"),
        ("no shutdown() on Python 3.11.7", "Python 3.11.7 没有 shutdown()"),
        ("no shutdown() on a channel", "通道没有 shutdown()"),
        ("get() takes no 'block' argument", "get() 不接受 'block' 参数"),
        (
            "still waiting after 0.2 s; released by the probe",
            "0.2 秒后仍在等待；由探测程序放行",
        ),
        (
            "14 of 20 tries; otherwise returns False: 6",
            "20 次尝试中有 14 次如此；其余：返回 False：6 次",
        ),
        (
            "child: q.put(x), then tells us; we: q.get_nowait()",
            "子进程：q.put(x)，然后通知本进程；本进程：q.get_nowait()",
        ),
        ("not installed: ", "未安装："),
    ],
)
def test_concdocs_own_words_are_translated(english, chinese):
    assert translate(english, "zh_CN") == chinese
    assert translate(english, "en") == english


def test_exception_and_warning_messages_are_program_output():
    assert carries_output(CELLS[2])
    assert carries_output(Cell("n/a", note="cannot be made full: takes 1 argument"))
    assert carries_output(Cell("returns", "None", note="DeprecationWarning: gone."))
    assert not carries_output(CELLS[1])


def _is_python(code: str) -> bool:
    try:
        compile(code, "<heading>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    except SyntaxError:
        return False
    return True


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.key)
def test_chinese_headings_have_code_only_where_python_is(table):
    """A heading's code pieces are Python; its other pieces have no Latin
    words: English such as "join(), nothing put" gets a Chinese heading."""
    for column in table.columns:
        parts = heading(table, column, "zh_CN")
        for text, code in parts:
            if code:
                assert _is_python(text), (column.key, text)
            else:
                assert not re.search(r"[A-Za-z]{2,}", text), (column.key, text)


def test_english_headings_are_the_calls():
    table = TABLES[0]
    assert heading(table, table.columns[0], "en") == [(table.columns[0].title, True)]


def test_every_language_has_every_label():
    assert LABELS["zh_CN"].keys() == LABELS["en"].keys()
    assert len(LABELS["zh_CN"]["timing-header"]) == len(LABELS["en"]["timing-header"])
