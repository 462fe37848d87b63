"""The toolkit rule-pack parsers share: a problem collector and readers for keys, texts and pattern lists.

The loader (pack.yaml, common rule keys), every rule kind (``kinds/*.py``: its own keys) and the concept
lexicons (``packs/concepts.py``) parse YAML with these, so every problem is reported the same way, with its
file:line:col, and one run reports all of them.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ..errors import PackError
from ..i18n import _
from ..util.yamlio import LocDict, LocList, key_loc, loc_of
from .model import Pattern

LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")

Loc = tuple[int, int]


class Collector:
    """Collects validation problems of one file so one run reports all of them.

    ``compose`` parses a ``concepts:`` composition (``packs.concepts.parse_composition``); where it is None,
    pattern lists may not hold compositions (concept lexicons themselves).
    """

    def __init__(self, path: str, compose: Callable[[Any], Any] | None = None):
        self.path = path
        self.compose = compose
        self.errors: list[PackError] = []
        self.warnings: list[PackError] = []

    def error(self, message: str, loc: Loc) -> None:
        self.errors.append(PackError(message, self.path, loc[0], loc[1]))

    def warn(self, message: str, loc: Loc) -> None:
        self.warnings.append(PackError(message, self.path, loc[0], loc[1]))


def quoted(key: str) -> str:
    """A key name in quotes, for use inside other messages (``'trigger'``)."""
    # TRANSLATORS: a YAML key name in quotes, used inside other messages ("unknown key 'x' in 'trigger'")
    return _("'{key}'").format(key=key)


def either(words: tuple[str, ...]) -> str:
    """``document`` / ``document or segment``: values a setting accepts."""
    text = words[0]
    for word in words[1:]:
        # TRANSLATORS: two values a setting accepts, e.g. "document or segment"
        text = _("{first} or {second}").format(first=text, second=word)
    return text


def is_text_map(value: Any) -> bool:
    """``{lang: text}`` with string keys and values."""
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def plain(value: Any) -> Any:
    """Located YAML containers (LocDict, LocList) as plain dicts and lists."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def check_keys(col: Collector, data: LocDict, allowed: set[str], what: str) -> None:
    """An error (with a did-you-mean) for every key of ``data`` not in ``allowed``."""
    from rapidfuzz import process

    for key in data:
        if key not in allowed:
            guess = process.extractOne(key, sorted(allowed), score_cutoff=70)
            if guess:
                # TRANSLATORS: {where} is e.g. "a forbid rule", "pack.yaml" or a quoted key name
                message = _("unknown key '{key}' in {where}; did you mean '{choice}'?").format(
                    key=key, where=what, choice=guess[0])
            else:
                message = _("unknown key '{key}' in {where}").format(key=key, where=what)
            col.error(message, key_loc(data, key))


def text_map(col: Collector, data: LocDict, key: str, what: str, required: bool = True) -> dict[str, str]:
    """A ``{lang: text}`` value (a plain string counts as English); 'en' required, 'zh' expected."""
    value = data.get(key)
    if value is None:
        if required:
            # TRANSLATORS: {where} is e.g. "rule 'us.health.cure'" or "pack.yaml"
            col.error(_("{where} needs '{key}' with 'en' and 'zh' texts").format(where=what, key=key), data.loc)
        return {}
    if isinstance(value, str):
        value = {"en": value}
    if not is_text_map(value):
        col.error(_("'{key}' must map language codes to texts").format(key=key), loc_of(data, key))
        return {}
    if required and "en" not in value:
        col.error(_("'{key}' has no 'en' text").format(key=key), loc_of(data, key))
    elif required and "zh" not in value:
        col.warn(_("'{key}' has no 'zh' text").format(key=key), loc_of(data, key))
    return dict(value)


def positive_number(col: Collector, data: LocDict, key: str, label: str | None = None) -> None:
    """An error when ``data[key]`` is present and not a number above zero."""
    value = data.get(key)
    if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0):
        col.error(_("'{key}' must be a positive number").format(key=label or key), loc_of(data, key))


