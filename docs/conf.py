"""Sphinx configuration of the concdoc site.

Data flow: examples/*.py -> concdoc.runner (fresh interpreter per example)
-> captured output + figures -> sphinx-gallery pages (auto_examples/) -> HTML.
"""

import platform
import sys

from concdoc import __version__

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
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# --- examples: run by concdoc, laid out by sphinx-gallery -----------------
concdoc_timeout = 60  # seconds per example, unless it says '# concdoc: timeout = N'
concdoc_start_method = None  # the platform's default
concdoc_trace = True  # every example ends with its timeline (unless it opts out)
concdoc_timeline_languages = ["en"]  # one chart per language, <name>.<lang>.png

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
            "coroutines",
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

# --- HTML -----------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "concdoc"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_last_updated_fmt = None
html_static_path = []

# A stamp for the gallery pages: which interpreter produced the output.
_stamp = (
    f"Python {platform.python_version()} ({sys.implementation.name}) "
    f"on {platform.system()} {platform.machine()}"
)
rst_epilog = f"\n.. |build_python| replace:: {_stamp}\n"
