"""docs/build.py: each language's sphinx-build, run so that it ends at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import DOCS

BUILD = DOCS / "build.py"


def _one_build(src: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BUILD), "--sphinx-build", "-b", "html", *extra, src, out],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _project(tmp_path: Path, body: str) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text("project = 'tiny'\n", encoding="utf-8")
    (src / "index.rst").write_text(f"Tiny\n====\n\n{body}\n", encoding="utf-8")
    return src


def test_a_build_ends_with_sphinx_status_and_all_its_output(tmp_path):
    src = _project(tmp_path, "Some text.")
    proc = _one_build(src, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert "build succeeded" in proc.stdout  # flushed before the quick exit
    assert (tmp_path / "out" / "index.html").is_file()


def test_a_failed_build_keeps_its_status_and_its_warning(tmp_path):
    src = _project(tmp_path, "See :doc:`missing`.")
    proc = _one_build(src, tmp_path / "out", "-W", "--keep-going", "-q")
    assert proc.returncode == 1
    assert "unknown document" in proc.stderr and "missing" in proc.stderr
