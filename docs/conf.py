"""Sphinx configuration of the concdoc site.

Data flow: examples/*.py -> concdoc.runner (fresh interpreter per example)
-> captured output + figures -> sphinx-gallery pages (auto_examples/) -> HTML,
English first; then the same sources and the same generated gallery, with
the catalogues of locales/zh_CN/, -> zh_CN HTML (``-D language=zh_CN``).
"""

import os

from concdoc import __version__
from concdoc.languages import CODES, SOURCE, find, is_chinese
from concdoc.stamps import build_stamp

project = "concdoc"
author = "the concdoc authors"
copyright = "2026, the concdoc authors"
version = release = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx_copybutton",
    "sphinx_gallery.gen_gallery",
    "concdoc.sphinxext",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = [
    "_build",
    "claims",  # executed checks and the audit note, not pages
    "**/*.ipynb",
    "auto_examples/*.md5",
    "auto_examples/**/*.py",
]
myst_enable_extensions = ["colon_fence", "deflist", "substitution"]
myst_heading_anchors = 3

# --- examples: run by concdoc, laid out by sphinx-gallery -----------------
concdoc_timeout = 60  # seconds per example, unless it says '# concdoc: timeout = N'
concdoc_start_method = None  # the platform's default
concdoc_trace = True  # every example ends with its timeline (unless it opts out)
concdoc_strict = True  # the house rules: each violation fails the example
concdoc_jobs = None  # examples run at once: sphinx-build's -j N, else CPUs + 1

sphinx_gallery_conf = {
    "examples_dirs": ["../examples"],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": r".*\.py$",  # execute every example
    "ignore_pattern": r"__init__\.py",
    # chapters in teaching order; examples within a chapter by file name
    "subsection_order": [
        f"../examples/{chapter}"
        for chapter in (
            "thread_queues",
            "sync_threads",
            "process_queues",
            "pipes",
            "managers",
            "pools",
            "shared_state",
            "sync_processes",
            "start_methods",
            "futures",
            "coroutines",
            "asyncio",
            "asyncio_depth",
            "context",
            "pitfalls",
            "failures",
            "signals",
            "logging_concurrency",
            "subprocess_pipes",
            "distributed",
            "benchmarks",
        )
    ],
    "within_subsection_order": "FileNameSortKey",
    "capture_repr": (),  # scripts print what they show, as under `python file.py`
    "image_scrapers": (),  # figures are saved by the example's own interpreter
    "reset_modules": (),  # nothing runs in the build process to reset
    "download_all_examples": True,
    "remove_config_comments": True,
    "show_memory": False,
    "write_computation_times": False,  # its page loads scripts from CDNs
    "promote_jupyter_magic": False,
    "first_notebook_cell": None,
    # no notebooks: under spawn and forkserver a worker re-imports the script
    # that started it, and a notebook has none (see examples/README.rst)
    "notebook_extensions": set(),
}

# --- cross references: offline -------------------------------------------
# The inventory ships in the repository (from Debian's python3.11-doc), so
# the build fetches nothing.
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", "_intersphinx/python-3.11-objects.inv"),
}
intersphinx_timeout = 1
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_numpy_docstring = True
napoleon_google_docstring = False
# numpy-style types ("str or path-like", "float, optional", {"a", "b"}) become
# cross references and literals instead of unresolvable class names
napoleon_preprocess_types = True
napoleon_type_aliases = {
    "path-like": ":term:`path-like <path-like object>`",
    "hashable": ":term:`hashable`",
    "callable": ":term:`callable`",
}

# --- nitpicky builds (-n): every reference resolves, or is listed here -------
# Only the Python inventory ships offline (docs/_intersphinx); these targets
# live in projects whose inventories the build may not fetch.
nitpick_ignore = [
    ("py:class", "psutil.Process"),  # psutil's docs: no inventory offline
    ("py:class", "sphinx.application.Sphinx"),  # Sphinx's docs: no inventory offline
    ("py:exc", "sphinx.errors.ExtensionError"),  # idem
    # sphinx-gallery's function that concdoc.sphinxext replaces; not in an inventory
    ("py:func", "sphinx_gallery.gen_rst.execute_script"),
    ("py:class", "matplotlib.figure.Figure"),  # matplotlib's docs: no inventory offline
    ("py:class", "matplotlib.figure.SubFigure"),  # idem
]

# --- languages --------------------------------------------------------------
# English is the source; zh_CN comes from the catalogues in locales/zh_CN/
# (one per document; `tox -e i18n` updates them, the build compiles them).
# Locally the language is given with -D language=zh_CN; on Read the Docs each
# language is its own project, whose language setting arrives here.
# The languages are listed once, in concdoc.languages.
_rtd_language = find(os.environ.get("READTHEDOCS_LANGUAGE"))
language = _rtd_language.code if _rtd_language else SOURCE
locale_dirs = ["locales/"]
gettext_compact = False  # one catalogue per document, gallery pages included
gettext_uuid = False
gettext_location = False  # no source line numbers: catalogues change only with text
# code and captured output are never translated
gettext_additional_targets: list[str] = []
# Figures drawn once per build for every language, picked per language page.
figure_language_filename = "{root}.{language}{ext}"
# Each timeline is drawn once per language from the one execution
# (<name>.png in English, <name>.zh_CN.png in Chinese).
concdoc_timeline_languages = list(CODES)
# Chinese search: Sphinx splits Chinese into words only with jieba installed
# (docs extra); the glossary's terms are added to its dictionary.
_HERE = os.path.dirname(os.path.abspath(__file__))
html_search_options = {"dict": os.path.join(_HERE, "locales/zh_CN/search-words.txt")}