def mapping_choice(col: Collector, data: LocDict, key: str, keys: set[str],
                   words: tuple[str, ...] = ("document",)) -> dict[str, Any]:
    """``scope``/``per``: one of ``words`` or a mapping of ``keys`` to positive numbers."""
    value = data.get(key, "document")
    if isinstance(value, str) and value in words:
        return {value: True}
    if isinstance(value, str) or not isinstance(value, LocDict) or not value:
        # TRANSLATORS: {words} is e.g. "document or segment"; {keys} is a list of key names
        col.error(_("'{key}' must be {words} or a mapping with {keys}").format(
            key=key, words=either(words), keys=", ".join(sorted(keys))), loc_of(data, key))
        return {}
    check_keys(col, value, keys, quoted(key))
    for k, v in value.items():
        if not isinstance(v, (int, float)) or isinstance(v, bool) or v <= 0:
            col.error(_("'{key}' must be a positive number").format(key=f"{key}.{k}"), loc_of(value, k))
    return plain(value)


def parse_patterns(col: Collector, value: Any, where: Any, key: str) -> list[Pattern]:
    """Read ``{lang: [pattern, …]}`` into Pattern objects (compiled later)."""
    if value is None:
        return []
    loc = loc_of(where, key)
    if not isinstance(value, dict) or not value:
        col.error(_("'{key}' must map language codes to lists of patterns").format(key=key), loc)
        return []
    out: list[Pattern] = []
    for lang, items in value.items():
        lang = str(lang)
        lang_loc = loc_of(value, lang)
        if lang == "concepts" and col.compose is not None:
            out.extend(_parse_compositions(col, items, lang_loc))
            continue
        if not LANG_RE.match(lang):
            col.error(_("'{lang}' is not a language code (use en, zh, de, ar, …)").format(lang=lang),
                      key_loc(value, lang))
            continue
        if isinstance(items, str):
            items = LocList([items])
            items.loc = lang_loc
            items.item_locs = [lang_loc]
        if not isinstance(items, list):
            col.error(_("patterns for '{lang}' must be a list").format(lang=lang), lang_loc)
            continue
        for i, item in enumerate(items):
            pattern = _one_pattern(col, item, lang, loc_of(items, i))
            if pattern is not None:
                out.append(pattern)
    return out


def _one_pattern(col: Collector, item: Any, lang: str, loc: Loc) -> Pattern | None:
    line, column = loc
    base = dict(lang=lang, path=col.path, line=line, column=column)
    if isinstance(item, str):
        if not item.strip():
            col.error(_("empty pattern"), loc)
            return None
        return Pattern(text=item, kind="phrase", **base)
    if isinstance(item, dict) and set(item) == {"exact"} and isinstance(item["exact"], str):
        return Pattern(text=item["exact"], kind="exact", **base)
    if isinstance(item, dict) and set(item) == {"tokens"} and isinstance(item["tokens"], list) \
            and item["tokens"] and all(isinstance(t, dict) for t in item["tokens"]):
        return Pattern(text=str(item["tokens"]), kind="tokens", tokens=plain(item["tokens"]), **base)
    # TRANSLATORS: the braces are YAML syntax, not placeholders: keep them as they are
    col.error(_("a pattern is a phrase string, {exact: phrase} or {tokens: [spaCy token patterns]}"), loc)
    return None


def _parse_compositions(col: Collector, items: Any, loc: Loc) -> list[Pattern]:
    """The ``concepts:`` entry of a pattern map: compositions of concept lexicons (packs/concepts.py)."""
    if isinstance(items, (str, dict)):
        items = [items]
    if not isinstance(items, list) or not items:
        col.error(_("'concepts' must list compositions such as \"effect {{0,3}} condition\"").format(), loc)
        return []
    out = []
    for i, item in enumerate(items):
        line, column = loc_of(items, i) if isinstance(items, LocList) else loc
        comp = col.compose(plain(item))
        if isinstance(comp, str):
            col.error(comp, (line, column))
            continue
        out.append(Pattern(lang="*", text=comp.text, kind="concepts", compose=comp, path=col.path,
                           line=line, column=column))
    return out
