"""concdoc.sphinxext.i18n: the translated build's shortcuts.

One test compares the zh_CN site of the session's two-language build
(``built_site`` in conftest.py) with one built the way Sphinx does by itself.
"""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest


def test_each_translated_message_is_parsed_once_per_document(monkeypatch):
    """The second request for a message gets a copy of the first parse."""
    from docutils import nodes
    from sphinx.transforms import i18n as sphinx_i18n

    from concdoc.sphinxext import i18n as glue

    calls = []

    def parse(source, source_path, source_line, **kwargs):
        calls.append((source, source_path, source_line))
        return nodes.paragraph(source, "", nodes.Text(source))

    monkeypatch.setattr(sphinx_i18n, "_publish_msgstr", parse)
    monkeypatch.setitem(glue._PARSE_ONCE, "on", True)
    glue.parse_translations_once()
    publish = sphinx_i18n._publish_msgstr
    first = publish("队列", "a.rst", 3, settings=None)
    second = publish("队列", "a.rst", 3, settings=None)
    assert len(calls) == 1
    assert second is not first and second.pformat() == first.pformat()
    first += nodes.Text("changed by the transform")  # what Sphinx may do
    assert publish("队列", "a.rst", 3).astext() == "队列"  # copies are independent
    publish("阻塞", "a.rst", 4)
    publish("队列", "b.rst", 3)  # another document
    publish("队列", "a.rst", 3)  # a's parses were dropped
    assert len(calls) == 4
    glue.parse_translations_once()  # installing twice wraps once
    assert sphinx_i18n._publish_msgstr is publish
    glue.read_reparse(None, SimpleNamespace(concdoc_i18n_reparse=True))
    publish("阻塞", "b.rst", 4)
    publish("阻塞", "b.rst", 4)
    assert len(calls) == 6


@pytest.mark.slow
def test_parsing_each_message_once_builds_the_same_chinese_site(built_site, tmp_path):
    """Page for page, byte for byte, the zh_CN site is the one Sphinx builds
    when it parses every translated message twice, as it does by itself."""
    from conftest import STRICT, sphinx_build

    proc = sphinx_build(
        built_site.docs,
        tmp_path / "html",
        *STRICT,
        "-D",
        "language=zh_CN",
        "-D",
        "concdoc_i18n_reparse=1",
        "-d",  # beside the site's doctrees: the same queue-semantics probe results
        str(built_site.html.parent / "doctrees" / "zh_CN-reparsed"),
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    ours = built_site.root("zh_CN")
    pages = sorted(p.relative_to(ours) for p in ours.rglob("*.html"))
    assert pages == sorted(
        p.relative_to(tmp_path / "html") for p in (tmp_path / "html").rglob("*.html")
    )
    differ = [
        str(page)
        for page in pages
        if (ours / page).read_bytes() != (tmp_path / "html" / page).read_bytes()
    ]
    assert differ == []
    assert (ours / "searchindex.js").read_bytes() == (
        tmp_path / "html" / "searchindex.js"
    ).read_bytes()


def test_the_chinese_dictionary_loads_only_when_a_page_is_split(monkeypatch):
    from sphinx.search import zh

    from concdoc.sphinxext import i18n as glue

    calls = []
    monkeypatch.setattr(zh, "jieba_load_userdict", lambda path: calls.append(path))
    monkeypatch.setattr(zh, "cut_for_search", lambda text, HMM=True: iter(text))
    glue.load_dictionary_when_needed()
    glue.load_dictionary_when_needed()  # installing twice wraps once
    search = zh.SearchChinese({"dict": __file__})
    assert calls == []  # the builder made its index: nothing loaded yet
    assert search.split("队列") == ["队", "列"]
    assert calls == [__file__]
    search.split("阻塞")
    assert calls == [__file__]  # once


def test_a_chinese_build_loads_the_word_splitter_early(monkeypatch):
    """jieba's dictionary loads in a thread from builder-inited; joined at the end.

    jieba's loader is replaced by one that records where it ran, and the list
    of threads starts empty: no earlier test (nor jieba loaded by one) counts.
    """
    from types import SimpleNamespace

    import jieba

    from concdoc.sphinxext import i18n as glue

    loads: list[str] = []
    monkeypatch.setattr(
        jieba, "initialize", lambda: loads.append(threading.current_thread().name)
    )
    monkeypatch.setattr(glue, "_WORD_SPLITTERS", [])

    def app(language, builder_format="html"):
        config = SimpleNamespace(html_search_language=None, language=language)
        return SimpleNamespace(
            config=config, builder=SimpleNamespace(format=builder_format)
        )

    glue.preload_word_splitter(app("en"))
    glue.preload_word_splitter(app("zh_CN", "latex"))
    glue.join_word_splitters(None, None)
    assert loads == []
    glue.preload_word_splitter(app("zh_CN"))
    assert [t.name for t in glue._WORD_SPLITTERS] == ["concdoc-jieba"]
    glue.join_word_splitters(None, None)
    assert glue._WORD_SPLITTERS == []
    assert loads == ["concdoc-jieba"]  # loaded on its own thread, which has ended
