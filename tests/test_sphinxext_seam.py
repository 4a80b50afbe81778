"""concdoc.sphinxext.seam: the private names of sphinx-gallery and Sphinx used.

If sphinx-gallery changes the function concdoc replaces, these tests fail
before any page silently loses output.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
import sphinx
import sphinx_gallery
from sphinx.errors import ExtensionError
from sphinx_gallery import gen_rst

from concdoc import sphinxext
from concdoc.sphinxext import render, seam


def test_sphinx_gallery_still_calls_the_replaced_function_by_name():
    assert "execute_script" in gen_rst.generate_file_rst.__code__.co_names
    sphinxext.check_seam()
    original = getattr(
        gen_rst, "_concdoc_original_execute_script", gen_rst.execute_script
    )
    assert list(inspect.signature(original).parameters) == [
        "script_blocks",
        "script_vars",
        "gallery_conf",
        "file_conf",
    ]
    # what the replacement relies on, from sphinx-gallery's side
    assert "{0}" in gen_rst.CODE_OUTPUT
    assert callable(gen_rst.codestr2rst)
    iterator = sphinx_gallery.scrapers.ImagePathIterator("x_{0:03}.png")
    assert iterator.image_path == "x_{0:03}.png" and next(iterator) == "x_001.png"


def test_sphinx_gallery_formats_the_replaced_timing_template(monkeypatch):
    """The running-time line is one fixed, translatable sentence on every page;
    the time is a substitution, worded by the build's language."""
    assert "TIMING_CONTENT" in gen_rst.save_rst_example.__code__.co_names
    # what setup() does, undone after the test
    monkeypatch.setattr(gen_rst, "TIMING_CONTENT", gen_rst.TIMING_CONTENT)
    monkeypatch.setattr(gen_rst, "execute_script", gen_rst.execute_script)
    seam.install()
    assert gen_rst.TIMING_CONTENT is render.TIMING_CONTENT
    text = gen_rst.TIMING_CONTENT.format(1.0, 2.5)
    assert "**Total running time of the script:** |concdoc_run_time|" in text
    assert ".. |concdoc_run_time| concdoc-run-time:: 1 2.500" in text


def test_seam_check_rejects_an_unknown_version(monkeypatch):
    monkeypatch.setattr(sphinx_gallery, "__version__", "0.23.0")
    with pytest.raises(ExtensionError, match="supports sphinx-gallery >=0.22,<0.23"):
        sphinxext.check_seam()


def test_seam_check_rejects_a_changed_signature(monkeypatch):
    def changed(script_blocks, script_vars, gallery_conf):  # pragma: no cover
        raise AssertionError

    monkeypatch.delattr(gen_rst, "_concdoc_original_execute_script", raising=False)
    monkeypatch.setattr(gen_rst, "execute_script", changed)
    with pytest.raises(ExtensionError, match="changed its parameters"):
        sphinxext.check_seam()


def test_seam_check_names_a_renamed_private_name_and_the_versions(monkeypatch):
    monkeypatch.delattr(gen_rst, "_get_parser")
    monkeypatch.delattr(sphinx_gallery.utils, "_collect_gallery_files")
    with pytest.raises(ExtensionError) as raised:
        sphinxext.check_seam()
    message = str(raised.value)
    assert "sphinx_gallery.gen_rst._get_parser is missing" in message
    assert "sphinx_gallery.utils._collect_gallery_files is missing" in message
    assert f"sphinx-gallery {sphinx_gallery.__version__}" in message
    assert f"sphinx {sphinx.__version__}" in message


def test_an_optional_piece_only_turns_its_shortcut_off(monkeypatch):
    from sphinx.transforms import i18n as sphinx_i18n

    def other(text, path):  # pragma: no cover - never called
        raise AssertionError

    # (Sphinx 7.3 has no _publish_msgstr at all: the shortcut is off there too)
    monkeypatch.setattr(sphinx_i18n, "_publish_msgstr", other, raising=False)
    sphinxext.check_seam()
    assert not seam.available("sphinx.transforms.i18n._publish_msgstr")


def test_every_private_name_the_package_uses_is_in_the_seam():
    """Names reached through sphinx-gallery's and Sphinx's modules are listed
    in seam.PIECES (or public), so the check at load covers all of them."""
    aliases = {
        "gen_rst": "sphinx_gallery.gen_rst",
        "gen_gallery": "sphinx_gallery.gen_gallery",
        "gallery_utils": "sphinx_gallery.utils",
        "scrapers": "sphinx_gallery.scrapers",
        "sphinx_search": "sphinx.search",
        "sphinx_i18n": "sphinx.transforms.i18n",
    }
    listed = {piece.label for piece in seam.PIECES}
    package = Path(sphinxext.__file__).parent
    used = set()
    for path in package.glob("*.py"):
        text = path.read_text()
        assert "from sphinx_gallery." not in text.replace(
            "from sphinx_gallery import", ""
        ), path.name
        for alias, module in aliases.items():
            for name in re.findall(rf"\b{alias}\.(_[a-z]\w*)", text):
                used.add(f"{module}.{name}")
    used.discard("sphinx_gallery.gen_rst._concdoc_original_execute_script")
    used.discard("sphinx_gallery.gen_gallery._concdoc_original_import_matplotlib")
    assert used and used <= listed, used - listed
