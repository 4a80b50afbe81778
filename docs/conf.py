"""Sphinx configuration of the concdoc site.

Data flow: examples/*.py -> concdoc.runner (fresh interpreter per example)
-> captured output + figures -> sphinx-gallery pages (auto_examples/) -> HTML,
English first; then the same sources and the same generated gallery, with
the catalogues of locales/zh_CN/, -> zh_CN HTML (``-D language=zh_CN``).
"""

import os

from concdoc import __version__
from concdoc.stamps import build_stamp, is_chinese

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
            "process_queues",
            "pipes",
            "managers",
            "pools",
            "shared_state",
            "start_methods",
            "futures",
            "coroutines",
            "asyncio",
            "pitfalls",
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
napoleon_type_aliases = {"path-like": ":term:`path-like <path-like object>`"}

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
LANGUAGES = ("en", "zh_CN")
language = "zh_CN" if is_chinese(os.environ.get("READTHEDOCS_LANGUAGE")) else "en"
locale_dirs = ["locales/"]
gettext_compact = False  # one catalogue per document, gallery pages included
gettext_uuid = False
gettext_location = False  # no source line numbers: catalogues change only with text
gettext_additional_targets = []  # code and captured output are never translated
# Figures drawn once per build for every language, picked per language page.
figure_language_filename = "{root}.{language}{ext}"
# Each timeline is drawn once per language from the one execution
# (<name>.png in English, <name>.zh_CN.png in Chinese).
concdoc_timeline_languages = list(LANGUAGES)
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
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
# the semantics tables are wide: give them the whole page
html_sidebars = {"reference/queue-semantics": []}
html_last_updated_fmt = None
html_static_path = ["_static"]
html_css_files = [
    "concdoc.css",  # gallery card titles from translatable text
    "concdoc-semantics.css",
]


# --- per-language pieces, set once the language is known (-D comes after
# this file has run) ----------------------------------------------------------
# Special pages every HTML build has, beside the documents.
_GENERATED_PAGES = {"genindex", "search", "py-modindex"}
# Read the Docs serves /<language>/<version>/<page>.html, its language codes
# spelt in lower case with a dash.
_RTD_CODES = {"en": "en", "zh_CN": "zh-cn"}
_SWITCH_LABELS = {"en": "English", "zh_CN": "简体中文"}


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
    root = f"{_RTD_CODES[other]}/{version}" if version else other
    return f"{up}{root}/{target}.html"


def _language_switch(app, pagename, templatename, context, doctree):
    current = "zh_CN" if is_chinese(app.config.language) else "en"
    other = next(code for code in LANGUAGES if code != current)
    exists = pagename in app.env.found_docs or pagename in _GENERATED_PAGES
    context["concdoc_language_switch"] = {
        "url": _other_language_url(pagename, other, exists),
        "label": _SWITCH_LABELS[other],
        "lang": other.replace("_", "-"),
    }


def setup(app):
    app.connect("config-inited", _check_chinese_search)
    app.connect("config-inited", _stamp_epilog)
    app.connect("html-page-context", _language_switch)
