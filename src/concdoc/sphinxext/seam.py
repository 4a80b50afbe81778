"""The seam: every private name of sphinx-gallery and Sphinx that concdoc uses.

concdoc leans on code that sphinx-gallery and Sphinx do not promise to keep.
Each such name is listed once here, in :data:`PIECES`, with what concdoc
does with it; :func:`check_seam` looks for all of them at once when the
extension loads, before anything uses one, and names every missing piece
together with the installed versions. The rest of the package reaches these
names through their modules (``gen_rst.execute_script``), never with
``from ... import``, so a renamed name cannot break the import of concdoc
before the check has said what is wrong (``tests/test_sphinxext_seam.py``
checks that every name used is listed).

The patches of third-party code that are not about one job live here too:
:func:`install` (the replaced ``execute_script`` and running-time template)
and :func:`skip_build_matplotlib`.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sphinx
import sphinx_gallery
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx_gallery import gen_gallery, gen_rst

#: sphinx-gallery versions whose ``gen_rst.execute_script`` this package replaces.
SUPPORTED_SPHINX_GALLERY = ((0, 22), (0, 23))
#: The replaced function's parameters, in order.
SEAM_PARAMETERS = ["script_blocks", "script_vars", "gallery_conf", "file_conf"]
#: The first parameters of Sphinx's ``i18n._publish_msgstr``.
PUBLISH_MSGSTR_PARAMETERS = ["source", "source_path", "source_line"]


def chinese_search_is_broken() -> bool:
    """Whether this Sphinx writes a Chinese search page that stops (9.0).

    Sphinx 9.0 ends a Chinese site's ``language_data.js`` with ``window.Stemmer
    = ChineseStemmer``, a class that does not exist (sphinx-doc/sphinx#14229);
    earlier releases build the stemmer differently. Imports the Chinese
    search language (and jieba): call it in Chinese builds only.
    """
    from sphinx.search import zh

    language = zh.SearchChinese
    return (
        sphinx.version_info[:2] >= (9, 0)
        and getattr(language, "language_name", "English") != "English"
        and getattr(language, "js_stemmer_rawcode", "") == "english-stemmer.js"
    )


@dataclass(frozen=True)
class Piece:
    """One private name concdoc relies on."""

    #: the module's import name
    module: str
    name: str
    #: what concdoc does with it
    use: str
    #: the parameters it must start with, for a function
    parameters: tuple[str, ...] = ()
    #: a function, if the piece is needed only when it says so
    needed: Callable[[], bool] | None = None
    #: an optional piece only speeds the build up: missing, it is left alone
    optional: bool = False
    #: used by Chinese builds only (its module imports jieba): checked there
    chinese: bool = False

    @property
    def label(self) -> str:
        return f"{self.module}.{self.name}"

    def problem(self) -> str | None:
        """What is wrong with this piece here, or None."""
        if self.needed is not None and not self.needed():
            return None
        module = importlib.import_module(self.module)
        if not hasattr(module, self.name):
            return f"{self.label} is missing (it is used to {self.use})"
        if self.parameters:
            # the original, if concdoc has replaced it already
            target = getattr(
                module, f"_concdoc_original_{self.name}", getattr(module, self.name)
            )
            found = list(inspect.signature(target).parameters)
            if found[: len(self.parameters)] != list(self.parameters):
                return (
                    f"{self.label} changed its parameters to {found}; "
                    f"concdoc expects {list(self.parameters)} (to {self.use})"
                )
        return None


_GEN_RST = "sphinx_gallery.gen_rst"
_GEN_GALLERY = "sphinx_gallery.gen_gallery"
_GALLERY_UTILS = "sphinx_gallery.utils"
_ZH = "sphinx.search.zh"

PIECES: tuple[Piece, ...] = (
    Piece(
        _GEN_RST,
        "execute_script",
        "run each example in its own interpreter instead",
        parameters=tuple(SEAM_PARAMETERS),
    ),
    Piece(_GEN_RST, "TIMING_CONTENT", "keep the running-time line translatable"),
    Piece(_GEN_RST, "CODE_OUTPUT", "lay out an example's captured output"),
    Piece(_GEN_RST, "codestr2rst", "show a traceback under its code block"),
    Piece(_GEN_RST, "executable_script", "list the examples it will execute"),
    Piece(_GEN_RST, "_get_gallery_header", "list the examples it will execute"),
    Piece(_GEN_RST, "_get_parser", "split the examples it will execute into blocks"),
    Piece(_GEN_GALLERY, "get_subsections", "list the examples it will execute"),
    Piece(_GEN_GALLERY, "_import_matplotlib", "spare the build importing pyplot"),
    Piece(
        _GEN_GALLERY,
        "_log_costs",
        "print one run summary instead of one per language",
        optional=True,
    ),
    Piece(_GALLERY_UTILS, "_collect_gallery_files", "list the examples it executes"),
    Piece(_GALLERY_UTILS, "get_md5sum", "tell which examples are up to date"),
    Piece("sphinx_gallery.scrapers", "figure_rst", "show the figures an example saved"),
    Piece(
        "sphinx.search",
        "_MINIFIED_JS_PATH",
        "repair Chinese full-text search on Sphinx 9.0",
        needed=chinese_search_is_broken,
        chinese=True,
    ),
    Piece(
        _ZH,
        "jieba_load_userdict",
        "load jieba's dictionary only when a page is indexed",
        optional=True,
        chinese=True,
    ),
    Piece(
        _ZH,
        "cut_for_search",
        "load jieba's dictionary only when a page is indexed",
        optional=True,
        chinese=True,
    ),
    Piece(
        "sphinx.transforms.i18n",
        "_publish_msgstr",
        "parse each translated message once",
        parameters=tuple(PUBLISH_MSGSTR_PARAMETERS),
        optional=True,
    ),
)


def _version_tuple(version: str) -> tuple[int, int]:
    major, minor = (int(part) for part in re.findall(r"\d+", version)[:2])
    return major, minor


def _versions() -> str:
    return f"sphinx {sphinx.__version__}, sphinx-gallery {sphinx_gallery.__version__}"


def check_seam(chinese: bool = False) -> None:
    """Fail loudly if sphinx-gallery or Sphinx lacks a piece this package uses.

    Parameters
    ----------
    chinese : bool
        Also check the pieces only a Chinese build uses.

    Raises
    ------
    sphinx.errors.ExtensionError
        If the sphinx-gallery version is outside
        :data:`SUPPORTED_SPHINX_GALLERY`, or any name this package uses is
        missing or has other parameters (all of them named in one message,
        with the installed versions).
    """
    low, high = SUPPORTED_SPHINX_GALLERY
    found = _version_tuple(sphinx_gallery.__version__)
    if not low <= found < high:
        raise ExtensionError(
            f"concdoc.sphinxext supports sphinx-gallery >={low[0]}.{low[1]},"
            f"<{high[0]}.{high[1]}; found {sphinx_gallery.__version__}"
        )
    problems = [
        problem
        for piece in PIECES
        if not piece.optional
        and (chinese or not piece.chinese)
        and (problem := piece.problem()) is not None
    ]
    if problems:
        raise ExtensionError(
            f"concdoc.sphinxext cannot work with {_versions()}: " + "; ".join(problems)
        )


def available(label: str) -> bool:
    """Whether the (optional) piece ``module.name`` is usable here."""
    piece = next(p for p in PIECES if p.label == label)
    return piece.problem() is None


def install() -> None:
    """Replace ``execute_script`` and the running-time template."""
    from concdoc.sphinxext import render

    if gen_rst.execute_script is not render.execute_script:
        gen_rst._concdoc_original_execute_script = gen_rst.execute_script
        gen_rst.execute_script = render.execute_script
    gen_rst.TIMING_CONTENT = render.TIMING_CONTENT


def skip_build_matplotlib(app: Any, config: Config) -> None:
    """Spare the build process sphinx-gallery's ``import matplotlib.pyplot``.

    sphinx-gallery imports pyplot (a second or more) to scrape figures inside
    the build process; concdoc runs each example in its own interpreter and
    saves figures there, so with no image scrapers configured the import is
    skipped. Other builds keep sphinx-gallery's own function.
    """
    scrapers_ = config.sphinx_gallery_conf.get("image_scrapers", ("matplotlib",))
    original = getattr(gen_gallery, "_concdoc_original_import_matplotlib", None)
    if original is None:
        original = gen_gallery._import_matplotlib
        gen_gallery._concdoc_original_import_matplotlib = original
    gen_gallery._import_matplotlib = _no_matplotlib if not scrapers_ else original


def _no_matplotlib() -> tuple[Any, Any]:
    raise ImportError("concdoc: the build process does not draw with pyplot")
