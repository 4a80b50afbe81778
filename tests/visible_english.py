"""English prose a reader of a built zh_CN page would see.

Collects the visible text of an HTML page (text nodes plus the attributes a
browser shows: ``title`` and sphinx-gallery's ``tooltip`` on hover, a search
box's ``placeholder``) outside code, preformatted text, program output and
API signatures, then looks for English phrases in it: runs of Latin words
with at least one ordinary lower-case word that is neither an identifier nor
on the small :data:`ALLOWED` list of proper names and terms of art.

Run as a script on a built site to list what it finds::

    python tests/visible_english.py docs/_build/html/zh_CN
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

#: Elements whose content is code, program output or not shown at all.
SKIPPED_TAGS = frozenset(
    {"script", "style", "pre", "code", "kbd", "samp", "math", "svg", "head"}
)
#: Classes marking code, signatures and program output (docutils, Sphinx,
#: sphinx-gallery): their text stays as the program wrote it.
SKIPPED_CLASSES = frozenset(
    {
        "highlight",  # highlighted code
        "pre",  # inline literal
        "sig",  # API signature
        "sphx-glr-script-out",  # an example's output
        "concdoc-output",  # output rendered by concdoc
    }
)
#: Classes of elements whose hover text is program output (a semantics cell
#: that raised shows the exception's message).
OUTPUT_HOVER_CLASSES = frozenset({"concdoc-output-hover"})
#: Attributes a browser shows: tooltips and placeholders.
SHOWN_ATTRIBUTES = ("title", "tooltip", "placeholder")
_VOID = frozenset(
    {
        "area",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "wbr",
    }
)

#: Lower-case words that are not English prose on a Chinese page. Keep it
#: short; each entry is a name that Chinese text writes in Latin letters too.
ALLOWED = frozenset(
    {
        # proper names of the libraries and tools the site uses or teaches,
        # spelt in lower case by their authors
        "asyncio",
        "concdoc",
        "dask",
        "gettext",
        "gevent",
        "greenlet",
        "jieba",
        "matplotlib",
        "msgpack",
        "multiprocessing",
        "pydata",
        "sphinx-build",
        "sphinx-gallery",
        "subprocess",
        # the start methods and the calls that titles write bare (in the
        # sidebar of every page, far from the code that defines them)
        "fork",
        "forkserver",
        "spawn",
        "join",
        "pickle",
        "unlink",
        # proper names written capitalised
        "english",  # the language switcher's label: the other language's name
        "python",
        "linux",
        "unix",
        "windows",
        "sphinx",
        "chrome",  # the browsers and trace viewers that open a trace
        "chromium",
        "perfetto",
        "speedscope",
        "okabe",  # the colour palette (Okabe–Ito) of the charts
        "ito",
        "agg",  # matplotlib's drawing backend
        "wheel",  # the name of Python's package format
        "cpython",  # sys.implementation.name, in the build stamp
        # unit symbols
        "ms",
        "us",
        "µs",
        "ns",
    }
)

#: Proper names of more than one word: the font the charts use, and the
#: titles of CPython's documents that the Chinese text cites by name (they
#: have no Chinese edition to cite instead).
ALLOWED_PHRASES = (
    "Noto Sans CJK SC",
    "JSON Lines",  # a file format
    "Read the Docs",  # the service that hosts the site
    "Chrome Trace Event JSON",  # the trace format concdoc exports
    "Trace Event Format",
    "Joining processes that use queues",
    "Python support for free threading",
    "What's New in Python",
    "What's New",
)

#: A word, with the characters that make it a name kept on: ``task_done``,
#: ``queue.Full``, ``put(``, ``py3``.
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_'’.-]*[A-Za-z0-9_]\(?|[A-Za-z]\(?")
#: A run of Latin words joined by spaces and light punctuation.
_PHRASE = re.compile(
    r"[A-Za-z_][A-Za-z0-9_'’.()-]*(?:[ \t\n,;:/&-]+[A-Za-z_][A-Za-z0-9_'’.()-]*)*"
)
_URL = re.compile(r"\b[a-z]+://\S+")


def _is_name(word: str, code_words: frozenset[str]) -> bool:
    """Names, not prose: identifiers, CamelCase, ALLCAPS, units, code words,
    and words joined by hyphens that are each code (``for-in``)."""
    core = word.rstrip("(")
    parts = core.split("-")
    if len(parts) > 1 and all(p in code_words for p in parts):
        return True
    return (
        len(core) < 2
        or word.endswith("(")  # a call: put(
        or any(c in core for c in "_.0123456789")
        or core.isupper()
        or any(c.isupper() for c in core[1:])  # CamelCase
        or core.lower() in ALLOWED
        or core in code_words
    )


def english_phrases(text: str, code_words: frozenset[str] = frozenset()) -> list[str]:
    """The English phrases in one piece of visible text.

    A phrase counts when one of its words is prose: neither a name the
    site writes as code (``fork``, ``Pool``), nor an identifier by its
    shape (``task_done``, ``LifoQueue``, ``GIL``), nor on :data:`ALLOWED`.
    """
    found = []
    text = _URL.sub(" ", text)
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, " ")
    for match in _PHRASE.finditer(text):
        phrase = match.group()
        words = _WORD.findall(phrase)
        prose = [w for w in words if not _is_name(w, code_words)]
        if prose:
            found.append(phrase)
    return found


#: Classes of text inside code that is prose, not names: comments (Pygments)
#: and program output. Their words do not make a word a name.
_NOT_NAMES = frozenset({"c", "c1", "cm", "ch", "cs", "sd", "sphx-glr-script-out"})
#: Pygments' classes of string literals: a string is a name (``"spawn"``)
#: only when it is one word.
_STRINGS = frozenset({"s", "s1", "s2", "sa", "sb", "sc", "sh", "sx", "sr", "ss"})


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        #: per open element: (skipped, prose inside code, string literal)
        self.stack: list[tuple[bool, bool, bool]] = []
        #: the fragment of each open link (``#typing.Literal``)
        self.links: list[str] = []
        self.pieces: list[str] = []
        self.code: list[str] = []
        self.strings: list[str] = []

    def _inside(self, index: int) -> bool:
        return any(state[index] for state in self.stack)

    def _shown(self, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.pieces += [v for k in SHOWN_ATTRIBUTES if (v := values.get(k))]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        skipped = tag in SKIPPED_TAGS or bool(classes & SKIPPED_CLASSES)
        if not (self._inside(0) or skipped or classes & OUTPUT_HOVER_CLASSES):
            self._shown(attrs)
        if tag == "a":
            self.links.append((dict(attrs).get("href") or "").rpartition("#")[2])
        if tag not in _VOID:
            self.stack.append(
                (skipped, bool(classes & _NOT_NAMES), bool(classes & _STRINGS))
            )

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._inside(0):
            self._shown(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            self.links.pop()
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.links and self.links[-1].endswith("." + data.strip()):
            self.code.append(data)  # a link to an API object: its name
        elif not self._inside(0):
            if data.strip():
                self.pieces.append(data)
        elif self._inside(1):
            pass
        elif self._inside(2):
            if re.fullmatch(r"\W*\w+\W*", data):
                self.strings.append(data)
        else:
            self.code.append(data)


@dataclass
class Page:
    """What one page shows, and the words it writes as code."""

    pieces: list[str]  # visible text outside code and output
    names: frozenset[str]  # words of its code, comments and output left out
    strings: frozenset[str]  # one-word string literals of its code ("spawn")


def _words(texts: list[str]) -> frozenset[str]:
    """Names in code: dotted names whole, and the class at the end of one
    (``multiprocessing.Pool`` names ``Pool``, not ``blocks`` of
    ``concdoc.blocks``)."""
    words = set()
    for text in texts:
        for word in re.findall(r"[A-Za-z_][\w.]*\w|[A-Za-z_]", text):
            words.add(word)
            last = word.rpartition(".")[2]
            if last[:1].isupper():
                words.add(last)
    return frozenset(words)


def read(html: str) -> Page:
    """Parse one page."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return Page(parser.pieces, _words(parser.code), _words(parser.strings))


