"""The seam: every private name of sphinx-gallery and Sphinx that concdoc uses.

concdoc leans on code that sphinx-gallery and Sphinx do not promise to keep.
Each such name is listed once here, in :data:`PIECES`, with what concdoc
does with it; :func:`check_seam` looks for all of them at once when the
extension loads, before anything uses one, and names every missing piece
together with the installed versions. The rest of the package reaches these
names through their modules (``gen_rst.execute_script``), never with
``from ... import``, so a renamed name cannot break the import of concdoc
before the check has said what is wrong (``tests/test_sphinx_glue.py``
checks that every name used is listed).

The patches of third-party code that are not about one job live here too:
:func:`install` (the replaced ``execute_script`` and running-time template)
and :func:`skip_build_matplotlib`.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import sphinx
import sphinx_gallery
from sphinx import search as sphinx_search
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.search import zh as sphinx_search_zh
from sphinx.transforms import i18n as sphinx_i18n
from sphinx_gallery import gen_gallery, gen_rst, scrapers
from sphinx_gallery import utils as gallery_utils

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
    earlier releases build the stemmer differently.
    """
    language = sphinx_search_zh.SearchChinese
    return (
        sphinx.version_info[:2] >= (9, 0)
        and getattr(language, "language_name", "English") != "English"
        and getattr(language, "js_stemmer_rawcode", "") == "english-stemmer.js"
    )


@dataclass(frozen=True)
class Piece:
    """One private name concdoc relies on."""

    module: ModuleType
    name: str
    #: what concdoc does with it
    use: str
    #: the parameters it must start with, for a function
    parameters: tuple[str, ...] = ()
    #: a function, if the piece is needed only when it says so
    needed: Callable[[], bool] | None = None
    #: an optional piece only speeds the build up: missing, it is left alone
    optional: bool = False

    @property
    def label(self) -> str:
        return f"{self.module.__name__}.{self.name}"

    def problem(self) -> str | None:
        """What is wrong with this piece here, or None."""
        if self.needed is not None and not self.needed():
            return None
        if not hasattr(self.module, self.name):
            return f"{self.label} is missing (it is used to {self.use})"
        if self.parameters:
            # the original, if concdoc has replaced it already
            target = getattr(
                self.module,
                f"_concdoc_original_{self.name}",
                getattr(self.module, self.name),
            )
            found = list(inspect.signature(target).parameters)
            if found[: len(self.parameters)] != list(self.parameters):
                return (
                    f"{self.label} changed its parameters to {found}; "
                    f"concdoc expects {list(self.parameters)} (to {self.use})"
                )
        return None


PIECES: tuple[Piece, ...] = (
    Piece(
        gen_rst,
        "execute_script",
        "run each example in its own interpreter instead",
        parameters=tuple(SEAM_PARAMETERS),
    ),
    Piece(gen_rst, "TIMING_CONTENT", "keep the running-time line translatable"),
    Piece(gen_rst, "CODE_OUTPUT", "lay out an example's captured output"),
    Piece(gen_rst, "codestr2rst", "show a traceback under its code block"),
    Piece(gen_rst, "executable_script", "list the examples it will execute"),
    Piece(gen_rst, "_get_gallery_header", "list the examples it will execute"),
    Piece(gen_rst, "_get_parser", "split the examples it will execute into blocks"),
    Piece(gen_gallery, "get_subsections", "list the examples it will execute"),
    Piece(gen_gallery, "_import_matplotlib", "spare the build importing pyplot"),
    Piece(gallery_utils, "_collect_gallery_files", "list the examples it executes"),
    Piece(gallery_utils, "get_md5sum", "tell which examples are up to date"),
    Piece(scrapers, "figure_rst", "show the figures an example saved"),
    Piece(
        sphinx_search,
        "_MINIFIED_JS_PATH",
        "repair Chinese full-text search on Sphinx 9.0",
        needed=chinese_search_is_broken,
    ),
    Piece(
        sphinx_i18n,
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


def check_seam() -> None:
    """Fail loudly if sphinx-gallery or Sphinx lacks a piece this package uses.

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
        if not piece.optional and (problem := piece.problem()) is not None
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
    """Replace ``execute_script`` and the running-time template (checked first)."""
    from concdoc.sphinxext import render

    check_seam()
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
