"""The translated build: Chinese search repaired, three costs taken off its path.

:func:`setup_chinese` runs in Chinese builds only (importing Sphinx's Chinese
search language imports jieba, a third of a second): English builds never
pay for it.
"""

from __future__ import annotations

import threading
from typing import Any

from docutils import nodes
from sphinx import search as sphinx_search
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms import i18n as sphinx_i18n

from concdoc.languages import is_chinese
from concdoc.sphinxext.seam import available, chinese_search_is_broken


def setup_chinese() -> None:
    """Repair the Chinese search and load its dictionary only when needed."""
    fix_chinese_search()
    load_dictionary_when_needed()


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
    from sphinx.search import zh

    minified = sphinx_search._MINIFIED_JS_PATH
    language = zh.SearchChinese
    language.js_stemmer_code = "\n".join(
        (
            (minified / "base-stemmer.js").read_text(encoding="utf-8"),
            (minified / "english-stemmer.js").read_text(encoding="utf-8"),
            "window.Stemmer = EnglishStemmer;",
        )
    )
    language.js_stemmer_rawcode = ""


def load_dictionary_when_needed() -> None:
    """Load jieba's dictionary when the first page is indexed, not before.

    Sphinx's Chinese search language loads jieba's dictionary, with the
    site's own words, as soon as the HTML builder prepares to write: 0.7 s
    or more, even when no page changed and the search index is only read
    back and written again. Here the loading waits for the first text to
    split; the index is the same.
    """
    from sphinx.search import zh

    pieces = ("jieba_load_userdict", "cut_for_search")
    if not all(available(f"sphinx.search.zh.{name}") for name in pieces):
        return
    if getattr(zh.cut_for_search, "concdoc_deferred", False):
        return
    load, cut = zh.jieba_load_userdict, zh.cut_for_search
    pending: list[str] = []
    lock = threading.Lock()

    def load_userdict(path: str) -> None:
        with lock:
            pending.append(path)

    def cut_for_search(*args: Any, **kwargs: Any) -> Any:
        with lock:
            while pending:
                load(pending.pop(0))
        return cut(*args, **kwargs)

    cut_for_search.concdoc_deferred = True  # type: ignore[attr-defined]
    zh.jieba_load_userdict = load_userdict
    zh.cut_for_search = cut_for_search


# --- the translated build: two costs taken off its critical path -----------
#
# Measured on the two-language build of this site (2 cores): the zh_CN build
# ends last, and these are its costs that English does not have.

#: Whether the shortcut is on in this process: ``concdoc_i18n_reparse = True``
#: (``-D concdoc_i18n_reparse=1``) turns it off, so that every translated
#: message is parsed as Sphinx itself does (twice); ``tests/test_i18n.py``
#: builds both ways and compares.
_PARSE_ONCE = {"on": True}


def read_reparse(app: Sphinx, config: Config) -> None:
    """Turn the parse-once shortcut off if the build asks (config-inited)."""
    _PARSE_ONCE["on"] = not config.concdoc_i18n_reparse


def parse_translations_once() -> None:
    """Parse each translated message of a document once, not twice.

    Sphinx's ``Locale`` transform parses every translated message in a first
    pass (to map translated section titles) and, for almost every message,
    again in a second pass, each time with a new parser. The wrapper keeps a
    deep copy of each parse of the current document, keyed by message, file
    and line, and hands out a fresh deep copy for the second request; the
    translated doctree is the same (checked page by page against a build
    with ``concdoc_i18n_reparse = True``). On the zh_CN build of this site the
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
        if not _PARSE_ONCE["on"]:
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
    """Load jieba's dictionary while the Chinese build waits.

    A Chinese search index splits text into words with jieba, which loads a
    dictionary of about 350,000 words the first time it is used: a second
    in the writing phase, at the end of the build. Loaded in a thread while
    the build waits for examples to run (its own, or the other build's),
    it overlaps the wait; jieba's own lock makes a later use wait for it.
    Called by :mod:`concdoc.sphinxext.runs` when there is a wait: a build
    that waits for nothing loads it only if a page needs it.
    """
    language = app.config.html_search_language or app.config.language or ""
    if _WORD_SPLITTERS or app.builder.format != "html" or not is_chinese(language):
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
