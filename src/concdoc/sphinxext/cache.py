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
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util.logging import getLogger
from sphinx_gallery import gen_gallery, gen_rst
from sphinx_gallery import utils as gallery_utils

from concdoc import __version__
from concdoc.sphinxext.settings import Settings

logger = getLogger(__name__)

RUN_KEY_FILE = "concdoc-run-key.json"
#: The concdoc package, whose sources are part of every run key.
PACKAGE = Path(__file__).resolve().parent.parent


def run_key(settings: Settings) -> dict[str, str]:
    """What, besides its source, shapes an example's page."""
    digest = hashlib.sha256()
    # every module of the package: an example may import any (bench/ does)
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes())
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
        "start method": repr(settings.start_method),
        "timeout": repr(settings.timeout),
        "trace": repr(settings.trace),
        "strict": repr(settings.strict),
        "timeline languages": ", ".join(settings.timeline_languages),
    }


def shared_dir(app: Sphinx, name: str) -> Path:
    """A folder every language's build shares: beside the per-language doctree
    folders, or inside the doctree folder if that sits in the output."""
    doctrees = Path(app.doctreedir)
    if doctrees.parent.resolve() == Path(app.outdir).resolve():
        return doctrees / name
    return doctrees.parent / name


def gallery_dirs(app: Sphinx, gallery_conf: dict[str, Any]) -> list[tuple[Path, Path]]:
    examples, galleries = gallery_conf["examples_dirs"], gallery_conf["gallery_dirs"]
    if not isinstance(examples, list):
        examples = [examples]
    if not isinstance(galleries, list):
        galleries = [galleries]
    src = Path(app.srcdir)
    return [(src / ex, src / gal) for ex, gal in zip(examples, galleries, strict=False)]


#: Generated files of one example, beside its page: ``NAME.rst``,
#: ``NAME.py``, ``NAME.py.md5``, ``NAME.zip``, ``NAME.codeobj.json``, ...
_IMAGE = re.compile(r"sphx_glr_(?P<stem>.+?)_(\d{3}|thumb)(\..+)?$")
#: Pages sphinx-gallery writes for a folder, not for an example.
_FOLDER_PAGES = frozenset({"index", "sg_execution_times"})


def remove_orphans(examples: Path, gallery: Path) -> list[Path]:
    """Delete what the gallery still holds of examples that no longer exist.

    sphinx-gallery writes each example's page, a copy of its script, its
    figures and thumbnail into ``gallery`` and never deletes them; after an
    example is renamed or removed, its old page would stay in the build
    (and a strict build fails on a document in no toctree). A chapter folder
    (a folder with an ``index.rst``) whose examples folder is gone goes
    whole. Returns what was deleted.
    """
    if not gallery.is_dir():
        return []
    removed: list[Path] = []
    for folder in sorted(p for p in gallery.rglob("*") if p.is_dir()):
        rel = folder.relative_to(gallery)
        if not (folder / "index.rst").is_file():
            continue  # images, thumbnails, concdoc's own files: not a chapter
        if not (examples / rel).is_dir():
            if folder.exists():
                shutil.rmtree(folder)
                removed.append(folder)
            continue
        pages = {p.stem for p in folder.glob("*.rst")} - _FOLDER_PAGES
        gone = {stem for stem in pages if not (examples / rel / f"{stem}.py").exists()}
        if not gone:
            continue
        for path in folder.iterdir():
            if path.is_file() and path.name.split(".", 1)[0] in gone:
                path.unlink()
                removed.append(path)
        for images in (folder / "images", folder / "images" / "thumb"):
            for path in images.glob("sphx_glr_*") if images.is_dir() else ():
                match = _IMAGE.match(path.name)
                if match and match["stem"] in gone:
                    path.unlink()
                    removed.append(path)
    return removed


def refresh_run_key(gallery: Path, settings: Settings) -> None:
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
