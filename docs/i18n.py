"""Translation workflow of the site: templates, catalogues, what is missing.

English is the source. ``python docs/i18n.py update`` (``tox -e i18n``)
regenerates the message templates (``sphinx-build -b gettext``, one per
document), updates the catalogues in ``docs/locales/<lang>/LC_MESSAGES/``
with sphinx-intl, deletes the catalogues of documents that no longer exist,
and lists every message still to translate. ``python docs/i18n.py check``
regenerates the templates into a temporary folder and only reports; it exits
with status 1 while anything is missing, untranslated or fuzzy.
tests/test_i18n.py uses the same functions.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polib

from concdoc.languages import TRANSLATED

DOCS = Path(__file__).resolve().parent
LOCALES = DOCS / "locales"
LANGUAGES = TRANSLATED  # translated languages; English is the source
#: Catalogues that belong to no document: ``sphinx`` adds the theme's
#: interface strings that its own zh catalogue leaves untranslated.
NOT_DOCUMENTS = frozenset({"sphinx"})


@dataclass(frozen=True)
class Gap:
    """One message the catalogues lack: which document, which message, why."""

    catalogue: str  # the document, e.g. "guide/cli"
    msgid: str
    problem: str  # "no catalogue", "missing", "untranslated", "fuzzy", "obsolete"

    def __str__(self) -> str:
        first = self.msgid.splitlines()[0] if self.msgid else ""
        return f"{self.catalogue}: {self.problem}: {first[:100]}"


def build_templates(out: Path, docs: Path = DOCS) -> Path:
    """Write one ``.pot`` per document into ``out`` (emptied first)."""
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "gettext", "-q", str(docs), str(out)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError("sphinx-build -b gettext failed:\n" + proc.stderr[-3000:])
    return out


def templates(directory: Path) -> dict[str, Path]:
    """Document name (``guide/cli``) -> its template."""
    return {
        p.relative_to(directory).with_suffix("").as_posix(): p
        for p in sorted(directory.rglob("*.pot"))
    }


def catalogues(language: str, locales: Path = LOCALES) -> dict[str, Path]:
    """Document name -> its catalogue for ``language``."""
    root = locales / language / "LC_MESSAGES"
    return {
        p.relative_to(root).with_suffix("").as_posix(): p
        for p in sorted(root.rglob("*.po"))
    }


def gaps(template_dir: Path, language: str, locales: Path = LOCALES) -> list[Gap]:
    """Every message of the templates that the catalogues do not translate."""
    found = catalogues(language, locales)
    result: list[Gap] = []
    for doc, pot in templates(template_dir).items():
        wanted = [e.msgid for e in polib.pofile(str(pot)) if e.msgid]
        if doc not in found:
            result += [Gap(doc, msgid, "no catalogue") for msgid in wanted]
            continue
        entries = {e.msgid: e for e in polib.pofile(str(found[doc])) if e.msgid}
        for msgid in wanted:
            entry = entries.get(msgid)
            if entry is None:
                result.append(Gap(doc, msgid, "missing"))
            elif entry.obsolete:
                result.append(Gap(doc, msgid, "obsolete"))
            elif "fuzzy" in entry.flags:
                result.append(Gap(doc, msgid, "fuzzy"))
            elif not entry.msgstr:
                result.append(Gap(doc, msgid, "untranslated"))
    return result


def remove_stale(
    template_dir: Path, language: str, locales: Path = LOCALES
) -> list[str]:
    """Delete the catalogues whose document has gone; return their names."""
    keep = templates(template_dir)
    stale = [
        doc
        for doc in catalogues(language, locales)
        if doc not in keep and doc not in NOT_DOCUMENTS
    ]
    root = locales / language / "LC_MESSAGES"
    for doc in stale:
        for suffix in (".po", ".mo"):
            (root / doc).with_suffix(suffix).unlink(missing_ok=True)
    for folder in sorted(root.rglob("*"), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return stale


def drop_obsolete(language: str, locales: Path = LOCALES) -> list[str]:
    """Remove ``#~`` entries (messages whose English is gone) from the catalogues.

    sphinx-intl keeps them; they are never shown, and they would keep old
    text (a Python version, a renamed function) in the repository.
    """
    from babel.messages.pofile import read_po, write_po

    cleaned = []
    for doc, path in catalogues(language, locales).items():
        with path.open("rb") as f:
            catalogue = read_po(f)
        if not catalogue.obsolete:
            continue
        catalogue.obsolete.clear()
        with path.open("wb") as f:
            write_po(f, catalogue, width=76)
        cleaned.append(doc)
    return cleaned


def _report(all_gaps: list[Gap], language: str) -> int:
    for gap in all_gaps:
        print(f"  {language}/{gap}")
    print(f"{language}: {len(all_gaps)} message(s) to translate")
    return 1 if all_gaps else 0


def update(language_list: tuple[str, ...] = LANGUAGES) -> int:
    """Regenerate templates, update catalogues, drop stale ones, list the gaps."""
    template_dir = build_templates(DOCS / "_build" / "gettext")
    status = 0
    for language in language_list:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "sphinx_intl",
                "update",
                "-p",
                str(template_dir),
                "-l",
                language,
                "-d",
                str(LOCALES),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        drop_obsolete(language)
        for doc in remove_stale(template_dir, language):
            print(f"{language}: removed the catalogue of {doc} (document gone)")
        status |= _report(gaps(template_dir, language), language)
    return status


def check(language_list: tuple[str, ...] = LANGUAGES) -> int:
    """Report the gaps against freshly generated templates; change nothing."""
    with tempfile.TemporaryDirectory() as tmp:
        template_dir = build_templates(Path(tmp) / "gettext")
        return max(
            (_report(gaps(template_dir, lang), lang) for lang in language_list),
            default=0,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["update", "check"])
    args = parser.parse_args(argv)
    try:
        return update() if args.command == "update" else check()
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"i18n: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
