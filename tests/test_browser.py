"""The built site in a real browser: headless Debian Chromium driven by Playwright.

Pages are opened straight from disk (``file://``), the way a reader opens a
local build. Every request that is neither ``file://`` nor ``data:`` is
aborted and recorded, so a page that needs the network fails here.

In CI the browser is installed by ``.ci/run``; there, a missing browser is a
failure, not a skip (``CI`` is set).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from concdoc.languages import CODES

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    if os.environ.get("CI"):
        pytest.fail("CI must run the browser test: chromium is not installed")
    pytest.skip("no chromium on this machine", allow_module_level=True)

pytestmark = pytest.mark.slow

LANGUAGES = CODES

# Flags for a headless Chromium on a closed network: no background traffic to
# Google's services, no sandbox (CI runs as root), a fresh profile per launch.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: Pages opened in both languages: the home page, a narrative page, a gallery
#: chapter index and one gallery example per kind of figure.
PAGES = (
    "index.html",
    "guide/how-examples-run.html",
    "auto_examples/index.html",
    "auto_examples/thread_queues/producer_consumer.html",
    "auto_examples/pools/pool_apply_async.html",
    "auto_examples/coroutines/gevent_spawn.html",
)


@dataclass
class PageVisit:
    """What one page load did."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, built_site):
    """Open ``<language>/<page>`` from disk; return the page and what it did."""
    contexts = []

    def _open(language: str, page: str, query: str = ""):
        context = browser.new_context()
        contexts.append(context)
        tab = context.new_page()
        visit = PageVisit()

        def route(route_, request) -> None:
            if request.url.startswith(("file://", "data:", "blob:")):
                route_.continue_()
            else:
                visit.external_requests.append(request.url)
                route_.abort()

        tab.route("**/*", route)

        def console(message) -> None:
            if message.type == "error":
                visit.console_errors.append(message.text)

        tab.on("console", console)
        tab.on("pageerror", lambda e: visit.page_errors.append(str(e)))
        path = built_site.root(language) / page
        assert path.is_file(), f"{language}/{page} was not built"
        tab.goto(path.as_uri() + query, wait_until="load")
        return tab, visit

    yield _open
    for context in contexts:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_page_loads_offline_without_errors(open_page, language, page):
    tab, visit = open_page(language, page)
    broken = tab.evaluate(
        """() => Array.from(document.images)
            .filter(img => !(img.complete && img.naturalWidth > 0))
            .map(img => img.getAttribute('src'))"""
    )
    assert broken == [], f"images that did not load: {broken}"
    assert visit.external_requests == [], "the page needs the network"
    assert visit.page_errors == [], visit.page_errors
    assert visit.console_errors == [], visit.console_errors


@pytest.mark.parametrize(("language", "other"), [("en", "zh_CN"), ("zh_CN", "en")])
@pytest.mark.parametrize("page", PAGES)
def test_language_switcher_leads_to_the_same_page(open_page, language, other, page):
    tab, _ = open_page(language, page)
    hreflang = other.replace("_", "-")  # BCP 47, as in the page's own lang
    switch = tab.locator(f"a.concdoc-language-switch[hreflang='{hreflang}']:visible")
    switch = switch.first
    switch.click()
    tab.wait_for_load_state("load")
    expected = (Path(tab.url.split("#")[0].removeprefix("file://"))).resolve()
    assert expected.parts[-len(Path(page).parts) - 1 :] == (other, *Path(page).parts)
    assert tab.evaluate("document.documentElement.lang").replace("-", "_") in (
        other,
        other.split("_")[0],
    )


@pytest.mark.parametrize(
    ("language", "query"), [("en", "timeout"), ("zh_CN", "超时"), ("zh_CN", "阻塞")]
)
def test_search_finds_pages(open_page, language, query):
    tab, visit = open_page(language, "search.html", f"?q={query}")
    results = tab.locator("#search-results ul.search li")
    results.first.wait_for(timeout=60_000)  # a bound: a loaded machine is slow
    assert results.count() > 0
    assert visit.external_requests == []


# --- layout at 1280 px (issue 16) -------------------------------------------------

#: The width the layout rules are measured at: a common laptop screen.
LAYOUT_WIDTH = 1280
#: A figure may be shown smaller than its natural width by at most this much.
FIGURE_SCALE = 0.85

# What one page breaks: blocks that scroll sideways, `# concdoc:` directives a
# reader can see, figures shown below FIGURE_SCALE of their natural width (an
# image's natural width is its width attribute when it has one: a bitmap
# saved at 2x declares the size it is meant to be shown at), an empty
# primary sidebar, and the header's height (one row of links).
MEASURE = """() => {
  const visible = el => el.offsetParent !== null
      && el.getBoundingClientRect().width > 0;
  const article = document.querySelector('.bd-article') || document.body;
  // a block is a <pre> (scrolling itself or in its div.highlight) or a table
  // in its scrolling wrapper
  const scrolls = el => !!el && el.scrollWidth > el.clientWidth + 1;
  const blocks = Array.from(article.querySelectorAll(
      'pre, .table-wrapper, .pst-scrollable-table-container')).filter(visible);
  const overflowing = blocks
      .filter(el => scrolls(el) || scrolls(el.closest('div.highlight')))
      .map(el => (el.innerText || '').split('\\n')[0].slice(0, 60));
  const directives = Array.from(article.querySelectorAll('pre'))
      .filter(el => visible(el) && /^\\s*# concdoc:/m.test(el.innerText))
      .map(el => el.innerText.split('\\n')[0].slice(0, 60));
  const figures = Array.from(article.querySelectorAll('img'))
      .filter(img => visible(img) && img.naturalWidth > 0
              && !img.closest('.sphx-glr-thumbcontainer'))
      .map(img => {
        const declared = parseFloat(img.getAttribute('width'))
            || parseFloat(img.style.width);
        const natural = declared || img.naturalWidth;
        return {src: img.getAttribute('src'),
                scale: img.getBoundingClientRect().width / natural};
      });
  const sidebar = document.querySelector('.bd-sidebar-primary');
  const emptySidebar = !!sidebar && visible(sidebar)
      && Array.from(sidebar.querySelectorAll('nav a')).filter(visible).length === 0;
  const header = document.querySelector('.bd-header');
  return {blocks: blocks.length, overflowing, directives, figures, emptySidebar,
          header: header ? header.getBoundingClientRect().height : 0};
}"""


