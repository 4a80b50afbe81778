"""The queue-semantics probes: run once per build, kept in memory and on disk.

``.. concdoc-semantics:: TABLE`` renders one table of probe results (see
concdoc.semantics.TABLES), ``timing`` (the timeout-accuracy chart and its
numbers) or ``missing`` (implementations this interpreter lacks). The
probes run once per build, in a fresh interpreter
(``python -m concdoc semantics --format json``); the JSON is kept in memory
for the rest of the build and on disk, keyed by Python version and a hash
of the probe code, so the next build (another language) reuses it.

"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import platform
import subprocess
import sys
import threading
from functools import partial
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.logging import getLogger

from concdoc.schedule import FileLock, RunPool
from concdoc.sphinxext.cache import shared_dir

logger = getLogger(__name__)

_SEMANTICS_CACHE: dict[str, dict[str, Any]] = {}
_SEMANTICS_LOCK = threading.Lock()


def _semantics_key(only: list[str] | None) -> str:
    # found, not imported: a build that reuses the cache never imports the probes
    spec = importlib.util.find_spec("concdoc.semantics")
    assert spec is not None and spec.origin is not None
    digest = hashlib.sha256()
    for path in sorted(Path(spec.origin).parent.glob("*.py")):
        digest.update(path.read_bytes())
    for package in ("gevent", "greenlet"):
        try:
            digest.update(importlib.metadata.version(package).encode())
        except importlib.metadata.PackageNotFoundError:
            pass
    digest.update(repr(sorted(only or [])).encode())
    impl = sys.implementation.name
    return f"{impl}-{platform.python_version()}-{digest.hexdigest()[:16]}"


def _semantics_cache_dir(app: Sphinx) -> Path:
    configured = app.config.concdoc_semantics_cache
    if configured:
        return Path(app.confdir, configured)
    return shared_dir(app, "concdoc-semantics")  # every language build shares it


def semantics_reports(app: Sphinx) -> dict[str, Any]:
    """The probe results (JSON data) for this build: memory, disk, or a fresh run.

    Raises
    ------
    sphinx.errors.ExtensionError
        If the probe run fails, times out, or prints something that is not
        a report.
    """
    only = app.config.concdoc_semantics_only
    key = _semantics_key(only)
    with _SEMANTICS_LOCK:
        if key in _SEMANTICS_CACHE:
            return _SEMANTICS_CACHE[key]
        path = _semantics_cache_path(app)
        data = _cached_semantics(path)
        if data is None:
            # another build (the other language) may be probing: wait for it
            with FileLock(path.with_suffix(".lock")):
                data = _cached_semantics(path)
                if data is None:
                    data = _run_semantics_probes(app, only)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(json.dumps(data), encoding="utf-8")
        _SEMANTICS_CACHE[key] = data
        return data


def _semantics_cache_path(app: Sphinx) -> Path:
    key = _semantics_key(app.config.concdoc_semantics_only)
    return _semantics_cache_dir(app) / f"{key}.json"


def _cached_semantics(path: Path) -> dict[str, Any] | None:
    from concdoc.semantics import reports_from_json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        reports_from_json(data)
    except (OSError, ValueError):
        return None
    logger.info("concdoc: queue semantics reused from %s", path)
    return data


def start_semantics(app: Sphinx, pool: RunPool) -> None:
    """Start the probes now if a page will want them and none are cached.

    They take seconds, mostly waiting out timeouts: run beside the examples,
    they are ready by the time the page is read.
    """
    if _semantics_cache_path(app).is_file():
        return
    skip = {Path(app.outdir), Path(app.doctreedir)}
    for path in Path(app.srcdir).rglob("*"):
        if path.suffix not in (".md", ".rst") or skip & set(path.parents):
            continue
        if "concdoc-semantics" in path.read_text(encoding="utf-8", errors="ignore"):
            pool.add("semantics", partial(semantics_reports, app), own_thread=True)
            return


def _run_semantics_probes(app: Sphinx, only: list[str] | None) -> dict[str, Any]:
    from concdoc.semantics import reports_from_json

    timeout = app.config.concdoc_semantics_timeout
    command = [sys.executable, "-m", "concdoc", "semantics", "--format", "json"]
    if only:
        command += ["--only", *only]
    logger.info("concdoc: probing queue semantics (%s)", " ".join(command[1:]))
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise ExtensionError(
            f"concdoc semantics: the probes did not finish within {timeout:g} s"
        ) from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ExtensionError(
            f"concdoc semantics: the probes failed (exit {done.returncode}): {last}"
        )
    try:
        data = json.loads(done.stdout)
        reports_from_json(data)
    except ValueError as exc:
        raise ExtensionError(
            f"concdoc semantics: unreadable probe output: {exc}"
        ) from None
    logger.info("concdoc: %s", done.stderr.strip().splitlines()[-1])
    for name, report in reports_from_json(data).items():
        if report.available and report.reason:
            logger.warning(
                "concdoc semantics: %s: %s",
                name,
                report.reason,
                type="concdoc",
                subtype="semantics",
            )
    return data
