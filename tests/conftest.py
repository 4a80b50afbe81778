"""Shared fixtures: small example scripts in a temporary folder; the whole site."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from concdoc.languages import CODES

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
ALL_EXAMPLES = sorted(EXAMPLES.rglob("*.py"))


@pytest.fixture
def script(tmp_path: Path) -> Callable[[str, str], Path]:
    """Return a function that writes ``source`` (dedented) to ``tmp_path/name``."""

    def write(source: str, name: str = "example.py") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return path

    return write


HUNG_TREE = '''
"""Hangs, with a child process and a grandchild that left the session"""
import multiprocessing, os, subprocess, sys, time

def forever():
    time.sleep(1000)

# %%

if __name__ == "__main__":
    child = multiprocessing.Process(target=forever)
    child.start()
    escaped = subprocess.Popen(
        [sys.executable, "-c", "import os, time; os.setsid(); time.sleep(1000)"]
    )
    with open(PIDFILE, "w") as f:
        f.write(f"{os.getpid()} {child.pid} {escaped.pid}")
    print("started", flush=True)
    child.join()
'''
#: Lines of the hanging block in HUNG_TREE, as messages name them.
HUNG_BLOCK_LINES = "lines 10-19"


@pytest.fixture
def hung_tree(tmp_path: Path) -> tuple[Path, Callable[[], list[int]]]:
    """A script that never ends, and a function returning its processes still alive.

    The script starts a multiprocessing child and a grandchild that calls
    ``setsid()`` (so it leaves the process group), writes their pids, then
    waits forever.
    """
    pidfile = tmp_path / "pids"
    path = tmp_path / "hangs.py"
    path.write_text(HUNG_TREE.replace("PIDFILE", repr(str(pidfile))), encoding="utf-8")

    def survivors() -> list[int]:
        alive = []
        for pid in map(int, pidfile.read_text().split()):
            try:
                if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                    alive.append(pid)
            except psutil.NoSuchProcess:
                continue
        return alive

    return path, survivors


# --- small sites: a gallery of a few examples, built by the tests ---------------

MINI_CONF = """
extensions = ["sphinx_gallery.gen_gallery", "concdoc.sphinxext"]
concdoc_timeout = {timeout}
sphinx_gallery_conf = {{
    "examples_dirs": ["examples"],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": r".*\\.py$",
    "image_scrapers": (),
    "reset_modules": (),
    "capture_repr": (),
    "write_computation_times": False,
    "within_subsection_order": "FileNameSortKey",
}}
"""


def mini_site(root: Path, examples: dict[str, str], timeout: float = 30) -> Path:
    """A site of ``examples`` (name: source, dedented) in a gallery, under ``root``."""
    (root / "examples").mkdir(parents=True)
    (root / "conf.py").write_text(MINI_CONF.format(timeout=timeout))
    (root / "index.rst").write_text(
        "Mini\n====\n\n.. toctree::\n\n   auto_examples/index\n"
    )
    (root / "examples" / "README.rst").write_text("Gallery\n=======\n")
    for name, source in examples.items():
        (root / "examples" / name).write_text(textwrap.dedent(source))
    return root


#: An example that logs each of its runs to ``log``.
COUNTS = '''
"""Counted
=======
"""
import pathlib

with open({log!r}, "a") as log:
    log.write("ran\\n")
print("counted")
'''


def subprocess_build(src: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """sphinx-build without -q: the progress lines are on stdout."""
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", str(src), str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )


# --- the whole site, both languages, built once per test session -------------

DOCS = REPO / "docs"
GALLERY = DOCS / "auto_examples"
LANGUAGES = CODES


@dataclass
class BuiltSite:
    """Both languages of the site, built as ``tox -e docs`` builds them."""

    html: Path  # html/en/ and html/zh_CN/ below it
    docs: Path  # the copy of docs/ it was built from (with the generated gallery)
    stderr: dict[str, str]
    #: generated gallery pages (re)written by each language's build
    regenerated: dict[str, list[str]]

    def root(self, language: str) -> Path:
        return self.html / language


def _gallery_state(gallery: Path) -> dict[str, int]:
    if not gallery.is_dir():
        return {}
    return {
        p.relative_to(gallery).as_posix(): p.stat().st_mtime_ns
        for p in gallery.rglob("*.rst")
    }


#: ``tox -e docs`` flags: every warning is an error, every reference checked.
STRICT = ("-W", "--keep-going", "-n")


def sphinx_build(
    src: Path, out: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``sphinx-build -b html -q [extra] src out`` in a child interpreter."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-q",
            *extra,
            str(src),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


def _generated_by_builds(folder: str, names: list[str]) -> set[str]:
    """What ``shutil.copytree`` leaves out of ``docs/``: the build output and
    the generated gallery, at the top only (the catalogues have an
    ``auto_examples`` folder too)."""
    if Path(folder) != DOCS:
        return set()
    return {"_build", GALLERY.name} & set(names)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """English, then zh_CN from the same generated gallery; fails on a failed build.

    The build works on a copy of ``docs/`` and ``examples/``: a gallery left in
    ``docs/auto_examples`` by an earlier build must not be reused, since
    sphinx-gallery skips examples whose source has not changed.
    """
    tmp = tmp_path_factory.mktemp("site")
    docs = tmp / "docs"
    shutil.copytree(DOCS, docs, ignore=_generated_by_builds)
    shutil.copytree(EXAMPLES, tmp / "examples")
    gallery = docs / GALLERY.name
    stderr: dict[str, str] = {}
    regenerated: dict[str, list[str]] = {}
    for language in LANGUAGES:
        before = _gallery_state(gallery)
        proc = sphinx_build(
            docs,
            tmp / "html" / language,
            *STRICT,
            "-D",
            f"language={language}",
            "-d",
            str(tmp / "doctrees" / language),
        )
        assert proc.returncode == 0, f"{language} build:\n{proc.stderr[-5000:]}"
        assert "WARNING" not in proc.stderr, f"{language} build:\n{proc.stderr[-5000:]}"
        stderr[language] = proc.stderr
        after = _gallery_state(gallery)
        regenerated[language] = sorted(
            k for k, v in after.items() if before.get(k) != v
        )
    return BuiltSite(tmp / "html", docs, stderr, regenerated)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse a test that needs the whole site's build but is not marked slow."""
    unmarked = [
        item.nodeid
        for item in items
        if "built_site" in getattr(item, "fixturenames", ())
        and item.get_closest_marker("slow") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "mark these @pytest.mark.slow (they build the site): " + ", ".join(unmarked)
        )
