"""Gallery thumbnails in the page's language.

sphinx-gallery writes each thumbnail's title and tooltip into raw HTML, from
the English docstring, so a translated build would show them in English
beside a translated link. :class:`GalleryThumbnails` rewrites both from the
linked page's own (translated) title and first paragraph, in every language.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join

_THUMB_TOOLTIP = re.compile(r'(<div class="sphx-glr-thumbcontainer" tooltip=")[^"]*(")')
_THUMB_TITLE = re.compile(r'(<div class="sphx-glr-thumbnail-title">)[^<]*(</div>)')


def _page_summary(env: Any, docname: str) -> str:
    """The first paragraph of a page's first section, as plain text."""
    doctree = env.get_doctree(docname)
    section = next(iter(doctree.findall(nodes.section)), None)
    paragraphs = [] if section is None else section.children
    first = next((p for p in paragraphs if isinstance(p, nodes.paragraph)), None)
    return "" if first is None else " ".join(first.astext().split())


class GalleryThumbnails(SphinxPostTransform):
    """Thumbnail titles and tooltips taken from the pages they link to."""

    # before the references are resolved: their :doc: targets name the pages
    default_priority = 5
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        opening: nodes.raw | None = None
        target: str | None = None
        for node in list(self.document.findall(_thumbnail_part)):
            if isinstance(node, addnodes.pending_xref):
                if opening is not None and target is None:
                    target = docname_join(node["refdoc"], node["reftarget"])
                continue
            assert isinstance(node, nodes.raw)
            html = node.astext()
            if _THUMB_TOOLTIP.search(html):
                opening, target = node, None
            elif (
                opening is not None and target is not None and target in self.env.titles
            ):
                title = escape(self.env.titles[target].astext())
                summary = escape(_page_summary(self.env, target))
                opening.replace_self(_raw(_THUMB_TOOLTIP, summary, opening.astext()))
                node.replace_self(_raw(_THUMB_TITLE, title, html))
                opening = target = None


def _raw(pattern: re.Pattern[str], text: str, html: str) -> nodes.raw:
    """``html`` with the part between the pattern's two groups set to ``text``."""
    new = pattern.sub(lambda m: m.group(1) + text + m.group(2), html, count=1)
    return nodes.raw("", new, format="html")


def _thumbnail_part(node: nodes.Node) -> bool:
    if isinstance(node, addnodes.pending_xref):
        return node.get("reftype") == "doc"
    return isinstance(node, nodes.raw) and "sphx-glr-thumb" in node.astext()
