"""The library reference (docs/guide/api.rst) and the modules' ``__all__`` agree.

A public module is one whose dotted name has no part starting with ``_``. Each
name in its ``__all__`` is documented on the page, under the module itself or
under another module that exports the same object (a package and the
submodule that defines it); each name the page documents
is in the ``__all__`` of the module it is documented under.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from conftest import DOCS

import concdoc

API_PAGE = DOCS / "guide" / "api.rst"
#: Public modules the page leaves out, each with its reason.
NOT_ON_THE_PAGE = {
    "concdoc.cli": "the command line: guide/cli.md documents its commands",
}
_DIRECTIVE = re.compile(r"^\.\. auto(\w+):: (\S+)\n((?:   .*\n)*)", re.MULTILINE)
_MEMBERS = re.compile(r":members:(.*(?:\n      .*)*)")


def documented(text: str) -> dict[str, set[str] | None]:
    """Module -> the names the page documents under it (``None``: ``:members:``
    with no list, which autodoc reads as the module's ``__all__``)."""
    found: dict[str, set[str] | None] = {}
    for kind, target, options in _DIRECTIVE.findall(text):
        if kind == "module":
            members = _MEMBERS.search(options)
            names = members.group(1).replace(",", " ").split() if members else []
            found[target] = set(names) if names else None
        else:  # autodata, autoclass, ...: a name documented under its module
            module, _, name = target.rpartition(".")
            listed = found.setdefault(module, set())
            if listed is not None:
                listed.add(name)
    return found


def public_modules() -> list[str]:
    names = ["concdoc"]
    for info in pkgutil.walk_packages(concdoc.__path__, "concdoc."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return sorted(names)


PAGE = documented(API_PAGE.read_text(encoding="utf-8"))
PUBLIC = public_modules()


def _names(module: str) -> set[str]:
    names = PAGE.get(module, set())
    return set(importlib.import_module(module).__all__) if names is None else names


def test_the_page_is_read():
    assert PAGE["concdoc.runner"] >= {"run_example", "RunResult"}
    assert "BLOCK_BOUND" in PAGE["concdoc.semantics.model"]


def test_the_reader_sees_members_lists_and_single_names():
    text = (
        ".. automodule:: a.b\n   :members: x, y,\n      z\n\n"
        ".. automodule:: a.c\n   :members:\n\n"
        ".. autodata:: a.b.W\n"
        ".. autoclass:: a.d.K\n   :no-value:\n"
    )
    assert documented(text) == {
        "a.b": {"x", "y", "z", "W"},
        "a.c": None,
        "a.d": {"K"},
    }


@pytest.mark.parametrize("module", sorted(PAGE))
def test_what_the_page_documents_is_public(module):
    assert module in PUBLIC, f"{module} is private or does not exist"
    exported = importlib.import_module(module).__dict__.get("__all__")
    assert exported is not None, f"{module} has no __all__"
    extra = _names(module) - set(exported)
    assert not extra, f"{module}: documented but not in __all__: {sorted(extra)}"


@pytest.mark.parametrize("module", [m for m in PUBLIC if m not in NOT_ON_THE_PAGE])
def test_every_public_name_is_documented(module):
    """Under its module, or under another that exports the same object."""
    found = importlib.import_module(module)
    missing = []
    for name in getattr(found, "__all__", ()):
        obj = getattr(found, name)
        if not any(
            name in _names(place)
            and getattr(importlib.import_module(place), name, None) is obj
            for place in PAGE
        ):
            missing.append(name)
    assert not missing, f"{module}: in __all__ but not on {API_PAGE.name}: {missing}"


def test_the_modules_left_out_exist_and_are_left_out():
    for module in NOT_ON_THE_PAGE:
        assert module in PUBLIC and module not in PAGE
