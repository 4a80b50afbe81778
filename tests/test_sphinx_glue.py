"""The seam between concdoc and sphinx-gallery, and builds that go through it.

If sphinx-gallery changes the function concdoc replaces, these tests fail
before any page silently loses output.
"""

from __future__ import annotations

import inspect
import json
import logging
import re
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
import sphinx
import sphinx_gallery
from conftest import EXAMPLES, sphinx_build
from sphinx import search as sphinx_search
from sphinx.errors import ExtensionError
from sphinx.search import zh as sphinx_search_zh
from sphinx_gallery import gen_rst, py_source_parser

from concdoc import sphinxext
from concdoc.blocks import read_directives, split_code_blocks
from concdoc.sphinxext import cache, render, seam
from concdoc.sphinxext.settings import Settings

ALL_EXAMPLES = sorted(EXAMPLES.rglob("*.py"))


def test_sphinx_gallery_still_calls_the_replaced_function_by_name():
    assert "execute_script" in gen_rst.generate_file_rst.__code__.co_names
    sphinxext.check_seam()
    original = getattr(
        gen_rst, "_concdoc_original_execute_script", gen_rst.execute_script
    )
    assert list(inspect.signature(original).parameters) == [
        "script_blocks",
        "script_vars",
        "gallery_conf",
        "file_conf",
    ]
    # what the replacement relies on, from sphinx-gallery's side
    assert "{0}" in gen_rst.CODE_OUTPUT
    assert callable(gen_rst.codestr2rst)
    iterator = sphinx_gallery.scrapers.ImagePathIterator("x_{0:03}.png")
    assert iterator.image_path == "x_{0:03}.png" and next(iterator) == "x_001.png"


def test_sphinx_gallery_formats_the_replaced_timing_template(monkeypatch):
    """The running-time line is one fixed, translatable sentence on every page;
    the time is a substitution, worded by the build's language."""
    assert "TIMING_CONTENT" in gen_rst.save_rst_example.__code__.co_names
    # what setup() does, undone after the test
    monkeypatch.setattr(gen_rst, "TIMING_CONTENT", gen_rst.TIMING_CONTENT)
    monkeypatch.setattr(gen_rst, "execute_script", gen_rst.execute_script)
    seam.install()
    assert gen_rst.TIMING_CONTENT is render.TIMING_CONTENT
    text = gen_rst.TIMING_CONTENT.format(1.0, 2.5)
    assert "**Total running time of the script:** |concdoc_run_time|" in text
    assert ".. |concdoc_run_time| concdoc-run-time:: 1 2.500" in text


def test_seam_check_rejects_an_unknown_version(monkeypatch):
    monkeypatch.setattr(sphinx_gallery, "__version__", "0.23.0")
    with pytest.raises(ExtensionError, match="supports sphinx-gallery >=0.22,<0.23"):
        sphinxext.check_seam()


def test_seam_check_rejects_a_changed_signature(monkeypatch):
    def changed(script_blocks, script_vars, gallery_conf):  # pragma: no cover
        raise AssertionError

    monkeypatch.delattr(gen_rst, "_concdoc_original_execute_script", raising=False)
    monkeypatch.setattr(gen_rst, "execute_script", changed)
    with pytest.raises(ExtensionError, match="changed its parameters"):
        sphinxext.check_seam()


def test_seam_check_names_a_renamed_private_name_and_the_versions(monkeypatch):
    monkeypatch.delattr(gen_rst, "_get_parser")
    monkeypatch.delattr(sphinx_gallery.utils, "_collect_gallery_files")
    with pytest.raises(ExtensionError) as raised:
        sphinxext.check_seam()
    message = str(raised.value)
    assert "sphinx_gallery.gen_rst._get_parser is missing" in message
    assert "sphinx_gallery.utils._collect_gallery_files is missing" in message
    assert f"sphinx-gallery {sphinx_gallery.__version__}" in message
    assert f"sphinx {sphinx.__version__}" in message