def layout_pages(root: Path) -> list[str]:
    """Every page a reader reads: examples, reference and guide pages, home."""
    pages = ["index.html"]
    for folder in ("auto_examples", "reference", "guide"):
        pages += sorted(
            str(p.relative_to(root)) for p in (root / folder).rglob("*.html")
        )
    return pages


def measure_site(browser, root: Path, width: int = LAYOUT_WIDTH) -> dict:
    """Measure every page of one language's site (see MEASURE)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    tab.route(
        "**/*",
        lambda route, request: (
            route.continue_()
            if request.url.startswith(("file://", "data:", "blob:"))
            else route.abort()
        ),
    )
    found: dict = {"pages": 0, "blocks": 0, "overflowing": [], "directives": []}
    found.update(figures=0, small_figures=[], empty_sidebars=[], tall_headers=[])
    try:
        for page in layout_pages(root):
            tab.goto((root / page).as_uri(), wait_until="load")
            result = tab.evaluate(MEASURE)
            found["pages"] += 1
            found["blocks"] += result["blocks"]
            found["overflowing"] += [(page, b) for b in result["overflowing"]]
            if page.startswith("auto_examples/"):  # the guide explains them
                found["directives"] += [(page, d) for d in result["directives"]]
            found["figures"] += len(result["figures"])
            found["small_figures"] += [
                (page, f["src"], round(f["scale"], 2))
                for f in result["figures"]
                if f["scale"] < FIGURE_SCALE
            ]
            if result["emptySidebar"]:
                found["empty_sidebars"].append(page)
            if result["header"] > 90:  # one row is 64 px in this theme
                found["tall_headers"].append((page, result["header"]))
    finally:
        context.close()
    return found


@pytest.fixture(scope="module")
def layout(browser, built_site) -> dict[str, dict]:
    return {lang: measure_site(browser, built_site.root(lang)) for lang in LANGUAGES}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_block_scrolls_sideways_at_1280_px(layout, language):
    found = layout[language]
    assert found["blocks"] > 100, "the example pages were not measured"
    assert found["overflowing"] == [], found["overflowing"][:20]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_concdoc_directive_is_shown(layout, language):
    assert layout[language]["directives"] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_figures_are_shown_at_natural_size(layout, language):
    found = layout[language]
    assert found["figures"] > 20, "the timelines were not measured"
    assert found["small_figures"] == [], found["small_figures"][:20]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_empty_sidebar_and_a_one_row_header(layout, language):
    found = layout[language]
    assert found["empty_sidebars"] == []
    assert found["tall_headers"] == [], found["tall_headers"][:5]


#: The CJK Unified Ideographs block: the characters of the Chinese pages.
CJK = "[\u4e00-\u9fff]"
#: Draws each character on a canvas in the font of the page's body text and
#: compares the pixels with those of U+E000 (private use: no font draws it,
#: so it shows the "missing glyph" box). A Chinese character drawn exactly
#: like that box has no glyph in any font the browser found.
MISSING_GLYPHS = """({text, pattern}) => {
    const canvas = document.createElement("canvas");
    canvas.width = 48;
    canvas.height = 48;
    const ctx = canvas.getContext("2d", {willReadFrequently: true});
    const font = "32px " + getComputedStyle(document.body).fontFamily;
    const pixels = (ch) => {
        ctx.clearRect(0, 0, 48, 48);
        ctx.font = font;
        ctx.textBaseline = "top";
        ctx.fillText(ch, 4, 4);
        return Array.from(ctx.getImageData(0, 0, 48, 48).data).join(",");
    };
    const box = pixels("\\uE000");
    const found = (text || document.body.innerText).match(new RegExp(pattern, "g"));
    const chars = [...new Set(found || [])].slice(0, 300);
    return {
        checked: chars.length,
        missing: chars.filter((ch) => pixels(ch) === box),
    };
}"""


@pytest.mark.parametrize("page", PAGES)
def test_chinese_text_has_glyphs(open_page, page):
    """Every Chinese character on the page is drawn by some font, not as the
    missing-glyph box (on a machine without a CJK font, all of them are)."""
    tab, _ = open_page("zh_CN", page)
    probe = tab.evaluate(MISSING_GLYPHS, {"text": "", "pattern": CJK})
    assert probe["checked"] > 20, "too few Chinese characters on the page"
    assert probe["missing"] == [], (
        f"{len(probe['missing'])} of {probe['checked']} Chinese characters have "
        "no glyph (install a CJK font: .ci/run installs fonts-noto-cjk)"
    )


def test_the_missing_glyph_check_can_fail(open_page):
    """The private-use character is drawn as the missing-glyph box."""
    tab, _ = open_page("zh_CN", "index.html")
    probe = tab.evaluate(
        MISSING_GLYPHS, {"text": "\ue000\ue001", "pattern": "[\ue000-\ue001]"}
    )
    assert probe["checked"] == 2 and len(probe["missing"]) == 2, probe
