"""concdoc.sphinxext.thumbnails: a gallery card's title and tooltip taken from
the page it links to (so a translated build shows them translated)."""

from __future__ import annotations

from types import SimpleNamespace

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from sphinx import addnodes

from concdoc.sphinxext.thumbnails import GalleryThumbnails

OPENING = '<div class="sphx-glr-thumbcontainer" tooltip="{}">'
TITLE = '<div class="sphx-glr-thumbnail-title">{}</div>\n</div>'


def _page(title: str, first: str) -> nodes.document:
    """A page: its first section's title, a paragraph, then another one."""
    document = new_document("page", get_default_settings(Parser))
    section = nodes.section()
    section += nodes.title("", title)
    section += nodes.paragraph("", first)
    section += nodes.paragraph("", "Not the summary.")
    document += section
    return document


def _card(target: str, tooltip: str, title: str) -> list[nodes.Node]:
    """The nodes sphinx-gallery's index gives one example's card."""
    return [
        nodes.raw("", OPENING.format(tooltip), format="html"),
        addnodes.pending_xref(
            "", refdoc="chapter/index", reftarget=target, reftype="doc"
        ),
        nodes.raw("", TITLE.format(title), format="html"),
    ]


def _rewritten(cards: list[list[nodes.Node]], pages: dict) -> list[str]:
    """The raw HTML of the cards once the post-transform has run."""
    env = SimpleNamespace(
        titles={name: nodes.title("", title) for name, (title, _) in pages.items()},
        get_doctree=lambda name: _page(*pages[name]),
    )
    document = new_document("chapter/index", get_default_settings(Parser))
    document.settings.env = env
    for card in cards:
        document.extend(card)
    GalleryThumbnails(document).run()
    return [node.astext() for node in document.findall(nodes.raw)]


def test_a_card_says_what_its_page_says():
    pages = {
        "chapter/queues": ("队列 <与> “锁”", "第一段：  生产者\n与消费者。"),
        "elsewhere/pipes": ("管道", '另一段 "引号"。'),  # an absolute link
    }
    raw = _rewritten(
        [
            _card("queues", "English tooltip", "English title"),
            _card("/elsewhere/pipes", "Pipes tooltip", "Pipes"),
        ],
        pages,
    )
    assert raw == [
        OPENING.format("第一段： 生产者 与消费者。"),  # one line, spaces collapsed
        TITLE.format("队列 &lt;与&gt; “锁”"),  # escaped for HTML
        OPENING.format("另一段 &quot;引号&quot;。"),  # the attribute stays closed
        TITLE.format("管道"),
    ]


def test_a_card_whose_page_is_unknown_is_left_alone():
    raw = _rewritten([_card("missing", "Kept tooltip", "Kept title")], {})
    assert raw == [OPENING.format("Kept tooltip"), TITLE.format("Kept title")]


def test_other_raw_html_and_links_are_not_touched():
    other = nodes.raw("", '<div class="note">x</div>', format="html")
    link = addnodes.pending_xref("", refdoc="chapter/index", reftarget="queues")
    env = SimpleNamespace(titles={}, get_doctree=None)
    document = new_document("chapter/index", get_default_settings(Parser))
    document.settings.env = env
    document += [other, link]
    GalleryThumbnails(document).run()
    assert [n.astext() for n in document.findall(nodes.raw)] == [other.astext()]