# --- HTML -----------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "concdoc"
templates_path = ["_templates"]
# The theme reads the colour mode from here before localStorage has one; left
# empty, its script logs a console error on a reader's first visit.
html_context = {"default_mode": "auto"}
html_theme_options = {
    "navigation_with_keys": False,
    # link to the same page in the other language (_templates/language-switcher.html)
    "navbar_end": ["language-switcher", "theme-switcher", "navbar-icon-links"],
    "show_toc_level": 2,
    # the header on one row at 1280 px: the first sections as links, the
    # others under "More"
    "header_links_before_dropdown": 3,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
# No primary sidebar ("Section Navigation") on reading pages: the article gets
# its width, and pages without sub-pages showed it empty. The gallery's front
# page keeps it, to move between chapters.
html_sidebars: dict[str, list[str]] = {
    "**": [],
    "auto_examples/index": ["sidebar-nav-bs"],
}
html_last_updated_fmt = None
html_static_path = ["_static"]
html_css_files = [
    "concdoc.css",  # sphinx-gallery's "Out:" label per language
    "concdoc-semantics.css",
    "concdoc-layout.css",  # article width, wrapping output, timelines (issue 16)
]


# --- per-language pieces, set once the language is known (-D comes after
# this file has run) ----------------------------------------------------------
# Special pages every HTML build has, beside the documents.
_GENERATED_PAGES = {"genindex", "search", "py-modindex"}
# Words the theme and the footer take from the configuration, not from a
# catalogue: the search box's placeholder, the navbar's overflow menu, the
# authors named in the copyright line.
_CONFIG_WORDS = {
    "zh_CN": {
        "search_bar_text": "搜索文档……",
        "header_dropdown_text": "更多",
        "authors": "concdoc 作者",
        # the terms of Python's Chinese documentation, for parameter types
        "type aliases": {
            "path-like": ":term:`类路径对象 <path-like object>`",
            "hashable": ":term:`可哈希 <hashable>`",
            "callable": ":term:`可调用对象 <callable>`",
        },
        # napoleon's keyword after a parameter's type
        "optional": "可选",
    },
}


def _config_words(app, config):
    words = _CONFIG_WORDS.get((find(config.language) or find(SOURCE)).code)
    if words is None:
        return
    config.html_theme_options = {
        **config.html_theme_options,
        "search_bar_text": words["search_bar_text"],
        "header_dropdown_text": words["header_dropdown_text"],
    }
    config.napoleon_type_aliases = {
        **config.napoleon_type_aliases,
        **words["type aliases"],
    }
    config.author = words["authors"]
    config.copyright = config.copyright.replace("the concdoc authors", words["authors"])


def _check_chinese_search(app, config):
    """Without jieba, Sphinx silently leaves Chinese words out of the index."""
    if is_chinese(config.language):
        try:
            import jieba  # noqa: F401
        except ImportError:
            raise RuntimeError(
                "the zh_CN site needs jieba for its search index: "
                "pip install -e '.[docs]'"
            ) from None


def _stamp_epilog(app, config):
    """|build_python| (reST) and {{ build_python }} (MyST): interpreter,
    machine and date, in the page's language."""
    stamp = build_stamp(config.language)
    config.rst_epilog = f"\n.. |build_python| replace:: {stamp}\n"
    config.myst_substitutions = {**config.myst_substitutions, "build_python": stamp}


def _other_language_url(pagename, other, exists):
    """Relative URL of ``pagename`` in the ``other`` language's site.

    Locally the sites are html/en/ and html/zh_CN/; on Read the Docs they are
    /en/<version>/ and /zh-cn/<version>/: both are siblings, one or two
    levels up. A page the other site lacks falls back to its home page.
    """
    target = pagename if exists else "index"
    version = os.environ.get("READTHEDOCS_VERSION")
    up = "../" * (pagename.count("/") + (2 if version else 1))
    # Read the Docs serves /<language>/<version>/<page>.html, its language
    # codes spelt in lower case with a dash
    root = f"{find(other).rtd_code}/{version}" if version else other
    return f"{up}{root}/{target}.html"


def _language_switch(app, pagename, templatename, context, doctree):
    """One link per other language: to the same page, or its home page."""
    current = (find(app.config.language) or find(SOURCE)).code
    exists = pagename in app.env.found_docs or pagename in _GENERATED_PAGES
    context["concdoc_language_switches"] = [
        {
            "url": _other_language_url(pagename, other, exists),
            "label": find(other).label,
            "lang": other.replace("_", "-"),
        }
        for other in CODES
        if other != current
    ]


def _translate_optional(app, doctree):
    """napoleon marks an optional parameter with the English word
    ``*optional*`` beside its type; say it in the build's language."""
    words = _CONFIG_WORDS.get((find(app.config.language) or find(SOURCE)).code)
    if words is None:
        return
    from docutils import nodes

    for node in list(doctree.findall(nodes.emphasis)):
        if node.astext() == "optional":
            node.replace_self(nodes.emphasis("", words["optional"]))


def _translate_module_index_entries(app, doctree):
    """Sphinx indexes a module as ``module; NAME`` with the word untranslated
    (the genindex page shows it): use the word of the build's language."""
    if not is_chinese(app.config.language):
        return
    from sphinx.locale import _

    entries = app.env.get_domain("index").entries.get(app.env.docname, [])
    entries[:] = [
        (kind, f"{_('module')}; {text[8:]}" if text.startswith("module; ") else text)
        + tuple(rest)
        for kind, text, *rest in entries
    ]


def setup(app):
    app.connect("config-inited", _check_chinese_search)
    app.connect("config-inited", _stamp_epilog)
    app.connect("config-inited", _config_words)
    app.connect("doctree-read", _translate_module_index_entries)
    app.connect("doctree-read", _translate_optional)
    app.connect("html-page-context", _language_switch)
