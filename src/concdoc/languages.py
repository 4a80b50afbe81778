"""The site's languages, in one table: adding a language is one entry here.

Read by ``docs/conf.py`` (the language of a build, the language switch,
Read the Docs' codes), ``docs/build.py`` (one build per language),
``docs/i18n.py`` (the translated languages' catalogues), concdoc's stamps
and timelines, and the tests. The first entry is the source language; the
others come from the gettext catalogues in ``docs/locales/<code>/``.
Standard library only: the docs scripts import it before Sphinx.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CODES",
    "LANGUAGES",
    "SOURCE",
    "TRANSLATED",
    "Language",
    "find",
    "is_chinese",
    "is_cjk",
]


@dataclass(frozen=True)
class Language:
    """One language of the site."""

    #: Sphinx's code (``-D language=...``), the output folder and the locale
    code: str
    #: how Read the Docs spells it, in the URL and ``READTHEDOCS_LANGUAGE``
    rtd_code: str
    #: the language switch's label, in the language itself
    label: str
    #: written in Chinese, Japanese or Korean, so its charts need a CJK font
    cjk: bool = False


#: Every language of the site; the first is the source.
LANGUAGES: tuple[Language, ...] = (
    Language("en", "en", "English"),
    Language("zh_CN", "zh-cn", "简体中文", cjk=True),
)
#: The source language's code.
SOURCE = LANGUAGES[0].code
#: Every language's code, the source first.
CODES = tuple(language.code for language in LANGUAGES)
#: The codes of the languages translated from the source.
TRANSLATED = CODES[1:]


def _normal(code: str | None) -> str:
    return (code or "").lower().replace("-", "_")


def find(code: str | None) -> Language | None:
    """The entry for ``code``, however Sphinx or Read the Docs spells it.

    ``zh_CN``, ``zh-cn`` and ``zh`` all find Simplified Chinese; a code the
    table lacks finds nothing.
    """
    wanted = _normal(code)
    if not wanted:
        return None
    for language in LANGUAGES:
        if wanted in (_normal(language.code), _normal(language.rtd_code)):
            return language
    for language in LANGUAGES:
        if _normal(language.code).split("_")[0] == wanted.split("_")[0]:
            return language
    return None


def is_chinese(code: str | None) -> bool:
    """True for ``zh_CN``, ``zh-cn``, ``zh`` and the like."""
    return _normal(code).startswith("zh")


def is_cjk(code: str | None) -> bool:
    """Whether the site's language ``code`` is written in CJK characters."""
    language = find(code)
    return language is not None and language.cjk
