"""concdoc.texttable: aligned tables that fit a width."""

from __future__ import annotations

from concdoc.texttable import format_table

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
