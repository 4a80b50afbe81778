"""Compiled page templates kept between builds.

Every HTML build compiles the theme's Jinja templates anew: about 0.7 s of
each language's build, even when no page changed (the index pages are
always written). Jinja's bytecode cache keeps the compiled templates on disk,
beside the doctrees, shared by the languages; a template whose source
changed is compiled again (the cache compares a checksum of the source).
"""

from __future__ import annotations

from jinja2 import FileSystemBytecodeCache
from sphinx.application import Sphinx

from concdoc.sphinxext.cache import shared_dir


def keep_compiled_templates(app: Sphinx) -> None:
    """Give the builder's Jinja environment a bytecode cache (builder-inited)."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is None or environment.bytecode_cache is not None:
        return
    folder = shared_dir(app, "concdoc-templates")
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))
