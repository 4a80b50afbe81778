"""concdoc.sphinxext.cache: which examples need running, and what is left over."""

from __future__ import annotations

from dataclasses import replace

from conftest import COUNTS, mini_site, subprocess_build

from concdoc.sphinxext import cache
from concdoc.sphinxext.settings import Settings


def test_rebuild_reruns_examples_only_when_the_run_key_changes(tmp_path):
    log = tmp_path / "runs.log"
    src = mini_site(tmp_path / "src", {"counted.py": COUNTS.format(log=str(log))})
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
