"""concdoc.blocks: what a page shows of an example's code."""

from __future__ import annotations

import pytest

from concdoc.blocks import read_directives, strip_directives


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
