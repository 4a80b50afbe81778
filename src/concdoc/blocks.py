"""Split an example script into code blocks and read its ``# concdoc:`` directives.

The split follows sphinx-gallery's rules, so that ``python -m concdoc run``
shows the same blocks as the built page: the module docstring is text, and a
line of 20 or more ``#`` or a line starting with ``# %%`` opens a text block
made of the comment lines that follow it. Everything else is code.

This module knows nothing of Sphinx; ``tests/test_blocks.py`` checks that it
agrees with sphinx-gallery on every example of the project.
"""

from __future__ import annotations

import io
import math
import re
import tokenize
from dataclasses import dataclass
from typing import Any

from concdoc.rules import KINDS

__all__ = [
    "CodeBlock",
    "Directives",
    "read_directives",
    "split_code_blocks",
    "strip_directives",
]

_SEPARATOR = re.compile(r"(^#{20,}.*|^# ?%%.*)\s((?:^#.*\s?)*)", flags=re.M)
_DIRECTIVE = re.compile(r"^[ \t]*#[ \t]*concdoc:[ \t]*(?P<body>.*?)[ \t]*$", re.M)


@dataclass(frozen=True)
class CodeBlock:
    """One code block of an example.

    Parameters
    ----------
    lineno : int
        Line number (1-based) of the block's first line in the file.
    source : str
        The block's source text, as it stands in the file.
    """

    lineno: int
    source: str

    @property
    def first_code_line(self) -> int:
        """Line number of the block's first non-blank line."""
        lines = self.source.split("\n")
        blank = next((i for i, line in enumerate(lines) if line.strip()), 0)
        return self.lineno + blank

    @property
    def end_lineno(self) -> int:
        """Line number of the block's last non-blank line."""
        return self.lineno + self.source.rstrip().count("\n")

    def describe(self) -> str:
        """Name the block for messages, e.g. ``"the code block at lines 12-20"``."""
        first, last = self.first_code_line, self.end_lineno
        if first == last:
            return f"the code block at line {first}"
        return f"the code block at lines {first}-{last}"


@dataclass(frozen=True)
class Directives:
    """Settings an example gives itself with ``# concdoc:`` comment lines.

    Parameters
    ----------
    timeout : float or None
        ``# concdoc: timeout = SECONDS`` -- the example's own time limit.
    expected_failure : bool
        ``# concdoc: expected-failure`` -- the example is meant to raise; the
        run succeeds when it does (and fails when it does not).
    output_varies : bool
        ``# concdoc: output-varies`` -- what the example prints depends on
        scheduling (the order of lines from concurrent workers, which worker
        ran what), so two runs may differ; the page says so.
    timeline : bool
        ``# concdoc: timeline = off`` -- the page shows no timeline for this
        example (nothing in it is concurrent); ``on`` is the default.
    run_alone : bool
        ``# concdoc: run-alone`` -- the example must not run while other
        examples run (a benchmark: anything else on the CPUs would skew its
        numbers).
    allow : frozenset of str
        ``# concdoc: allow = KIND[, KIND...]`` -- house rules (strict mode)
        the example breaks on purpose, a pitfall shown as it happens; each
        KIND is one of :data:`concdoc.rules.KINDS`, e.g. ``thread-exception``.
        The finding is still reported, as a note.
    """

    timeout: float | None = None
    expected_failure: bool = False
    output_varies: bool = False
    timeline: bool = True
    run_alone: bool = False
    allow: frozenset[str] = frozenset()


def _docstring_end(source: str) -> int:
    """Return the number of lines taken by the leading docstring (0 if none)."""
    try:
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        for tok in tokens:
            if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE):
                continue
            if tok.type == tokenize.STRING:
                return tok.end[0]
            return 0
    except (tokenize.TokenError, SyntaxError):
        return 0
    return 0


def split_code_blocks(source: str) -> list[CodeBlock]:
    """Split example source into its code blocks, as sphinx-gallery does.

    Parameters
    ----------
    source : str
        The whole text of a Python script.

    Returns
    -------
    list of CodeBlock
        The code blocks in file order. A script without separators is one
        block; a script that is only a docstring has none.
    """
    skip = _docstring_end(source)
    rest = "\n".join(source.split("\n")[skip:])
    lineno = skip + 1
    blocks: list[CodeBlock] = []
    pos = 0
    for match in _SEPARATOR.finditer(rest):
        code = rest[pos : match.start()]
        if code.strip():
            blocks.append(CodeBlock(lineno, code))
        lineno += code.count("\n") + 1 + match.group(2).count("\n")
        pos = match.end()
    tail = rest[pos:]
    if tail.strip():
        blocks.append(CodeBlock(lineno, tail))
    return blocks


def read_directives(source: str, filename: str = "<example>") -> Directives:
    """Read the ``# concdoc:`` directives of an example.

    Parameters
    ----------
    source : str
        The whole text of the script.
    filename : str
        Used in error messages only.

    Returns
    -------
    Directives

    Raises
    ------
    ValueError
        On an unknown directive, a timeout that is not a positive number, or
        a timeline that is neither ``on`` nor ``off``.
    """
    timeout: float | None = None
    flags = {"expected-failure": False, "output-varies": False, "run-alone": False}
    timeline = True
    allow: set[str] = set()
    for match in _DIRECTIVE.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        body = match.group("body")
        key, _, value = (part.strip() for part in body.partition("="))
        if key == "timeout":
            timeout = parse_timeout(value, f"{filename}:{line}: timeout")
        elif key in flags and not value:
            flags[key] = True
        elif key == "timeline" and value in ("on", "off"):
            timeline = value == "on"
        elif key == "allow" and value:
            kinds = {kind.strip() for kind in value.split(",")}
            unknown = sorted(kinds.difference(KINDS))
            if unknown:
                raise ValueError(
                    f"{filename}:{line}: unknown house rule {unknown[0]!r} in "
                    f"'# concdoc: allow' (known: {', '.join(KINDS)})"
                )
            allow.update(kinds)
        else:
            raise ValueError(
                f"{filename}:{line}: unknown concdoc directive {body!r} "
                "(known: 'timeout = SECONDS', 'expected-failure', 'output-varies', "
                "'run-alone', 'timeline = on|off', 'allow = KIND')"
            )
    return Directives(
        timeout=timeout,
        expected_failure=flags["expected-failure"],
        output_varies=flags["output-varies"],
        timeline=timeline,
        run_alone=flags["run-alone"],
        allow=frozenset(allow),
    )


def strip_directives(code: str) -> str:
    """``code`` without its ``# concdoc:`` lines, for showing on a page.

    The directives are for the build; a reader needs none of them (the
    downloaded script keeps them: they are comments). Blank lines left at the
    start or end of the block go too; empty when only directives were left.
    """
    kept = [line for line in code.splitlines() if not _DIRECTIVE.fullmatch(line)]
    while kept and not kept[0].strip():
        kept.pop(0)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept) + "\n" if kept else ""


def parse_timeout(value: Any, what: str = "timeout") -> float:
    """Check that ``value`` is a positive, finite number of seconds.

    Parameters
    ----------
    value : object
        A number or a string holding one.
    what : str
        Names the setting in the error message.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``value`` is not a positive finite number.
    """
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a number of seconds, got {value!r}") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"{what} must be a positive number of seconds, got {value!r}")
    return seconds
