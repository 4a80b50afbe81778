"""Lint the reStructuredText inside Python files with sphinx-lint.

sphinx-lint reads ``.rst`` files; the text of an example page (its docstring
and its ``# %%`` comment blocks, as sphinx-gallery reads them) and the
docstrings autodoc renders live in ``.py`` files. This script cuts that text
out, keeps its line numbers, and runs sphinx-lint's default checkers on it.

Usage: ``python tools/lint_rst_in_python.py examples src`` -- every ``.py``
file under the given folders; a file under ``examples/`` is read as a
sphinx-gallery example, any other one for its docstrings. Exit status 1 when
something is found, each finding printed as ``file:line: message (checker)``.
"""

from __future__ import annotations

import ast
import sys
import textwrap
from pathlib import Path

from sphinx_gallery.py_source_parser import split_code_and_text_blocks
from sphinxlint import check_text
from sphinxlint.checkers import all_checkers


def _example_texts(path: Path) -> list[tuple[int, str]]:
    """(first line, text) of each text block of a sphinx-gallery example."""
    _, blocks = split_code_and_text_blocks(str(path))
    return [(b.lineno, b.content) for b in blocks if b.type == "text"]


def _docstrings(path: Path) -> list[tuple[int, str]]:
    """(first line, text) of each module, class and function docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    texts = []
    for node in ast.walk(tree):
        if not isinstance(node, kinds) or not node.body:
            continue
        first = node.body[0]
        if not (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            continue
        head, _, rest = first.value.value.partition("\n")
        texts.append((first.lineno, head.strip() + "\n" + textwrap.dedent(rest)))
    return texts


def lint(paths: list[Path]) -> list[str]:
    """Return sphinx-lint's findings for the reST in the Python files given."""
    checkers = {c for c in all_checkers.values() if c.enabled}
    findings = []
    for root in paths:
        files = sorted(root.rglob("*.py")) if root.is_dir() else [root]
        for path in files:
            is_example = "examples" in path.parts
            texts = _example_texts(path) if is_example else _docstrings(path)
            for lineno, text in texts:
                text = text.rstrip("\n") + "\n"
                for error in check_text(f"{path}.rst", text, checkers):
                    findings.append(
                        f"{path}:{lineno + error.line_no - 1}: {error.msg} "
                        f"({error.checker_name})"
                    )
    return findings


def main(argv: list[str]) -> int:
    """Lint the folders named in ``argv``; return the exit status."""
    if not argv:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    findings = lint([Path(arg) for arg in argv])
    for finding in findings:
        print(finding)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
