"""concdoc.sphinxext.runs: the examples run ahead of sphinx-gallery, side by side."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import COUNTS, mini_site, subprocess_build

from concdoc import sphinxext


def test_timeline_path_names_other_languages():
    assert sphinxext.timeline_path("img/a_001.png", "en") == "img/a_001.png"
    assert sphinxext.timeline_path("img/a_001.png", "zh_CN") == "img/a_001.zh_CN.png"


PARALLEL = '''
"""{name}
=====
"""
import pathlib
import time

marks = pathlib.Path({marks!r})
(marks / "{name}.start").write_text(repr(time.time()))
# wait (bounded) until all three have started: only possible side by side
deadline = time.monotonic() + 30
while len(list(marks.glob("p*.start"))) < 3 and time.monotonic() < deadline:
    time.sleep(0.01)
print("together" if len(list(marks.glob("p*.start"))) == 3 else "apart")
for i in range(3):
    print("{name} line", i)
(marks / "{name}.end").write_text(repr(time.time()))
'''


ALONE = '''
"""{name}
=====
"""
# concdoc: run-alone
import pathlib
import time

marks = pathlib.Path({marks!r})
(marks / "{name}.start").write_text(repr(time.time()))
busy = [p.stem for p in marks.glob("p*.start") if not p.with_suffix(".end").exists()]
print("beside:", busy)
(marks / "{name}.end").write_text(repr(time.time()))
'''


def _times(marks: Path, name: str) -> tuple[float, float]:
    start, end = (float((marks / f"{name}.{s}").read_text()) for s in ("start", "end"))
    return start, end


def test_mini_build_runs_examples_side_by_side_and_run_alone_by_itself(tmp_path):
    marks = tmp_path / "marks"
    marks.mkdir()
    examples = {
        f"{name}.py": PARALLEL.format(name=name, marks=str(marks))
        for name in ("p1", "p2", "p3")
    }
    # first in gallery order, yet runs after the others
    examples["a_alone.py"] = ALONE.format(name="a_alone", marks=str(marks))
    src = mini_site(tmp_path / "src", examples)
    with open(src / "conf.py", "a") as conf:
        conf.write("concdoc_jobs = 3\nconcdoc_trace = False\n")
    proc = subprocess_build(src, tmp_path / "html")
    assert proc.returncode == 0, proc.stderr
    for name in ("p1", "p2", "p3"):
        rst = (src / "auto_examples" / f"{name}.rst").read_text()
        assert "together" in rst, f"{name} ran without the others"
        for i in range(3):
            assert f"{name} line {i}" in rst
        others = {"p1", "p2", "p3"} - {name}
        assert not any(f"{other} line" in rst for other in others)
    alone_start, alone_end = _times(marks, "a_alone")
    assert all(alone_start >= _times(marks, p)[1] for p in ("p1", "p2", "p3"))
    assert "beside: []" in (src / "auto_examples" / "a_alone.rst").read_text()
    assert "concdoc: ran 4/4 examples" in proc.stdout


def test_two_builds_at_once_share_the_gallery_and_run_each_example_once(tmp_path):
    log = tmp_path / "runs.log"
    src = mini_site(tmp_path / "src", {"counted.py": COUNTS.format(log=str(log))})
    builds = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sphinx",
                "-b",
                "html",
                "-q",
                "-d",
                str(tmp_path / f"doctrees{i}"),
                str(src),
                str(tmp_path / f"html{i}"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    for build in builds:
        _, err = build.communicate(timeout=600)
        assert build.returncode == 0, err
    assert log.read_text().count("ran") == 1
    for i in range(2):
        assert (
            "counted"
            in (tmp_path / f"html{i}" / "auto_examples" / "counted.html").read_text()
        )