def test_setup_checks_the_seam_before_using_it(monkeypatch):
    """A renamed Sphinx name fails the build with the check's message, not an
    ImportError from wherever it is used first."""
    monkeypatch.setattr(
        sphinx_search_zh.SearchChinese, "js_stemmer_rawcode", "english-stemmer.js"
    )
    monkeypatch.setattr(sphinx, "version_info", (9, 0, 4, "final", 0))
    # (Sphinx before 8.2 never had it)
    monkeypatch.delattr(sphinx_search, "_MINIFIED_JS_PATH", raising=False)
    chinese = SimpleNamespace(config=SimpleNamespace(language="zh_CN"))
    with pytest.raises(ExtensionError, match=r"sphinx\.search\._MINIFIED_JS_PATH"):
        sphinxext.setup(chinese)
    sphinxext.check_seam()  # an English build does not use it
    # Sphinx before 9.0 writes a working Chinese search page: not needed there
    monkeypatch.setattr(sphinx, "version_info", (8, 1, 3, "final", 0))
    sphinxext.check_seam(chinese=True)


def test_an_optional_piece_only_turns_its_shortcut_off(monkeypatch):
    from sphinx.transforms import i18n as sphinx_i18n

    def other(text, path):  # pragma: no cover - never called
        raise AssertionError

    # (Sphinx 7.3 has no _publish_msgstr at all: the shortcut is off there too)
    monkeypatch.setattr(sphinx_i18n, "_publish_msgstr", other, raising=False)
    sphinxext.check_seam()
    assert not seam.available("sphinx.transforms.i18n._publish_msgstr")


def test_every_private_name_the_package_uses_is_in_the_seam():
    """Names reached through sphinx-gallery's and Sphinx's modules are listed
    in seam.PIECES (or public), so the check at load covers all of them."""
    aliases = {
        "gen_rst": "sphinx_gallery.gen_rst",
        "gen_gallery": "sphinx_gallery.gen_gallery",
        "gallery_utils": "sphinx_gallery.utils",
        "scrapers": "sphinx_gallery.scrapers",
        "sphinx_search": "sphinx.search",
        "sphinx_i18n": "sphinx.transforms.i18n",
    }
    listed = {piece.label for piece in seam.PIECES}
    package = Path(sphinxext.__file__).parent
    used = set()
    for path in package.glob("*.py"):
        text = path.read_text()
        assert "from sphinx_gallery." not in text.replace(
            "from sphinx_gallery import", ""
        ), path.name
        for alias, module in aliases.items():
            for name in re.findall(rf"\b{alias}\.(_[a-z]\w*)", text):
                used.add(f"{module}.{name}")
    used.discard("sphinx_gallery.gen_rst._concdoc_original_execute_script")
    used.discard("sphinx_gallery.gen_gallery._concdoc_original_import_matplotlib")
    assert used and used <= listed, used - listed


def _sphinx_gallery_code_blocks(path: Path) -> list[tuple[int, str]]:
    _, blocks = py_source_parser.split_code_and_text_blocks(str(path))
    return [(b.lineno, b.content) for b in blocks if b.type == "code"]


SYNTHETIC = {
    "no_separators.py": '"""Doc\n===\n"""\nprint(1)\nprint(2)\n',
    "hashes.py": '"""D\n=\n"""\na = 1\n' + "#" * 30 + "\n# text\n# more\n\nb = 2\n",
    "multiline_doc.py": (
        '"""\nTitle\n=====\n\nMore.\n"""\n\n# %%\n# t\nx = 1\n# %%\ny = 2\n'
    ),
}


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=lambda p: p.name)
def test_block_split_agrees_with_sphinx_gallery(path):
    ours = [(b.lineno, b.source) for b in split_code_blocks(path.read_text())]
    assert ours == _sphinx_gallery_code_blocks(path)


@pytest.mark.parametrize("name", sorted(SYNTHETIC))
def test_block_split_agrees_on_edge_cases(tmp_path, name):
    path = tmp_path / name
    path.write_text(SYNTHETIC[name])
    ours = [(b.lineno, b.source) for b in split_code_blocks(path.read_text())]
    assert ours == _sphinx_gallery_code_blocks(path)


