"""concdoc.sphinxext.settings: the ``concdoc_*`` values, checked and frozen."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from conftest import mini_site, sphinx_build
from sphinx.errors import ExtensionError

from concdoc.sphinxext.settings import Settings


def test_bad_jobs_setting_fails_the_build(tmp_path):
    src = mini_site(tmp_path / "src", {"steady.py": '"""S\n=\n"""\nprint(1)\n'})
    proc = sphinx_build(src, tmp_path / "html", "-D", "concdoc_jobs=0")
    assert proc.returncode != 0 and "concdoc_jobs must be a positive integer" in (
        proc.stderr
    )
    proc = sphinx_build(src, tmp_path / "html", "-D", "concdoc_jobs=1")
    assert proc.returncode == 0, proc.stderr


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
