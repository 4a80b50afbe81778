"""concdoc.sphinxext.semantics: the ``concdoc-semantics`` directive, in small builds."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

CONF = """
extensions = ["myst_parser", "concdoc.sphinxext"]
sphinx_gallery_conf = {
    "examples_dirs": ["examples"],
    "gallery_dirs": ["auto_examples"],
    "image_scrapers": (),
    "reset_modules": (),
    "capture_repr": (),
    "write_computation_times": False,
}
concdoc_semantics_only = ["queue.Queue", "multiprocessing.Pipe", "asyncio.Queue"]
concdoc_semantics_cache = "semantics-cache"
"""


PAGE = """
# Semantics

(sphx_glr_auto_examples_chapter_demo.py)=
## A stand-in for a gallery example

```{concdoc-semantics} put-full
queue.*:nowait chapter/demo
```

```{concdoc-semantics} pipe
```

```{concdoc-semantics} timing
:only: queue.Queue
```

```{toctree}
auto_examples/index
```
"""


def _site(root: Path, page: str = PAGE) -> Path:
    (root / "examples").mkdir(parents=True)
    (root / "examples" / "README.rst").write_text("Gallery\n=======\n")
    (root / "conf.py").write_text(CONF)
    (root / "index.md").write_text(textwrap.dedent(page))
    return root


def _build(src: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", *extra, str(src), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_directive_renders_tables_links_and_chart_and_reuses_the_probes(tmp_path):
    src = _site(tmp_path / "src")
    first = _build(src, tmp_path / "html")
    assert first.returncode == 0, first.stderr
    assert "probing queue semantics" in first.stdout
    html = (tmp_path / "html" / "index.html").read_text()
    text = re.sub(r"<[^>]+>", "", html)  # exception names are code literals
    assert "put() on a full queue" in html
    assert "raises queue.Full" in text and "raises EOFError" in text
    assert 'href="#sphx-glr-auto-examples-chapter-demo-py"' in html
    assert 'src="data:image/png;base64,' in html
    assert "asyncio.QueueFull" in html
    assert list((src / "semantics-cache").glob("*.json"))
    # a second build (another language, another output) reuses the results,
    # and words the tables in its language (values and exceptions stay code)
    second = _build(src, tmp_path / "html2", "-D", "language=zh_CN")
    assert second.returncode == 0, second.stderr
    assert "probing queue semantics" not in second.stdout
    assert "queue semantics reused" in second.stdout
    zh = re.sub(r"<[^>]+>", "", (tmp_path / "html2" / "index.html").read_text())
    assert "引发 queue.Full" in zh and "raises" not in zh
    assert "中位数" in zh and "median" not in zh  # the title has no catalogue here


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("```{concdoc-semantics} nope\n```", "unknown semantics table 'nope'"),
        ("```{concdoc-semantics} order\nqueue.Queue\n```", "bad example link"),
    ],
)
def test_directive_rejects_bad_input(tmp_path, body, message):
    src = _site(tmp_path / "src", f"# S\n\n{body}\n")
    proc = _build(src, tmp_path / "html")
    # one error, on the directive's line; the rest of the page is still built
    errors = [line for line in proc.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1, proc.stderr
    assert "index.md:3:" in errors[0] and message in errors[0]
    html = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert "<h1>S" in html and "<table" not in html