# --- builds ---------------------------------------------------------------

CONF = """
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


def _mini_site(root: Path, examples: dict[str, str], timeout: float = 30) -> Path:
    (root / "examples").mkdir(parents=True)
    (root / "conf.py").write_text(CONF.format(timeout=timeout))
    (root / "index.rst").write_text(
        "Mini\n====\n\n.. toctree::\n\n   auto_examples/index\n"
    )
    (root / "examples" / "README.rst").write_text("Gallery\n=======\n")
    for name, source in examples.items():
        (root / "examples" / name).write_text(textwrap.dedent(source))
    return root


def test_mini_build_shows_worker_output_and_figures(tmp_path):
    src = _mini_site(
        tmp_path / "src",
        {
            # built first: its monkey patching must not reach the build
            "a_gevent_patch.py": '''
            """Patch
            =====
            """
            from gevent import monkey
            monkey.patch_all()
            import socket
            print(socket.socket.__module__)
            ''',
            "pool_spawn.py": '''
            """Spawn pool
            ==========

            Workers defined here print.
            """
            import multiprocessing

            def hello(i):
                print(f"hello from worker {i}")
                return i

            # %%
            # Run them.

            if __name__ == "__main__":
                with multiprocessing.get_context("spawn").Pool(2) as pool:
                    print(sorted(pool.map(hello, range(3))))
                import matplotlib.pyplot as plt
                plt.plot([1, 3, 2])
            ''',
        },
    )
    proc = sphinx_build(src, tmp_path / "html")
    assert proc.returncode == 0, proc.stderr
    rst = (src / "auto_examples" / "pool_spawn.rst").read_text()
    for i in range(3):
        assert f"hello from worker {i}" in rst
    assert "[0, 1, 2]" in rst
    assert "gevent" in (src / "auto_examples" / "a_gevent_patch.rst").read_text()
    assert "sphx_glr_pool_spawn_001.png" in rst
    assert (src / "auto_examples" / "images" / "sphx_glr_pool_spawn_001.png").is_file()
    assert (
        src / "auto_examples" / "images" / "thumb" / "sphx_glr_pool_spawn_thumb.png"
    ).is_file()
    assert (
        "hello from worker 0"
        in (tmp_path / "html" / "auto_examples" / "pool_spawn.html").read_text()
    )


def test_mini_build_fails_on_exception_with_traceback(tmp_path):
    src = _mini_site(
        tmp_path / "src",
        {
            "raises.py": (
                '"""Raises\n======\n"""\nprint("so far")\nraise LookupError("nope")\n'
            ),
            "meant.py": (
                '"""Meant\n=====\n"""\n# concdoc: expected-failure\n'
                'raise KeyError("k")\n'
            ),
        },
    )
    proc = sphinx_build(src, tmp_path / "html")
    assert proc.returncode != 0
    assert "raises.py" in proc.stderr and "LookupError: nope" in proc.stderr
    assert "meant.py" not in proc.stderr.split("Unexpected failing examples")[-1]
    assert "LookupError: nope" in (src / "auto_examples" / "raises.rst").read_text()
    assert "KeyError: 'k'" in (src / "auto_examples" / "meant.rst").read_text()


def test_mini_build_notes_varying_output_and_fails_on_a_leak(tmp_path):
    src = _mini_site(
        tmp_path / "src",
        {
            "varies.py": (
                '"""Varies\n======\n"""\n# concdoc: output-varies\nprint("x")\n'
            ),
            "steady.py": '"""Steady\n======\n"""\nprint("y")\n',
            "leaks.py": (
                '"""Leaks\n=====\n"""\nimport sys\n'
                'sys.modules["kept"] = open(__file__)\n'
            ),
        },
    )
    proc = sphinx_build(src, tmp_path / "html")
    assert proc.returncode != 0
    # the build is strict by default (concdoc_strict)
    assert "leaks.py: broke the house rules (strict mode): file descriptor" in (
        proc.stderr
    )
    html = tmp_path / "html" / "auto_examples"
    assert sphinxext.OUTPUT_VARIES_NOTE in (html / "varies.html").read_text()
    assert sphinxext.OUTPUT_VARIES_NOTE not in (html / "steady.html").read_text()
    # with the house rules off, what python leaks.py does passes
    with (src / "conf.py").open("a") as conf:
        conf.write("concdoc_strict = False\n")
    relaxed = sphinx_build(src, tmp_path / "relaxed")
    assert relaxed.returncode == 0, relaxed.stderr


def test_mini_build_fails_on_timeout_naming_example_block_and_limit(tmp_path):
    src = _mini_site(
        tmp_path / "src",
        {
            "hangs.py": '''
            """Hangs
            =====
            """
            print("ready")

            # %%
            import time
            while True:
                time.sleep(0.05)
            ''',
        },
        timeout=2,
    )
    proc = sphinx_build(src, tmp_path / "html")
    assert proc.returncode != 0
    assert (
        "hangs.py: timed out after 2 s while running the code block at lines 8-10"
        in proc.stderr
    )


TIMELINE_EXAMPLES = {
    "threads.py": '''
    """Threads
    =======
    """
    import queue, threading

    q = queue.Queue(maxsize=1)

    def produce():
        for n in range(3):
            q.put(n)
        q.put(None)

    # %%
    # Run.

    worker = threading.Thread(target=produce)
    worker.start()
    while q.get() is not None:
        pass
    worker.join()
    print("done")
    ''',
    "quiet.py": '''
    """Quiet
    =====
    """
    # concdoc: timeline = off
    import queue
    q = queue.Queue()
    q.put(1)
    print(q.get())
    ''',
}


def test_mini_build_appends_a_timeline_per_language(tmp_path):
    src = _mini_site(tmp_path / "src", TIMELINE_EXAMPLES)
    with open(src / "conf.py", "a") as conf:
        conf.write('concdoc_timeline_languages = ["en", "zh_CN"]\n')
    proc = sphinx_build(src, tmp_path / "html")
    assert proc.returncode == 0, proc.stderr
    images = src / "auto_examples" / "images"
    rst = (src / "auto_examples" / "threads.rst").read_text()
    # the timeline comes after the last block's output, shown at its natural
    # size; image 001 is the gallery card's picture, drawn for it
    assert rst.index("done") < rst.index("sphx_glr_threads_002.png")
    assert ":width: 800px" in rst
    assert "sphx_glr_threads_001" not in rst
    assert (images / "sphx_glr_threads_002.png").is_file()
    assert (images / "sphx_glr_threads_002.zh_CN.png").is_file()
    thumb = images / "thumb" / "sphx_glr_threads_thumb.png"
    assert thumb.read_bytes() != (images / "sphx_glr_threads_002.png").read_bytes()
    # the run's trace, as Chrome Trace Event JSON, linked from the page
    trace = json.loads((images / "sphx_glr_threads_002.trace.json").read_text())
    assert any(e["ph"] == "X" and e["name"] == "put" for e in trace["traceEvents"])
    html = (tmp_path / "html" / "auto_examples" / "threads.html").read_text()
    link = html[html.index('class="concdoc-trace-download"') :]
    assert "sphx_glr_threads_002.trace.json" in link.split("</p>")[0]
    assert "Chrome Trace Event JSON" in link.split("</p>")[0]
    # opted out: no figure at all, and the directive is not shown
    quiet = (src / "auto_examples" / "quiet.rst").read_text()
    assert "sphx_glr_quiet_001" not in quiet
    assert "concdoc:" not in quiet and "import queue" in quiet
    assert not list(images.glob("sphx_glr_quiet_*"))


def test_trace_off_draws_no_timeline_and_bad_languages_fail(tmp_path):
    src = _mini_site(tmp_path / "src", {"threads.py": TIMELINE_EXAMPLES["threads.py"]})
    with open(src / "conf.py", "a") as conf:
        conf.write("concdoc_trace = False\n")
    proc = sphinx_build(src, tmp_path / "html")
    assert proc.returncode == 0, proc.stderr
    assert (
        "sphx_glr_threads_001"
        not in (src / "auto_examples" / "threads.rst").read_text()
    )
    with open(src / "conf.py", "a") as conf:
        conf.write('concdoc_trace = True\nconcdoc_timeline_languages = ["fr"]\n')
    proc = sphinx_build(src, tmp_path / "html2")
    assert proc.returncode != 0
    assert "concdoc_timeline_languages" in proc.stderr and "'fr'" in proc.stderr


def test_timeline_path_names_other_languages():
    assert sphinxext.timeline_path("img/a_001.png", "en") == "img/a_001.png"
    assert sphinxext.timeline_path("img/a_001.png", "zh_CN") == "img/a_001.zh_CN.png"


@pytest.mark.slow
def test_the_site_builds(built_site):
    """The whole site (shared with tests/test_i18n.py): gevent's monkey patching
    and multiprocessing examples share the build, and every worker's lines
    reach the pool page."""
    out = built_site.root("en")
    pool = (out / "auto_examples" / "pools" / "pool_apply_async.html").read_text()
    for name in ("worker", "foo", "bar"):
        for i in range(3):
            assert f"From {name} {i}" in pool
    assert (out / "auto_examples" / "coroutines" / "gevent_spawn.html").is_file()
    assert (out / "guide" / "api.html").is_file()
    # every example marked '# concdoc: output-varies' says so on its page
    marked = [p for p in ALL_EXAMPLES if read_directives(p.read_text()).output_varies]
    assert marked
    for path in ALL_EXAMPLES:
        page = out / "auto_examples" / path.relative_to(EXAMPLES).with_suffix(".html")
        has_note = sphinxext.OUTPUT_VARIES_NOTE in page.read_text()
        assert has_note == (path in marked), (
            f"{path.name}: marked {path in marked}, note on its page {has_note}"
        )
    # every concurrency example ends with its timeline (image 002: 001 is its
    # card's picture) and a link to its trace; opted-out ones have neither
    images = out / "_images"
    assert (images / "sphx_glr_bounded_queue_blocking_put_002.png").is_file()
    assert (images / "sphx_glr_gevent_patched_sleep_002.png").is_file()
    assert not list(images.glob("sphx_glr_queue_kinds_00*.png"))
    traces = {p.name for p in (out / "_downloads").rglob("*.trace.json")}
    assert "sphx_glr_bounded_queue_blocking_put_002.trace.json" in traces
    assert not any(name.startswith("sphx_glr_queue_kinds") for name in traces)
    assert (out / "guide" / "trace-your-own-script.html").is_file()


@pytest.mark.slow
def test_pages_offer_scripts_not_notebooks(built_site):
    """Functions defined in a notebook cell cannot be found by spawn or
    forkserver workers, so no page offers a notebook (examples/README.rst)."""
    out = built_site.root("en")
    page = (out / "auto_examples" / "pools" / "pool_map.html").read_text()
    assert "pool_map.py" in page
    for html in out.rglob("*.html"):
        assert ".ipynb" not in html.read_text(encoding="utf-8"), html
    assert not list(out.rglob("*.ipynb"))


# --- parallel runs, run-alone, staleness, two builds at once -----------------

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
    src = _mini_site(tmp_path / "src", examples)
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


COUNTS = '''
"""Counted
=======
"""
import pathlib

with open({log!r}, "a") as log:
    log.write("ran\\n")
print("counted")
'''


def test_bad_jobs_setting_fails_the_build(tmp_path):
    src = _mini_site(tmp_path / "src", {"steady.py": '"""S\n=\n"""\nprint(1)\n'})
    proc = sphinx_build(src, tmp_path / "html", "-D", "concdoc_jobs=0")
    assert proc.returncode != 0 and "concdoc_jobs must be a positive integer" in (
        proc.stderr
    )
    proc = sphinx_build(src, tmp_path / "html", "-D", "concdoc_jobs=1")
    assert proc.returncode == 0, proc.stderr


def test_rebuild_reruns_examples_only_when_the_run_key_changes(tmp_path):
    log = tmp_path / "runs.log"
    src = _mini_site(tmp_path / "src", {"counted.py": COUNTS.format(log=str(log))})
    for _ in range(2):
        proc = subprocess_build(src, tmp_path / "html")
        assert proc.returncode == 0, proc.stderr
    assert log.read_text().count("ran") == 1  # unchanged: not run again
    key = src / "auto_examples" / cache.RUN_KEY_FILE
    assert "concdoc" in key.read_text()
    with open(src / "conf.py", "a") as conf:
        conf.write("concdoc_timeout = 31\n")
    proc = subprocess_build(src, tmp_path / "html")
    assert proc.returncode == 0, proc.stderr
    assert log.read_text().count("ran") == 2
    assert "examples run again (timeout changed)" in proc.stdout


def test_run_key_follows_concdoc_and_settings(tmp_path, monkeypatch):
    settings = Settings(
        start_method=None, timeout=60.0, trace=True, timeline_languages=("en",), jobs=2
    )
    gallery = tmp_path / "gallery"
    (gallery / "chapter").mkdir(parents=True)
    md5 = gallery / "chapter" / "x.py.md5"
    md5.write_text("abc")
    cache.refresh_run_key(gallery, settings)
    assert not md5.exists()  # no key yet: nothing is known to be current
    md5.write_text("abc")
    cache.refresh_run_key(gallery, settings)
    assert md5.exists()
    monkeypatch.setattr(cache, "__version__", "9.9.9")
    cache.refresh_run_key(gallery, settings)
    assert not md5.exists()
    md5.write_text("abc")
    cache.refresh_run_key(gallery, replace(settings, trace=False))
    assert not md5.exists()
    md5.write_text("abc")
    cache.refresh_run_key(gallery, replace(settings, trace=False, jobs=3))
    assert md5.exists()  # how many run at once does not change a page
    cache.refresh_run_key(gallery, replace(settings, timeline_languages=("en", "x")))
    assert not md5.exists()
    md5.write_text("abc")
    cache.refresh_run_key(gallery, replace(settings, strict=False))
    assert not md5.exists()


def test_run_key_covers_every_module_of_the_package(tmp_path, monkeypatch):
    """Editing concdoc.bench (which the benchmark examples import) re-runs them."""
    settings = Settings(None, 60.0, True, ("en",), 2)
    key = cache.run_key(settings)
    assert key == cache.run_key(settings)
    for module in (
        "bench/__init__.py",
        "semantics/model.py",
        "_inside/boot/sitecustomize.py",
    ):
        assert (cache.PACKAGE / module).is_file()
    package = tmp_path / "concdoc"
    (package / "bench").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "bench" / "measure.py").write_text("REPEATS = 5\n")
    monkeypatch.setattr(cache, "PACKAGE", package)
    before = cache.run_key(settings)
    (package / "bench" / "measure.py").write_text("REPEATS = 7\n")
    assert cache.run_key(settings)["concdoc"] != before["concdoc"]


def test_settings_are_frozen_and_the_run_state_stays_out_of_the_config():
    from concdoc.sphinxext import runs

    config = SimpleNamespace(
        concdoc_timeout=5,
        concdoc_start_method=None,
        concdoc_trace=True,
        concdoc_strict=True,
        concdoc_timeline_languages=["en"],
        concdoc_jobs="3",
        sphinx_gallery_conf={"examples_dirs": []},
    )
    runs.begin_runs(SimpleNamespace(parallel=0), config)
    app = SimpleNamespace(config=config)
    try:
        state = runs.state_of(config.sphinx_gallery_conf)
        assert state.settings == Settings(5.0, None, True, ("en",), 3)
        with pytest.raises(AttributeError):
            state.settings.jobs = 4  # type: ignore[misc]
        assert config.sphinx_gallery_conf == {"examples_dirs": []}
        with pytest.raises(ExtensionError, match="not set up"):
            runs.state_of({"examples_dirs": []})  # an equal dict, not this build's
    finally:
        runs.finish_runs(app, None)
    with pytest.raises(ExtensionError, match="not set up"):
        runs.state_of(config.sphinx_gallery_conf)


def test_two_builds_at_once_share_the_gallery_and_run_each_example_once(tmp_path):
    log = tmp_path / "runs.log"
    src = _mini_site(tmp_path / "src", {"counted.py": COUNTS.format(log=str(log))})
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


def subprocess_build(src: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """sphinx-build without -q: the progress lines are on stdout."""
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", str(src), str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )


# --- a quiet build log ---------------------------------------------------------


def test_the_build_log_drops_dumps_but_never_warnings(caplog):
    from sphinx.util import logging as sphinx_logging

    from concdoc.sphinxext import quiet

    quiet.quieten()
    myst = sphinx_logging.getLogger("myst_parser.sphinx_ext.main")
    gallery = sphinx_logging.getLogger("sphinx-gallery")
    with caplog.at_level("INFO", logger="sphinx"):
        myst.info("\x1b[01mmyst v%s:\x1b[39;49;00m %s", "5", "MdParserConfig(...)")
        gallery.info("Using Sphinx-Gallery to convert rst text blocks to markdown")
        gallery.info("generating gallery...")
        gallery.warning("Using Sphinx-Gallery to convert: a warning stays")
    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        "generating gallery...",
        "Using Sphinx-Gallery to convert: a warning stays",
    ]
    assert logging.getLogger("jieba").getEffectiveLevel() >= logging.WARNING


def test_one_run_summary_names_the_slowest_examples_without_memory():
    from concdoc.sphinxext.quiet import SLOWEST, run_summary

    assert run_summary([], 1.0, 3) == []
    times = [(f"ch/e{i}.py", float(i)) for i in range(SLOWEST + 2)]
    lines = run_summary(times, 20.0, 3)
    assert lines[0].startswith("concdoc: ran 10 examples in 20.0 s, 3 at a time")
    assert len(lines) == 1 + SLOWEST
    assert lines[1].split() == ["ch/e9.py", "9.0", "s"]
    assert not any("MB" in line for line in lines)


def test_generated_files_of_a_removed_example_are_deleted(tmp_path):
    """A renamed example leaves no page behind (a strict build would fail on
    a document in no toctree); its neighbours and concdoc's files stay."""
    from concdoc.sphinxext.cache import remove_orphans

    examples, gallery = tmp_path / "examples", tmp_path / "auto_examples"
    (examples / "chapter").mkdir(parents=True)
    (examples / "chapter" / "pipe_duplex.py").write_text("print(1)\n")
    chapter = gallery / "chapter"
    (chapter / "images" / "thumb").mkdir(parents=True)
    (gallery / "_bench_results").mkdir()
    (gallery / "_bench_results" / "x.json").write_text("{}")
    (gallery / "index.rst").write_text("")
    kept = [chapter / "index.rst", chapter / "pipe_duplex.rst"]
    kept += [chapter / "images" / "sphx_glr_pipe_duplex_001.png"]
    gone = [chapter / f"pipe{suffix}" for suffix in (".rst", ".py", ".py.md5", ".zip")]
    gone += [chapter / "images" / "sphx_glr_pipe_001.png"]
    gone += [chapter / "images" / "sphx_glr_pipe_001.zh_CN.png"]
    gone += [chapter / "images" / "thumb" / "sphx_glr_pipe_thumb.png"]
    old_chapter = gallery / "removed_chapter"
    old_chapter.mkdir()
    (old_chapter / "index.rst").write_text("")
    for path in kept + gone:
        path.write_text("")
    removed = remove_orphans(examples, gallery)
    assert sorted(removed) == sorted([*gone, old_chapter])
    assert all(path.exists() for path in kept)
    assert (gallery / "_bench_results" / "x.json").exists()
    assert remove_orphans(examples, gallery) == []
