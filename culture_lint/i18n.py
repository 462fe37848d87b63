"""Interface language: gettext catalogs from ``locales/`` (English source, Simplified Chinese)."""

from __future__ import annotations

import gettext
import os
from pathlib import Path
from typing import Mapping

DOMAIN = "culture_lint"
SUPPORTED = ("en", "zh")
_translation: gettext.NullTranslations = gettext.NullTranslations()
_lang = "en"


def locale_dir() -> Path:
    """Compiled catalogs: ``locales/`` in a checkout, ``culture_lint/_locales`` when installed."""
    from .resources import locales_dir as _dir

    return _dir()


def normalize_lang(value: str | None) -> str | None:
    """Map ``zh_CN.UTF-8``, ``zh-Hans``, ``en_US`` … to a supported code, or None."""
    if not value:
        return None
    code = value.split(".")[0].split("@")[0].replace("-", "_").lower()
    base = code.split("_")[0]
    if base in SUPPORTED:
        return base
    return None


def lang_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    env = os.environ if environ is None else environ
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        raw = env.get(var)
        if not raw:
            continue
        # LANGUAGE may be a colon-separated priority list
        for part in raw.split(":"):
            lang = normalize_lang(part)
            if lang:
                return lang
        if var != "LANGUAGE":
            return None  # set but unsupported: fall back to English, no error
    return None


def choose_lang(flag: str | None = None, config: str | None = None) -> str:
    """--lang, then config, then the environment; unknown languages fall back to English."""
    for candidate in (flag, config):
        if candidate:
            return normalize_lang(candidate) or "en"
    return lang_from_env() or "en"


def set_lang(lang: str) -> str:
    global _translation, _lang
    _lang = normalize_lang(lang) or "en"
    if _lang == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(
            DOMAIN, localedir=str(locale_dir()), languages=["zh_CN"], fallback=True)
    return _lang


def current_lang() -> str:
    return _lang


def _(message: str) -> str:
    """Translate an interface string."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def pick(texts: Mapping[str, str] | str | None, lang: str | None = None, fallback: str = "en") -> str:
    """Choose the text for the interface language from a rule's ``{en:…, zh:…}`` map."""
    if texts is None:
        return ""
    if isinstance(texts, str):
        return texts
    lang = lang or _lang
    return texts.get(lang) or texts.get(fallback) or next(iter(texts.values()), "")