def pages(root: Path) -> Iterator[Path]:
    """Every HTML page of a built site (not the downloads or sources)."""
    for path in sorted(root.rglob("*.html")):
        if not {"_static", "_sources", "_downloads", "_images"} & set(
            path.relative_to(root).parts
        ):
            yield path


def scan(root: Path) -> dict[str, list[str]]:
    """Page (relative to ``root``) to the English phrases visible on it.

    A word counts as a name on a page when that page writes it as code, or
    when any page of the site does outside a string literal (the API page
    names ``outcome``; a one-word string, ``"blocks"``, is a name only on
    its own page).
    """
    read_pages = {
        path.relative_to(root).as_posix(): read(path.read_text(encoding="utf-8"))
        for path in pages(root)
    }
    site_names = frozenset().union(*(page.names for page in read_pages.values()))
    found = {}
    for name, page in read_pages.items():
        names = site_names | page.strings
        phrases = [p for piece in page.pieces for p in english_phrases(piece, names)]
        if phrases:
            found[name] = phrases
    return found


if __name__ == "__main__":
    report = scan(Path(sys.argv[1]))
    for page, phrases in report.items():
        print(f"{page}: {len(phrases)}")
        for phrase in phrases:
            print(f"    {phrase[:100]!r}")
    total = sum(map(len, report.values()))
    print(f"{total} English phrase(s) on {len(report)} page(s)")
