"""concdoc.blocks: an example split into code blocks, and its directives read.

The last tests check that the split agrees with sphinx-gallery's parser on
every example of the project and on a few edge cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ALL_EXAMPLES
from sphinx_gallery import py_source_parser

from concdoc.blocks import (
    CodeBlock,
    Directives,
    read_directives,
    split_code_blocks,
    strip_directives,
)

SCRIPT = '''"""Title

Text of the page.
"""
import queue

# %%
# A text block: comment lines after the separator.
# Two of them.

q = queue.Queue()

q.put(1)
##############################################################################
# Another text block, opened by a line of #.
print(q.get())
'''


def test_blocks_start_after_the_docstring_and_after_each_text_block():
    blocks = split_code_blocks(SCRIPT)
    assert [b.lineno for b in blocks] == [5, 10, 16]
    assert blocks[0].source.strip() == "import queue"
    assert blocks[1].source.strip() == "q = queue.Queue()\n\nq.put(1)"
    assert blocks[2].source == "print(q.get())\n"
    lines = SCRIPT.split("\n")
    for block in blocks:
        assert lines[block.lineno - 1 : block.end_lineno] == block.source.rstrip(
            "\n"
        ).split("\n")


def test_a_script_without_separators_is_one_block_and_a_docstring_none():
    assert split_code_blocks("x = 1\nprint(x)\n") == [CodeBlock(1, "x = 1\nprint(x)\n")]
    assert split_code_blocks('"""Only a docstring."""\n') == []


def test_a_block_names_its_lines_without_the_blank_ones():
    block = CodeBlock(10, "\n\nq = 1\n\nprint(q)\n\n")
    assert (block.first_code_line, block.end_lineno) == (12, 14)
    assert block.describe() == "the code block at lines 12-14"
    assert CodeBlock(3, "x\n").describe() == "the code block at line 3"


def test_directives_default_to_nothing_special():
    assert read_directives("print(1)\n") == Directives()


def test_each_directive_is_read():
    source = (
        "# concdoc: timeout = 2.5\n"
        "#concdoc:expected-failure\n"
        "    # concdoc: output-varies\n"
        "# concdoc: timeline = off\n"
        "# concdoc: run-alone\n"
    )
    assert read_directives(source) == Directives(
        timeout=2.5,
        expected_failure=True,
        output_varies=True,
        timeline=False,
        run_alone=True,
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("# concdoc: timeout = 0", "example.py:2: timeout must be a positive"),
        ("# concdoc: timeout = soon", "example.py:2: timeout must be a number"),
        ("# concdoc: timeout = inf", "positive"),
        ("# concdoc: timeline = maybe", "example.py:2: unknown concdoc directive"),
        ("# concdoc: run-alone = yes", "unknown concdoc directive 'run-alone = yes'"),
        ("# concdoc: fast", "known: 'timeout = SECONDS'"),
    ],
)
def test_a_bad_directive_names_file_and_line(line, message):
    with pytest.raises(ValueError, match=message):
        read_directives(f"print(1)\n{line}\n", "example.py")


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("# concdoc: run-alone\n# concdoc: timeout = 60\n", ""),
        ("\n# concdoc: output-varies\n\nimport queue\n\n", "import queue\n"),
        ("x = 1\n  #  concdoc: timeline = off\ny = 2\n", "x = 1\ny = 2\n"),
        (
            "print('# concdoc: not a directive')\n",
            "print('# concdoc: not a directive')\n",
        ),
        ("# concdoc is the tool\nx = 1\n", "# concdoc is the tool\nx = 1\n"),
    ],
)
def test_directive_lines_are_left_out_of_what_is_shown(code, shown):
    assert strip_directives(code) == shown
    # and what is shown holds no directive the build would read
    assert read_directives(shown) == read_directives("")


def _sphinx_gallery_code_blocks(path: Path) -> list[tuple[int, str]]:
    _, blocks = py_source_parser.split_code_and_text_blocks(str(path))
    return [(b.lineno, b.content) for b in blocks if b.type == "code"]


SYNTHETIC = {
    "no_separators.py": '"""Doc\n===\n"""\nprint(1)\nprint(2)\n',
    "hashes.py": '"""D\n=\n"""\na = 1\n' + "#" * 30 + "\n# text\n# more\n\nb = 2\n",
    "multiline_doc.py": (
        '"""\nTitle\n=====\n\nMore.\n"""\n\n# %%\n# t\nx = 1\n# %%\ny = 2\n'
    ),
}


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=lambda p: p.name)
def test_block_split_agrees_with_sphinx_gallery(path):
    ours = [(b.lineno, b.source) for b in split_code_blocks(path.read_text())]
    assert ours == _sphinx_gallery_code_blocks(path)


@pytest.mark.parametrize("name", sorted(SYNTHETIC))
def test_block_split_agrees_on_edge_cases(tmp_path, name):
    path = tmp_path / name
    path.write_text(SYNTHETIC[name])
    ours = [(b.lineno, b.source) for b in split_code_blocks(path.read_text())]
    assert ours == _sphinx_gallery_code_blocks(path)
