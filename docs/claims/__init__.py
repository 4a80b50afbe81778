"""Executed checks behind the behavioural sentences of the site.

Each module here backs one page (its ``PAGE``: ``reference/errata`` for
``docs/reference/errata.md``, ``guide/cli`` for ``docs/guide/cli.md``,
``index`` for the home page, ``README`` for ``README.md``,
``examples/pipes/pipe_one_way`` for the text of
``examples/pipes/pipe_one_way.py``). Each check is a function decorated
with :func:`claim`, which names the sentence it backs, copied from the page
source; ``tests/test_claims.py`` runs every check and also verifies that
every sentence is still on its page, so a check cannot outlive the text it
backs, and a failure names the page.

Checks are short and bounded: nothing waits without a timeout, and no sleep
is used to order events. A check that starts processes says
``alone=True``; those run one after another, after the thread-only
checks have run side by side, so that no process is forked while other
threads of the test run are busy. Stdlib only, except for the gevent and
greenlet checks, which skip when those packages are missing, and the checks
of the guides (``guide.py``), which run concdoc itself.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Check", "claim", "collect", "page_source", "page_text"]

ROOT = Path(__file__).resolve().parents[2]
_REGISTRY: list[Check] = []


@dataclass(frozen=True)
class Check:
    """One executed check and the sentence it backs.

    Parameters
    ----------
    page : str
        The page, as ``reference/<name>`` or ``examples/<chapter>/<name>``.
    sentence : str
        Exact text from the page source (whitespace may differ).
    run : Callable
        Raises (``AssertionError`` or anything else) when the claim is false.
    alone : bool
        The check starts processes or changes process-wide state: run it
        by itself, in the main thread.
    """

    page: str
    sentence: str
    run: Callable[[], None]
    alone: bool = False

    @property
    def name(self) -> str:
        """``module.function``, unique."""
        return f"{self.run.__module__.rpartition('.')[2]}.{self.run.__name__}"


def claim(
    sentence: str, *, page: str | None = None, alone: bool = False
) -> Callable[[Callable[[], None]], Callable[[], None]]:
    """Register the decorated function as the check of ``sentence``.

    ``page`` defaults to the ``PAGE`` of the function's module.
    """

    def register(func: Callable[[], None]) -> Callable[[], None]:
        module = importlib.import_module(func.__module__)
        where = page or module.PAGE
        _REGISTRY.append(Check(where, sentence, func, alone))
        return func

    return register


def collect() -> list[Check]:
    """Import every module of this package and return all checks, in order."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        importlib.import_module(f"{__name__}.{info.name}")
    names = [c.name for c in _REGISTRY]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise RuntimeError(f"checks registered twice: {sorted(duplicates)}")
    return list(_REGISTRY)


def page_source(page: str) -> Path:
    """The file a page is made from."""
    if page == "README":
        return ROOT / "README.md"
    if page == "index" or page.startswith(("reference/", "guide/")):
        path = ROOT / "docs" / f"{page}.md"
        return path if path.exists() else path.with_suffix(".rst")
    if page.endswith("/README"):
        return ROOT / f"{page}.rst"
    return ROOT / f"{page}.py"


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_text(page: str) -> str:
    """The page's prose with whitespace collapsed (comment marks removed)."""
    path = page_source(page)
    lines = path.read_text(encoding="utf-8").splitlines()
    if path.suffix == ".py":
        lines = [re.sub(r"^# ?", "", line) for line in lines]
    if path.suffix == ".md":  # quoted lines of the errata
        lines = [re.sub(r"^> ?", "", line) for line in lines]
    return _normalise("\n".join(lines))


def on_page(check: Check) -> bool:
    """True if the check's sentence is (still) on its page."""
    return _normalise(check.sentence) in page_text(check.page)
