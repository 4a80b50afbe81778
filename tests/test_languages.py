"""The languages table: one entry per language, read by the docs scripts."""

from __future__ import annotations

import runpy
import sys
from dataclasses import replace

import pytest
from conftest import DOCS

from concdoc import languages
from concdoc.languages import CODES, SOURCE, TRANSLATED, find, is_chinese, is_cjk


@pytest.mark.parametrize("spelling", ["zh_CN", "zh-cn", "ZH-CN", "zh"])
def test_every_spelling_finds_simplified_chinese(spelling):
    found = find(spelling)
    assert found is not None and found.code == "zh_CN"
    assert is_chinese(spelling) and is_cjk(spelling)


def test_unknown_codes_find_nothing_and_english_is_the_source():
    assert find("fr") is None and find("") is None and find(None) is None
    assert not is_cjk("fr") and not is_cjk("en") and not is_chinese("en")
    assert SOURCE == "en" == CODES[0] and "en" not in TRANSLATED
    assert [find(code).code for code in CODES] == list(CODES)


def test_a_new_entry_reaches_the_build_the_catalogues_and_the_switch(monkeypatch):
    """Adding a language is one entry: the docs scripts take it from the table."""
    japanese = replace(languages.LANGUAGES[1], code="ja", rtd_code="ja", label="日本語")
    table = (*languages.LANGUAGES, japanese)
    monkeypatch.setattr(languages, "LANGUAGES", table)
    monkeypatch.setattr(languages, "CODES", tuple(lang.code for lang in table))
    monkeypatch.setattr(languages, "TRANSLATED", languages.CODES[1:])
    monkeypatch.chdir(DOCS)
    monkeypatch.syspath_prepend(str(DOCS))
    for name in ("build", "i18n"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    build = runpy.run_path(str(DOCS / "build.py"), run_name="not_main")
    assert build["LANGUAGES"] == ("en", "zh_CN", "ja")
    assert any("language=ja" in arg for arg in build["command"]("ja", []))
    i18n = runpy.run_path(str(DOCS / "i18n.py"), run_name="not_main")
    assert i18n["LANGUAGES"] == ("zh_CN", "ja")
    monkeypatch.delenv("READTHEDOCS_VERSION", raising=False)
    monkeypatch.setenv("READTHEDOCS_LANGUAGE", "ja")
    conf = runpy.run_path(str(DOCS / "conf.py"))
    assert conf["language"] == "ja"
    assert conf["concdoc_timeline_languages"] == ["en", "zh_CN", "ja"]

    class App:
        class config:  # stands in for Sphinx's application
            language = "ja"

        class env:
            found_docs = {"index"}

    context: dict = {}
    conf["_language_switch"](App, "index", None, context, None)
    assert [(s["label"], s["url"]) for s in context["concdoc_language_switches"]] == [
        ("English", "../en/index.html"),
        ("简体中文", "../zh_CN/index.html"),
    ]


def test_the_timeline_is_labelled_in_every_language_of_the_table():
    """The build checks timeline languages against the table, without
    importing matplotlib: the chart must know every one of them."""
    from concdoc.plot import LANGUAGES as LABELLED

    assert set(CODES) <= set(LABELLED)
