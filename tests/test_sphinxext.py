"""concdoc.sphinxext as a whole: its setup, and the site built through it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sphinx
from conftest import ALL_EXAMPLES, EXAMPLES
from sphinx import search as sphinx_search
from sphinx.errors import ExtensionError
from sphinx.search import zh as sphinx_search_zh

from concdoc import sphinxext
from concdoc.blocks import read_directives


def test_setup_checks_the_seam_before_using_it(monkeypatch):
    """A renamed Sphinx name fails the build with the check's message, not an
    ImportError from wherever it is used first."""
    monkeypatch.setattr(
        sphinx_search_zh.SearchChinese, "js_stemmer_rawcode", "english-stemmer.js"
    )
    monkeypatch.setattr(sphinx, "version_info", (9, 0, 4, "final", 0))
    # (Sphinx before 8.2 never had it)
    monkeypatch.delattr(sphinx_search, "_MINIFIED_JS_PATH", raising=False)
    chinese = SimpleNamespace(config=SimpleNamespace(language="zh_CN"))
    with pytest.raises(ExtensionError, match=r"sphinx\.search\._MINIFIED_JS_PATH"):
        sphinxext.setup(chinese)
    sphinxext.check_seam()  # an English build does not use it
    # Sphinx before 9.0 writes a working Chinese search page: not needed there
    monkeypatch.setattr(sphinx, "version_info", (8, 1, 3, "final", 0))
    sphinxext.check_seam(chinese=True)


@pytest.mark.slow
def test_the_site_builds(built_site):
    """The whole site (shared with tests/test_i18n.py): gevent's monkey patching
    and multiprocessing examples share the build, and every worker's lines
    reach the pool page."""
    out = built_site.root("en")
    pool = (out / "auto_examples" / "pools" / "pool_apply_async.html").read_text()
    for name in ("worker", "foo", "bar"):
        for i in range(3):
            assert f"From {name} {i}" in pool
    assert (out / "auto_examples" / "coroutines" / "gevent_spawn.html").is_file()
    assert (out / "guide" / "api.html").is_file()
    # every example marked '# concdoc: output-varies' says so on its page
    marked = [p for p in ALL_EXAMPLES if read_directives(p.read_text()).output_varies]
    assert marked
    for path in ALL_EXAMPLES:
        page = out / "auto_examples" / path.relative_to(EXAMPLES).with_suffix(".html")
        has_note = sphinxext.OUTPUT_VARIES_NOTE in page.read_text()
        assert has_note == (path in marked), (
            f"{path.name}: marked {path in marked}, note on its page {has_note}"
        )
    # every concurrency example ends with its timeline (image 002: 001 is its
    # card's picture) and a link to its trace; opted-out ones have neither
    images = out / "_images"
    assert (images / "sphx_glr_bounded_queue_blocking_put_002.png").is_file()
    assert (images / "sphx_glr_gevent_patched_sleep_002.png").is_file()
    assert not list(images.glob("sphx_glr_queue_kinds_00*.png"))
    traces = {p.name for p in (out / "_downloads").rglob("*.trace.json")}
    assert "sphx_glr_bounded_queue_blocking_put_002.trace.json" in traces
    assert not any(name.startswith("sphx_glr_queue_kinds") for name in traces)
    assert (out / "guide" / "trace-your-own-script.html").is_file()


@pytest.mark.slow
def test_pages_offer_scripts_not_notebooks(built_site):
    """Functions defined in a notebook cell cannot be found by spawn or
    forkserver workers, so no page offers a notebook (examples/README.rst)."""
    out = built_site.root("en")
    page = (out / "auto_examples" / "pools" / "pool_map.html").read_text()
    assert "pool_map.py" in page
    for html in out.rglob("*.html"):
        assert ".ipynb" not in html.read_text(encoding="utf-8"), html
    assert not list(out.rglob("*.ipynb"))
