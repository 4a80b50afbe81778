"""The tests mirror the modules: ``src/concdoc/a/_b.py`` is tested in
``tests/test_a_b.py`` (leading underscores dropped, a package's
``__init__.py`` tested in ``test_<package>.py``).

The few modules without a file of their own, and the test files that
mirror no module, are listed below, each with the reason.
"""

from __future__ import annotations

from pathlib import Path

import concdoc

SRC = Path(concdoc.__file__).resolve().parent
TESTS = Path(__file__).resolve().parent

#: Module (relative to src/concdoc) -> (the test file exercising it, or None
#: for a module with no code, and why it has no file of its own).
ONLY_THROUGH_OTHERS = {
    "__init__.py": (None, "the version string and the package's docstring"),
    "__main__.py": ("test_cli.py", "two lines: `python -m concdoc` calls cli.main"),
    "sizes.py": ("test_plot.py", "constants; the plot tests check a figure's size"),
    "_inside/__init__.py": (None, "the folder's docstring only"),
    "bench/_worker.py": ("test_bench.py", "the measuring process of concdoc.bench"),
    "bench/choosing.py": ("test_bench.py", "the decision table of the results"),
    "bench/draw.py": ("test_bench.py", "the results' charts"),
    "semantics/chart.py": (
        "test_sphinxext_semantics.py",
        "the directive's timing chart",
    ),
    "semantics/drivers.py": ("test_semantics.py", "run by probe_all"),
    "semantics/implementations.py": ("test_semantics.py", "probed by probe_all"),
    "semantics/model.py": ("test_semantics.py", "what probe_all returns"),
    "semantics/observe.py": ("test_semantics.py", "run by probe_all"),
    "semantics/probes.py": ("test_semantics.py", "probe_all itself"),
    "semantics/render.py": ("test_semantics.py", "the CLI's tables (test_cli_*)"),
}

#: Test files that mirror no module -> what they test.
ACROSS_MODULES = {
    "test_api_page.py": "each public module's __all__ against docs/guide/api.rst",
    "test_browser.py": "the built site in a real browser",
    "test_claims.py": "the checks behind the pages' claims (docs/claims/)",
    "test_differential.py": "runs under concdoc against plain python",
    "test_docs_build.py": "docs/build.py",
    "test_examples.py": "every example, under every start method",
    "test_i18n.py": "the Chinese catalogues (docs/i18n.py) and site",
    "test_mirror.py": "this layout",
}


def _modules() -> list[str]:
    return sorted(
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if "__pycache__" not in path.parts
    )


def mirror_of(module: str) -> str:
    """``tests/`` file name that mirrors ``module`` (relative to src/concdoc)."""
    parts = module.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return "test_" + "_".join(part.lstrip("_") for part in parts) + ".py"


def test_the_mirror_rule():
    assert mirror_of("blocks.py") == "test_blocks.py"
    assert mirror_of("_drawer.py") == "test_drawer.py"
    assert mirror_of("sphinxext/__init__.py") == "test_sphinxext.py"
    assert mirror_of("sphinxext/seam.py") == "test_sphinxext_seam.py"
    assert mirror_of("_inside/boot/sitecustomize.py") == (
        "test_inside_boot_sitecustomize.py"
    )


def test_every_module_has_its_test_file():
    missing = [
        f"src/concdoc/{module} -> tests/{mirror_of(module)}"
        for module in _modules()
        if module not in ONLY_THROUGH_OTHERS
        and not (TESTS / mirror_of(module)).is_file()
    ]
    assert not missing, "modules without their test file:\n" + "\n".join(missing)


def test_the_exceptions_are_still_exceptions():
    modules = set(_modules())
    for module, (where, reason) in ONLY_THROUGH_OTHERS.items():
        assert module in modules, f"{module} is gone: drop it from the list"
        assert not (TESTS / mirror_of(module)).is_file(), (
            f"{module} has {mirror_of(module)} now: drop it from the list"
        )
        assert reason and (where is None or (TESTS / where).is_file()), module


def test_every_test_file_mirrors_a_module_or_says_what_it_tests():
    mirrored = {mirror_of(module) for module in _modules()}
    strays = [
        path.name
        for path in sorted(TESTS.glob("test_*.py"))
        if path.name not in mirrored and path.name not in ACROSS_MODULES
    ]
    assert not strays, f"test files that mirror no module: {strays}"
    for name in ACROSS_MODULES:
        assert (TESTS / name).is_file(), f"{name} is gone: drop it from the list"
        assert name not in mirrored, f"{name} mirrors a module now"
