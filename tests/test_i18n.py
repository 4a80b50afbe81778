"""The Chinese site: complete catalogues, glossary, search, switcher, stamps.

The catalogue checks need no build; the site checks share the session's
two-language build (``built_site`` in conftest.py) with test_sphinxext.py and
test_sphinxext_i18n.py, which tests the translated build's shortcuts.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from conftest import DOCS, LANGUAGES

from concdoc.stamps import build_stamp, probe_stamp


def _load_i18n():
    spec = importlib.util.spec_from_file_location("docs_i18n", DOCS / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


i18n = _load_i18n()
CATALOGUES = i18n.catalogues("zh_CN")

# --- catalogues -----------------------------------------------------------


def test_there_is_a_catalogue_per_document():
    assert "index" in CATALOGUES and "guide/how-examples-run" in CATALOGUES
    assert any(doc.startswith("auto_examples/pools/") for doc in CATALOGUES)


@pytest.mark.parametrize("doc", sorted(CATALOGUES))
def test_catalogue_is_complete(doc):
    po = polib.pofile(str(CATALOGUES[doc]))
    untranslated = [e.msgid[:80] for e in po.untranslated_entries()]
    fuzzy = [e.msgid[:80] for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {doc}: {untranslated}"
    assert not fuzzy, f"fuzzy in {doc}: {fuzzy}"
    assert not po.metadata_is_fuzzy, f"{doc}: the header is marked fuzzy"
    assert po.percent_translated() == 100


@pytest.mark.parametrize("doc", sorted(CATALOGUES))
def test_msgfmt_check_is_clean(doc):
    if shutil.which("msgfmt") is None:
        if os.environ.get("CI"):
            pytest.fail("msgfmt missing: .ci/run installs Debian's gettext")
        pytest.skip("msgfmt not installed (apt-get install gettext)")
    proc = subprocess.run(
        ["msgfmt", "-c", "-o", os.devnull, str(CATALOGUES[doc])],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0 and not proc.stderr, proc.stderr


@pytest.mark.slow
def test_catalogues_match_the_sources(tmp_path):
    """Every message of freshly generated templates has a translation: this
    catches new or changed English text, new pages included."""
    templates = i18n.build_templates(tmp_path / "gettext")
    gaps = i18n.gaps(templates, "zh_CN")
    report = "\n".join(map(str, gaps))
    assert not gaps, f"{len(gaps)} message(s) to translate (tox -e i18n):\n{report}"
    stale = sorted(
        set(CATALOGUES) - set(i18n.templates(templates)) - i18n.NOT_DOCUMENTS
    )
    assert not stale, f"catalogues of documents that are gone: {stale}"


def test_stale_catalogues_are_removed(tmp_path):
    (tmp_path / "pot" / "guide").mkdir(parents=True)
    (tmp_path / "pot" / "guide" / "kept.pot").write_text("")
    po_dir = tmp_path / "locales" / "zh_CN" / "LC_MESSAGES"
    for name in ("guide/kept", "guide/gone", "old/page", "sphinx"):
        (po_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (po_dir / name).with_suffix(".po").write_text("")
    removed = i18n.remove_stale(tmp_path / "pot", "zh_CN", tmp_path / "locales")
    assert sorted(removed) == ["guide/gone", "old/page"]
    assert sorted(i18n.catalogues("zh_CN", tmp_path / "locales")) == [
        "guide/kept",
        "sphinx",
    ]
    assert not (po_dir / "old").exists()


def test_gaps_are_reported_per_message(tmp_path):
    pot = tmp_path / "pot" / "guide" / "new.pot"
    pot.parent.mkdir(parents=True)
    catalogue = polib.POFile()
    for msgid in ("Old text", "New text"):
        catalogue.append(polib.POEntry(msgid=msgid))
    catalogue.save(str(pot))
    po_dir = tmp_path / "locales" / "zh_CN" / "LC_MESSAGES" / "guide"
    po_dir.mkdir(parents=True)
    translated = polib.POFile()
    translated.append(polib.POEntry(msgid="Old text", msgstr="旧文本"))
    translated.save(str(po_dir / "new.po"))
    gaps = i18n.gaps(tmp_path / "pot", "zh_CN", tmp_path / "locales")
    assert [str(g) for g in gaps] == ["guide/new: missing: New text"]
    (po_dir / "new.po").unlink()
    gaps = i18n.gaps(tmp_path / "pot", "zh_CN", tmp_path / "locales")
    assert {g.problem for g in gaps} == {"no catalogue"}


# --- glossary ---------------------------------------------------------------

#: English pattern (matched after code, roles and links are removed) -> the
#: glossary's Chinese term (DEVELOPERS.md). "block" alone mostly means a code
#: block here, so only its verb forms count.
_BLOCK = r"\bblock(?:ing|ed)\b|\bblocks? (?:until|forever|on)\b|\b(?:would|can) block\b"
GLOSSARY = {
    _BLOCK: "阻塞",
    r"\btime-?outs?\b": "超时",
    r"\bqueues?\b": "队列",
    r"\bproducers?\b": "生产者",
    r"\bconsumers?\b": "消费者",
    r"\bthreads?\b": "线程",
    r"\bprocess(?:es)?\b": "进程",
    r"\bpipes?\b": "管道",
    r"\bmanagers?\b": "管理器",
    r"\bshared memory\b": "共享内存",
    r"\bcoroutines?\b": "协程",
    r"\bmonkey[- ]patch(?:ing|ed|es)?\b": "猴子补丁",
    r"\bstart methods?\b": "启动方式",
    r"\bsentinels?\b": "哨兵值",
    r"\bdeadlocks?\b": "死锁",
    r"\brace conditions?\b": "竞态条件",
    r"\bevent loops?\b": "事件循环",
    r"\brais(?:e|es|ed|ing)\b": "引发",
    r"^Broken\b": "错误写法",
    r"^Fixed\b": "正确写法",
    r"\bfeeder threads?\b": "馈送线程",
    r"(?-i:\block(?:s|ed)?\b)": "锁",  # lower case: ``Lock`` is a class's name
    r"\bcondition variables?\b": "条件变量",
    r"\bread-modify-write\b": "读-改-写",
    r"\battach(?:es|ed|ing)?\b": "连接",
}
#: Renderings the glossary rules out: variant -> the glossary's term.
FORBIDDEN = {
    "抛出": "引发",
    "feeder 线程": "馈送线程",
    "错误示例": "错误写法",
    "错误示范": "错误写法",
    "修正写法": "正确写法",
    "读改写": "读-改-写",
    "读取—修改—写入": "读-改-写",
    "读取-修改-写入": "读-改-写",
}
#: (document, start of the English message, Chinese term) -> why the term
#: is not in the translation.
GLOSSARY_EXCEPTIONS: dict[tuple[str, str, str], str] = {
    ("reference/errata", "Manager支持的类型有", "队列"): (
        "a quotation of the seed note, in its own words: its 'Queue' is a type name"
    ),
    ("guide/api", "Not attached to pyplot", "连接"): (
        "a figure attached to pyplot (关联), not a process attaching to shared memory"
    ),
    (
        "auto_examples/sync_processes/process_event",
        "``multiprocessing.Event``",
        "引发",
    ): ("set() raises a flag (设置): no exception"),
    ("auto_examples/sync_threads/bounded_semaphore_broken", "Broken: one", "引发"): (
        "a release() too many raises the limit (抬高): no exception"
    ),
}
#: Code, roles, links and dotted names (``multiprocessing.Queue``): not prose.
_CODE = re.compile(
    r"``.+?``|:[\w:.-]+:`[^`]*`|\{[\w:-]+\}`[^`]*`|`[^`]*`_?|\b\w+(?:\.\w+)+\b"
)


def _glossary_misses() -> list[str]:
    misses = []
    for doc, path in CATALOGUES.items():
        for entry in polib.pofile(str(path)).translated_entries():
            if entry.msgstr == entry.msgid:
                continue  # quoted as it is (the seed note's Chinese): no translation
            english = _CODE.sub(" ", entry.msgid)
            for pattern, term in GLOSSARY.items():
                if not re.search(pattern, english, re.IGNORECASE):
                    continue
                if term in entry.msgstr:
                    continue
                if any(
                    d == doc and entry.msgid.startswith(start) and t == term
                    for d, start, t in GLOSSARY_EXCEPTIONS
                ):
                    continue
                misses.append(f"{doc}: {term!r} missing from: {entry.msgstr[:70]}")
    return misses


def test_translations_use_the_glossary():
    misses = _glossary_misses()
    assert not misses, "\n".join(misses)


def test_translations_avoid_the_variants_the_glossary_rules_out():
    found = [
        f"{doc}: {variant!r} (use {term!r}): {entry.msgstr[:60]}"
        for doc, path in CATALOGUES.items()
        for entry in polib.pofile(str(path)).translated_entries()
        for variant, term in FORBIDDEN.items()
        if variant in _CODE.sub(" ", entry.msgstr)  # code may name a variant
    ]
    assert not found, "\n".join(found)


def test_the_glossary_test_catches_a_variant_and_a_missing_term():
    english = _CODE.sub(" ", "Broken: ``q.get()`` raises when the lock is held")
    hits = [term for pattern, term in GLOSSARY.items() if re.search(pattern, english)]
    assert hits == ["引发", "错误写法", "锁"]
    assert "抛出" in FORBIDDEN and "feeder 线程" in FORBIDDEN


def _unneeded_exceptions(
    exceptions: dict[tuple[str, str, str], str],
) -> list[tuple[str, str, str]]:
    """The exceptions without a reason, whose message is gone, or whose
    translation now uses the term after all."""
    unneeded = []
    for (doc, start, term), reason in exceptions.items():
        entries = [
            e for e in polib.pofile(str(CATALOGUES[doc])) if e.msgid.startswith(start)
        ]
        if not reason or not entries or any(term in e.msgstr for e in entries):
            unneeded.append((doc, start, term))
    return unneeded


def test_glossary_exceptions_are_still_needed():
    assert _unneeded_exceptions(GLOSSARY_EXCEPTIONS) == []


def test_an_unneeded_glossary_exception_is_reported():
    """The check above finds what it looks for (the real table may be empty)."""
    doc, entry, term = next(
        (doc, entry, term)
        for doc, path in sorted(CATALOGUES.items())
        for entry in polib.pofile(str(path)).translated_entries()
        for term in GLOSSARY.values()
        if term in entry.msgstr
    )
    start = entry.msgid[:30]
    made_up = {
        (doc, start, term): "the translation uses the term",
        (doc, "No message starts like this", term): "the message is gone",
        (doc, start, "不在译文中的词"): "",  # no reason given
    }
    assert _unneeded_exceptions(made_up) == list(made_up)


# --- cross-references by section title -----------------------------------

#: A reference to a gallery page followed by the title of one of its sections:
#: ``{ref}`sphx_glr_auto_examples_CHAPTER_NAME.py`（“TITLE”一节）``.
_SECTION_REF = re.compile(
    r"sphx_glr_auto_examples_(?P<page>\w+?)\.py`\s*（“(?P<title>[^”]+)”一节）"
)


def _gallery_catalogue(page: str) -> str | None:
    for doc in CATALOGUES:
        if doc.startswith("auto_examples/") and doc[14:].replace("/", "_") == page:
            return doc
    return None


def test_sections_named_in_chinese_exist_in_chinese():
    """A translation that sends the reader to a section by its title names
    the title that section has in Chinese."""
    dead, checked = [], 0
    for doc, path in CATALOGUES.items():
        for entry in polib.pofile(str(path)).translated_entries():
            for match in _SECTION_REF.finditer(entry.msgstr):
                target = _gallery_catalogue(match["page"])
                assert target, f"{doc}: no page {match['page']}"
                titles = {e.msgstr for e in polib.pofile(str(CATALOGUES[target]))}
                checked += 1
                if match["title"] not in titles:
                    dead.append(f"{doc}: “{match['title']}” is not a title in {target}")
    assert checked >= 2
    assert not dead, "\n".join(dead)


# --- stamps (concdoc.stamps words them; tests/test_stamps.py) ----------------


def test_machine_dependent_stamps_reach_no_catalogue():
    python = platform.python_version()
    assert python in probe_stamp("en") and python in build_stamp("zh_CN")
    for path in CATALOGUES.values():
        assert not any(python in e.msgid for e in polib.pofile(str(path)))


# --- conf.py: language and switcher URLs ------------------------------------


def _conf(monkeypatch, **env: str) -> dict:
    for name in ("READTHEDOCS_LANGUAGE", "READTHEDOCS_VERSION"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(DOCS)
    return runpy.run_path(str(DOCS / "conf.py"))


@pytest.mark.parametrize(
    "rtd_language, language", [("", "en"), ("en", "en"), ("zh-cn", "zh_CN")]
)
def test_read_the_docs_project_language_picks_the_site(
    monkeypatch, rtd_language, language
):
    env = {"READTHEDOCS_LANGUAGE": rtd_language} if rtd_language else {}
    assert _conf(monkeypatch, **env)["language"] == language


def test_switcher_urls_locally_and_on_read_the_docs(monkeypatch):
    url = _conf(monkeypatch)["_other_language_url"]
    assert url("index", "zh_CN", True) == "../zh_CN/index.html"
    assert url("guide/cli", "zh_CN", True) == "../../zh_CN/guide/cli.html"
    assert url("guide/gone", "en", False) == "../../en/index.html"
    url = _conf(monkeypatch, READTHEDOCS_VERSION="latest")["_other_language_url"]
    # /en/latest/guide/cli.html -> /zh-cn/latest/guide/cli.html
    assert url("guide/cli", "zh_CN", True) == "../../../zh-cn/latest/guide/cli.html"
    assert url("a/b/c", "en", False) == "../../../../en/latest/index.html"


# --- the built sites --------------------------------------------------------

_SKIP = {"_static", "_sources", "_downloads", "_images", "_modules"}


def _pages(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.html")
        if not _SKIP & set(p.relative_to(root).parts)
    )


@pytest.mark.slow
def test_the_second_language_runs_no_example(built_site):
    assert built_site.regenerated["zh_CN"] == []


@pytest.mark.slow
def test_every_page_exists_in_both_languages(built_site):
    en, zh = (_pages(built_site.root(lang)) for lang in LANGUAGES)
    assert en == zh
    assert "auto_examples/pools/pool_map.html" in en and len(en) > 20


_SWITCH = re.compile(r'class="nav-link concdoc-language-switch" href="([^"]+)"')


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_links_to_itself_in_the_other_language(built_site, language):
    other = next(code for code in LANGUAGES if code != language)
    root = built_site.root(language)
    for page in _pages(root):
        links = set(_SWITCH.findall((root / page).read_text(encoding="utf-8")))
        assert len(links) == 1, f"{language}/{page}: switcher links {links}"
        target = ((root / page).parent / links.pop()).resolve()
        assert target == (built_site.root(other) / page).resolve(), page
        assert target.is_file()


def _search_index(root: Path) -> dict:
    text = (root / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


@pytest.mark.slow
def test_chinese_search_finds_blocking_and_timeouts(built_site):
    index = _search_index(built_site.root("zh_CN"))
    docnames = index["docnames"]
    for word in ("阻塞", "超时", "队列", "哨兵值"):  # 哨兵值: from search-words.txt
        assert word in index["terms"], word
    hits = index["terms"]["阻塞"]
    hits = [hits] if isinstance(hits, int) else hits
    assert any("queues" in docnames[i] for i in hits)


@pytest.mark.slow
def test_pages_are_in_chinese_with_localised_stamps(built_site):
    zh = built_site.root("zh_CN")
    home = (zh / "index.html").read_text(encoding="utf-8")
    assert 'lang="zh-CN"' in home
    assert re.search(r"运行于 \w+ \w+，\d{4}年\d{1,2}月\d{1,2}日", home)
    page = (zh / "auto_examples/pools/pool_map.html").read_text(encoding="utf-8")
    assert "脚本总运行时间" in page and re.search(r"\d+ 分 \d+\.\d{3} 秒", page)
    assert "Total running time" not in page
    en_home = (built_site.root("en") / "index.html").read_text(encoding="utf-8")
    assert re.search(r"on \w+ \w+, [A-Z][a-z]+ \d{1,2}, \d{4}", en_home)


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_builds_have_no_warnings(built_site, language):
    """A translation that breaks the markup (say ``code``后 with no space in
    reST, or a lost role) shows up as a warning of the translated build."""
    warnings = [
        line for line in built_site.stderr[language].splitlines() if "WARNING" in line
    ]
    assert not warnings, "\n".join(warnings)


@pytest.mark.slow
def test_timelines_are_drawn_per_language(built_site):
    """Each site shows the timeline drawn in its own language (one execution)."""
    page = Path("auto_examples/thread_queues/bounded_queue_blocking_put.html")
    shown = {}
    for language in ("en", "zh_CN"):
        html = (built_site.root(language) / page).read_text(encoding="utf-8")
        sources = re.findall(
            r'<img[^>]+src="([^"]*bounded_queue_blocking_put_\d+[^"]*)"', html
        )
        assert sources, f"{language}: no timeline on {page}"
        shown[language] = (
            built_site.root(language) / page.parent / sources[-1]
        ).resolve()
    assert shown["zh_CN"].name.endswith(".zh_CN.png"), shown["zh_CN"]
    assert not shown["en"].name.endswith(".zh_CN.png"), shown["en"]
    assert shown["en"].read_bytes() != shown["zh_CN"].read_bytes()


@pytest.mark.slow
def test_every_chinese_page_is_in_chinese(built_site):
    """Each page's text is translated, gallery pages included (a catalogue
    that the build does not find leaves its page silently in English)."""
    zh = built_site.root("zh_CN")
    english = []
    for page in sorted(zh.rglob("*.html")):
        relative = page.relative_to(zh).as_posix()
        if relative.startswith(("_", "genindex", "search", "py-modindex")):
            continue
        html = page.read_text(encoding="utf-8")
        article = html[html.find("<article") : html.rfind("</article>")]
        prose = re.sub(
            r"<pre.*?</pre>|<code.*?</code>|<[^>]+>", " ", article, flags=re.S
        )
        if len(re.findall(r"[\u4e00-\u9fff]", prose)) < 20:
            english.append(relative)
    assert english == []


@pytest.mark.slow
def test_no_english_prose_is_visible_on_chinese_pages(built_site):
    """Every page of the zh_CN site shows Chinese, apart from code, program
    output, identifiers and proper names (tests/visible_english.py says how
    they are told apart): thumbnails, tables, theme words and hovers too."""
    from visible_english import scan

    found = scan(built_site.root("zh_CN"))
    report = [f"{page}: {phrases}" for page, phrases in found.items()]
    total = sum(map(len, found.values()))
    assert total == 0, f"{total} English phrase(s) on {len(found)} page(s):\n" + (
        "\n".join(report)
    )


def test_the_english_scan_tells_prose_from_names():
    from visible_english import english_phrases, read

    page = read(
        '<p>调用 <code><span class="pre">multiprocessing.Pool</span></code> 会 block，'
        "然后 raises queue.Full after 0.05 s。</p>"
        '<div title="Search the docs"></div><pre>plain English output</pre>'
        '<abbr class="concdoc-output-hover" title="exception message">引发</abbr>'
        '<a href="x.html#typing.Literal">Literal</a><p>Pool 与 More</p>'
    )
    assert "Search the docs" in page.pieces and "exception message" not in page.pieces
    phrases = [p for piece in page.pieces for p in english_phrases(piece, page.names)]
    assert phrases == ["block", "raises queue.Full after", "Search the docs", "More"]
    assert (
        english_phrases("用 spawn 启动 asyncio、gevent 与 LifoQueue，Python 3.11") == []
    )
