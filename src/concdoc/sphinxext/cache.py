"""The run cache: which examples sphinx-gallery will execute, and the run key.

sphinx-gallery re-runs an example only when its source changed; the run key
(run_key) adds what else shapes its page: concdoc itself, the interpreter,
the settings. When it changes, the examples' .md5 files are removed.

Two builds sharing a gallery (English and Chinese, docs/build.py) take
turns generating it (a FileLock per gallery folder), so the second finds
every example up to date and runs none.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import platform
import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util.logging import getLogger
from sphinx_gallery import gen_gallery, gen_rst
from sphinx_gallery import utils as gallery_utils

from concdoc import __version__

logger = getLogger(__name__)

RUN_KEY_FILE = "concdoc-run-key.json"


def run_key(settings: dict[str, Any]) -> dict[str, str]:
    """What, besides its source, shapes an example's page."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    modules = ("*.py", "_inside/**/*.py", "sphinxext/*.py")
    for path in sorted(p for pattern in modules for p in package.glob(pattern)):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    packages = []
    for name in ("sphinx-gallery", "matplotlib", "gevent", "greenlet"):
        try:
            packages.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            packages.append(f"{name} -")
    return {
        "concdoc": f"{__version__} {digest.hexdigest()[:16]}",
        "python": f"{sys.implementation.name} {platform.python_version()}",
        "packages": ", ".join(packages),
        "start method": repr(settings["start_method"]),
        "timeout": repr(settings["timeout"]),
        "trace": repr(settings["trace"]),
        "strict": repr(settings["strict"]),
        "timeline languages": ", ".join(settings["timeline_languages"]),
    }


def gallery_dirs(app: Sphinx, gallery_conf: dict[str, Any]) -> list[tuple[Path, Path]]:
    examples, galleries = gallery_conf["examples_dirs"], gallery_conf["gallery_dirs"]
    if not isinstance(examples, list):
        examples = [examples]
    if not isinstance(galleries, list):
        galleries = [galleries]
    src = Path(app.srcdir)
    return [(src / ex, src / gal) for ex, gal in zip(examples, galleries, strict=False)]


def refresh_run_key(gallery: Path, settings: dict[str, Any]) -> None:
    """Forget the gallery's past runs (their .md5 files) if the run key changed."""
    key = run_key(settings)
    path = gallery / RUN_KEY_FILE
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = None
    if old == key:
        return
    md5s = list(gallery.rglob("*.md5")) if gallery.is_dir() else []
    if md5s and isinstance(old, dict):
        changed = ", ".join(k for k in key if old.get(k) != key[k])
        logger.info("concdoc: examples run again (%s changed)", changed)
    for md5 in md5s:
        md5.unlink()
    gallery.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(key, indent=1), encoding="utf-8")


def stale_examples(
    examples: Path, gallery: Path, gallery_conf: dict[str, Any]
) -> list[tuple[str, Path]]:
    """The examples of one gallery sphinx-gallery will execute, in its order.

    Pairs of (source file, target folder), found with sphinx-gallery's own
    helpers: its folders, file patterns and md5 check.
    """
    header = gen_rst._get_gallery_header(examples, gallery_conf, raise_error=False)
    subsections = gen_gallery.get_subsections(
        gallery_conf["src_dir"], examples, gallery_conf, check_for_header=bool(header)
    )
    folders = [(examples, gallery)] + [(examples / s, gallery / s) for s in subsections]
    stale = []
    for src_dir, target_dir in folders:
        for name in gallery_utils._collect_gallery_files([src_dir], gallery_conf):
            src_file = os.path.normpath(src_dir / name)
            if not gen_rst.executable_script(src_file, gallery_conf):
                continue
            md5 = Path(f"{target_dir / name}.md5")
            current = md5.is_file() and md5.read_text() == gallery_utils.get_md5sum(
                src_file, "t"
            )
            if current and not gallery_conf["run_stale_examples"]:
                continue
            stale.append((src_file, target_dir))
    return stale
