"""concdoc.texttable: aligned tables that fit a width."""

from __future__ import annotations

from concdoc.texttable import TextTable, format_table, join_groups, split_tables

HEADER = ["name", *(f"column {n}" for n in range(8))]
ROWS = [[f"row {r}", *(f"{r * n:>6}" for n in range(8))] for r in range(3)]


def test_a_narrow_table_is_one_block_with_a_rule():
    text = format_table(["name", "value"], [["a", "1"], ["bb", "22"]], right=True)
    assert text == "name  value\n----  -----\na         1\nbb       22\n"


def test_a_wide_table_is_cut_into_groups_repeating_the_row_names():
    text = format_table(HEADER, ROWS, width=40)
    lines = text.splitlines()
    assert max(map(len, lines)) <= 40
    blocks = text.split("\n\n")
    assert len(blocks) > 1
    for block in blocks:
        assert block.splitlines()[0].startswith("name")
        assert [line.split()[0:2] for line in block.splitlines()[2:]] == [
            ["row", str(r)] for r in range(3)
        ]
    for title in HEADER[1:]:
        assert text.count(title) == 1


def test_a_long_cell_is_wrapped():
    cell = "raises queue.Full after a timeout that is longer than it should be"
    text = format_table(["name", "what"], [["q", cell]], width=30, rule=False)
    assert max(map(len, text.splitlines())) <= 30
    assert " ".join(text.split()) == "name what q " + cell


def test_tables_are_read_back_from_text_around_them():
    table = format_table(
        ["tool", "cost (µs)", "suits"],
        [
            ["threads", "12", "waiting on I/O with shared state"],
            ["processes", "450", "CPU"],
        ],
        width=36,
        right=True,
    )
    text = "machine: test\n\n" + table + "\nskipped gevent: not installed\n"
    parts = split_tables(text)
    assert parts[0] == "machine: test\n\n"
    tables = [p for p in parts if isinstance(p, TextTable)]
    assert [t.header for t in tables] == [["tool", "cost (µs)"], ["tool", "suits"]]
    assert tables[0].rows == [["threads", "12"], ["processes", "450"]]
    # a wrapped cell comes back whole
    assert tables[1].rows[0] == ["threads", "waiting on I/O with shared state"]
    assert parts[-1].strip() == "skipped gevent: not installed"


def test_text_without_a_rule_is_not_a_table():
    text = "name  value\nqueue  3\n-----\n"
    assert split_tables(text) == [text]


def test_groups_of_one_table_are_joined_again():
    header = ["name", *(f"column {n}" for n in range(6))]
    rows = [[f"row {r}", *(str(r * n) for n in range(6))] for r in range(3)]
    text = "before\n\n" + format_table(header, rows, width=40) + "\nafter\n"
    parts = join_groups(split_tables(text))
    tables = [p for p in parts if isinstance(p, TextTable)]
    assert tables == [TextTable(header, rows)]
    assert parts[0].strip() == "before" and parts[-1].strip() == "after"
