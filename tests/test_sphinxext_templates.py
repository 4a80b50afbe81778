"""concdoc.sphinxext.templates: the theme's compiled templates kept on disk."""

from __future__ import annotations

from types import SimpleNamespace

from jinja2 import DictLoader, Environment, FileSystemBytecodeCache

from concdoc.sphinxext.templates import keep_compiled_templates


def _app(tmp_path, environment):
    builder = SimpleNamespace(templates=SimpleNamespace(environment=environment))
    return SimpleNamespace(
        builder=builder,
        doctreedir=str(tmp_path / "doctrees" / "en"),
        outdir=str(tmp_path / "html" / "en"),
    )


def test_templates_compiled_once_are_kept_beside_the_doctrees(tmp_path):
    environment = Environment(loader=DictLoader({"page.html": "<p>{{ x }}</p>"}))
    keep_compiled_templates(_app(tmp_path, environment))
    folder = tmp_path / "doctrees" / "concdoc-templates"  # shared by the languages
    cache = environment.bytecode_cache
    assert isinstance(cache, FileSystemBytecodeCache)
    assert cache.directory == str(folder)
    assert environment.get_template("page.html").render(x=1) == "<p>1</p>"
    assert len(list(folder.iterdir())) == 1
    # another build (the other language) finds the compiled template there
    other = Environment(loader=DictLoader({"page.html": "<p>{{ x }}</p>"}))
    keep_compiled_templates(_app(tmp_path, other))
    bucket = other.bytecode_cache.get_bucket(other, "page.html", None, "<p>{{ x }}</p>")
    assert bucket.code is not None


def test_a_cache_in_place_or_a_builder_without_templates_is_left_alone(tmp_path):
    environment = Environment()
    own = FileSystemBytecodeCache(str(tmp_path))
    environment.bytecode_cache = own
    keep_compiled_templates(_app(tmp_path, environment))
    assert environment.bytecode_cache is own
    keep_compiled_templates(SimpleNamespace(builder=SimpleNamespace()))
    assert not (tmp_path / "doctrees").exists()
