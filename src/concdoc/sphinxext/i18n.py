"""The translated build: Chinese search repaired, two costs taken off its path."""

from __future__ import annotations

import os
import threading
from typing import Any

from docutils import nodes
from sphinx import search as sphinx_search
from sphinx.application import Sphinx
from sphinx.search import zh as sphinx_search_zh
from sphinx.transforms import i18n as sphinx_i18n

from concdoc.sphinxext.seam import available, chinese_search_is_broken


def fix_chinese_search() -> None:
    """Make Chinese full-text search work in the browser on Sphinx 9.0.

    Sphinx 9.0 ends ``language_data.js`` of a Chinese site with ``window.Stemmer
    = ChineseStemmer``, a class that does not exist: Chinese search uses the
    English stemmer for Latin words. The page's script stops there and every
    search shows "Searching" forever (sphinx-doc/sphinx#14229, fixed upstream
    by #14416, in releases that need Python 3.12). On an affected version the
    Chinese search language gets the stemmer code with the right class name;
    elsewhere nothing changes. ``tests/test_browser.py`` searches for 超时.
    """
    if not chinese_search_is_broken():
        return
    minified = sphinx_search._MINIFIED_JS_PATH
    language = sphinx_search_zh.SearchChinese
    language.js_stemmer_code = "\n".join(
        (
            (minified / "base-stemmer.js").read_text(encoding="utf-8"),
            (minified / "english-stemmer.js").read_text(encoding="utf-8"),
            "window.Stemmer = EnglishStemmer;",
        )
    )
    language.js_stemmer_rawcode = ""


# --- the translated build: two costs taken off its critical path -----------
#
# Measured on the two-language build of this site (2 cores): the zh_CN build
# ends last, and these are its two costs that English does not have.

#: Set ``CONCDOC_I18N_REPARSE=1`` to parse every translated message as Sphinx
#: itself does (twice); ``tests/test_i18n.py`` builds both ways and compares.
_REPARSE_ENV = "CONCDOC_I18N_REPARSE"


def parse_translations_once() -> None:
    """Parse each translated message of a document once, not twice.

    Sphinx's ``Locale`` transform parses every translated message in a first
    pass (to map translated section titles) and, for almost every message,
    again in a second pass, each time with a new parser. The wrapper keeps a
    deep copy of each parse of the current document, keyed by message, file
    and line, and hands out a fresh deep copy for the second request; the
    translated doctree is the same (checked page by page against a build
    with ``CONCDOC_I18N_REPARSE=1``). On the zh_CN build of this site the
    parsing took 1.75-1.8 s instead of 2.2-2.4 s.
    Nothing changes if Sphinx's private function is missing or has another
    signature.
    """
    if not available("sphinx.transforms.i18n._publish_msgstr"):
        return
    original = sphinx_i18n._publish_msgstr
    if getattr(original, "concdoc_parse_once", False):
        return
    kept: dict[tuple[str, str, int], nodes.Element] = {}

    def publish_msgstr(
        source: str, source_path: str, source_line: int, **kwargs: Any
    ) -> nodes.Element:
        if os.environ.get(_REPARSE_ENV) == "1":
            return original(source, source_path, source_line, **kwargs)
        key = (source, source_path, source_line)
        if key in kept:
            return kept[key].deepcopy()
        if kept and next(iter(kept))[1] != source_path:
            kept.clear()  # a new document: the last one's parses are done with
        patch = original(source, source_path, source_line, **kwargs)
        if isinstance(patch, nodes.Element) and not isinstance(patch, nodes.document):
            kept[key] = patch.deepcopy()
        return patch

    publish_msgstr.concdoc_parse_once = True  # type: ignore[attr-defined]
    sphinx_i18n._publish_msgstr = publish_msgstr


_WORD_SPLITTERS: list[threading.Thread] = []


def preload_word_splitter(app: Sphinx) -> None:
    """Load jieba's dictionary while the Chinese build waits (builder-inited).

    A Chinese search index splits text into words with jieba, which loads a
    dictionary of about 350,000 words the first time it is used: a second
    at the start of the writing phase, at the end of the build. Loaded in a
    thread now, it overlaps the examples' runs (or the wait for the other
    build's runs); jieba's own lock makes a later use wait for it.
    """
    language = app.config.html_search_language or app.config.language or ""
    if app.builder.format != "html" or not language.startswith("zh"):
        return
    try:
        import jieba
    except ImportError:
        return  # conf.py says what is missing
    thread = threading.Thread(
        target=jieba.initialize, name="concdoc-jieba", daemon=True
    )
    thread.start()
    _WORD_SPLITTERS.append(thread)


def join_word_splitters(app: Sphinx, exception: Exception | None) -> None:
    while _WORD_SPLITTERS:
        _WORD_SPLITTERS.pop().join()
