"""Load rule packs from YAML and validate them strictly (file:line:col for every problem)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import PackError, PackErrors
from ..i18n import _
from ..models import CATEGORIES, SEVERITIES
from ..yamlio import LocDict, LocList, key_loc, load_yaml, loc_of
from .model import CONFIDENCE, Pack, Pattern, Rule

ID_RE = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
PACK_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")
KINDS = ("forbid", "require", "limit", "cadence", "calendar", "localization")
PACK_KINDS = ("market", "region", "global", "platform")
MAX_PACK_FILE_BYTES = 2_000_000

PACK_KEYS = {"pack", "kind", "name", "languages", "extends", "aliases", "locale", "currency",
             "timezones", "disclaimers", "signals", "calendar", "interaction", "thresholds", "units", "date_format",
             "markets"}
COMMON_KEYS = {"id", "category", "severity", "kind", "confidence", "legal", "message", "why", "source",
               "suggestions", "when", "tests", "fix", "examples", "tags"}
KIND_KEYS = {
    "forbid": {"patterns", "exceptions", "negation"},
    "require": {"trigger", "required", "scope", "exceptions", "negation"},
    "limit": {"patterns", "max", "per", "exceptions", "negation"},
    "cadence": {"check", "patterns", "within_seconds", "max_gap_seconds", "similarity", "max_repeats",
                "exceptions", "negation"},
    "calendar": {"check", "festivals", "window_days"},  # docs/calendar.md
    "localization": {"check", "accept"},
}
CADENCE_CHECKS = ("hook", "prompt-gap", "closing", "boilerplate")
SCOPE_KEYS = {"first_segments", "first_seconds", "window"}
PER_KEYS = {"segments", "minutes"}


class _Collector:
    """Collects validation problems so one run reports all of them."""

    def __init__(self, path: str):
        self.path = path
        self.errors: list[PackError] = []
        self.warnings: list[PackError] = []

    def error(self, message: str, loc: tuple[int, int]) -> None:
        self.errors.append(PackError(message, self.path, loc[0], loc[1]))

    def warn(self, message: str, loc: tuple[int, int]) -> None:
        self.warnings.append(PackError(message, self.path, loc[0], loc[1]))


def _quoted(key: str) -> str:
    """A key name in quotes, for use inside other messages (``'trigger'``)."""
    # TRANSLATORS: a YAML key name in quotes, used inside other messages ("unknown key 'x' in 'trigger'")
    return _("'{key}'").format(key=key)


def _either(words: tuple[str, ...]) -> str:
    """``document`` / ``document or segment``: values a setting accepts."""
    text = words[0]
    for word in words[1:]:
        # TRANSLATORS: two values a setting accepts, e.g. "document or segment"
        text = _("{first} or {second}").format(first=text, second=word)
    return text


def _is_text_map(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def _check_keys(col: _Collector, data: LocDict, allowed: set[str], what: str) -> None:
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


def _text_map(col: _Collector, data: LocDict, key: str, what: str, required: bool = True) -> dict[str, str]:
    value = data.get(key)
    if value is None:
        if required:
            # TRANSLATORS: {where} is e.g. "rule 'us.health.cure'" or "pack.yaml"
            col.error(_("{where} needs '{key}' with 'en' and 'zh' texts").format(where=what, key=key), data.loc)
        return {}
    if isinstance(value, str):
        value = {"en": value}
    if not _is_text_map(value):
        col.error(_("'{key}' must map language codes to texts").format(key=key), loc_of(data, key))
        return {}
    if required and "en" not in value:
        col.error(_("'{key}' has no 'en' text").format(key=key), loc_of(data, key))
    elif required and "zh" not in value:
        col.warn(_("'{key}' has no 'zh' text").format(key=key), loc_of(data, key))
    return dict(value)


def parse_patterns(col: _Collector, value: Any, where: Any, key: str) -> list[Pattern]:
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
        if lang == "concepts":
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
            line, column = loc_of(items, i)
            base = dict(lang=lang, path=col.path, line=line, column=column)
            if isinstance(item, str):
                if not item.strip():
                    col.error(_("empty pattern"), (line, column))
                    continue
                out.append(Pattern(text=item, kind="phrase", **base))
            elif isinstance(item, dict) and set(item) == {"exact"} and isinstance(item["exact"], str):
                out.append(Pattern(text=item["exact"], kind="exact", **base))
            elif isinstance(item, dict) and set(item) == {"tokens"} and isinstance(item["tokens"], list) \
                    and item["tokens"] and all(isinstance(t, dict) for t in item["tokens"]):
                out.append(Pattern(text=str(item["tokens"]), kind="tokens",
                                   tokens=_plain(item["tokens"]), **base))
            else:
                # TRANSLATORS: the braces are YAML syntax, not placeholders: keep them as they are
                col.error(_("a pattern is a phrase string, {exact: phrase} or {tokens: [spaCy token patterns]}"),
                          (line, column))
    return out


def _parse_compositions(col: _Collector, items: Any, loc: tuple[int, int]) -> list[Pattern]:
    """The ``concepts:`` entry of a pattern map: compositions of concept lexicons (packs/concepts.py)."""
    from .concepts import parse_composition

    if isinstance(items, (str, dict)):
        items = [items]
    if not isinstance(items, list) or not items:
        col.error(_("'concepts' must list compositions such as \"effect {{0,3}} condition\"").format(), loc)
        return []
    out = []
    for i, item in enumerate(items):
        line, column = loc_of(items, i) if isinstance(items, LocList) else loc
        comp = parse_composition(_plain(item))
        if isinstance(comp, str):
            col.error(comp, (line, column))
            continue
        out.append(Pattern(lang="*", text=comp.text, kind="concepts", compose=comp, path=col.path,
                           line=line, column=column))
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _parse_rule(col: _Collector, data: Any, pack_id: str, index: int, seen: dict[str, str]) -> Rule | None:
    if not isinstance(data, LocDict):
        col.error(_("each rule must be a mapping"), (1, 1))
        return None
    loc = data.loc
    rid = data.get("id")
    if not isinstance(rid, str) or not ID_RE.match(rid):
        col.error(_("rule id {id} must be lowercase [a-z0-9.-]").format(id=repr(rid)),
                  loc_of(data, "id") if "id" in data else loc)
        return None
    if not rid.startswith(pack_id + "."):
        col.error(_("rule id '{id}' must start with its pack name '{pack}.'").format(id=rid, pack=pack_id),
                  loc_of(data, "id"))
    if rid in seen:
        col.error(_("duplicate rule id '{id}' (first defined at {where})").format(id=rid, where=seen[rid]),
                  loc_of(data, "id"))
    seen[rid] = f"{col.path}:{loc[0]}:{loc[1]}"

    kind = data.get("kind")
    if kind not in KINDS:
        col.error(_("rule kind must be one of {kinds}, not {value}").format(kinds=", ".join(KINDS), value=repr(kind)),
                  loc_of(data, "kind"))
        return None
    _check_keys(col, data, COMMON_KEYS | KIND_KEYS[kind], _("a {kind} rule").format(kind=kind))
    category = data.get("category")
    if category not in CATEGORIES or category == "input":
        from rapidfuzz import process

        guess = process.extractOne(str(category), CATEGORIES, score_cutoff=60)
        if guess:
            message = _("unknown category {value}; did you mean '{choice}'?").format(
                value=repr(category), choice=guess[0])
        else:
            message = _("unknown category {value}").format(value=repr(category))
        col.error(message, loc_of(data, "category"))
    severity = data.get("severity")
    if severity not in SEVERITIES:
        col.error(_("severity must be error, warning or info, not {value}").format(value=repr(severity)),
                  loc_of(data, "severity"))
    confidence = data.get("confidence", "medium")
    if confidence not in CONFIDENCE:
        col.error(_("confidence must be high, medium or low"), loc_of(data, "confidence"))
    legal = data.get("legal", severity == "error")
    if not isinstance(legal, bool):
        col.error(_("'legal' must be true or false"), loc_of(data, "legal"))
    source = data.get("source")
    if source is not None and not isinstance(source, str):
        col.error(_("'source' must be a string (URL or citation)"), loc_of(data, "source"))
    if legal and not source:
        col.error(_("a legal rule needs a 'source' (law article, regulation or regulator guidance)"), loc)
    negation = data.get("negation", kind in ("forbid", "require"))  # require: a negated trigger triggers nothing
    if not isinstance(negation, bool):
        col.error(_("'negation' must be true or false"), loc_of(data, "negation"))

    rule = Rule(
        id=rid, pack=pack_id, category=str(category), severity=str(severity), kind=kind,
        message=_text_map(col, data, "message", _("rule '{id}'").format(id=rid)),
        why=_text_map(col, data, "why", _("rule '{id}'").format(id=rid)),
        source=source if isinstance(source, str) else None, legal=bool(legal),
        confidence=confidence if confidence in CONFIDENCE else "medium",
        exceptions=parse_patterns(col, data.get("exceptions"), data, "exceptions"),
        negation=bool(negation), path=col.path, line=loc[0],
    )
    rule.suggestions = _suggestions(col, data)
    rule.when = _when(col, data)
    rule.tests = _tests(col, data, rid)

    if kind in ("forbid", "limit"):
        if "patterns" not in data:
            col.error(_("a {kind} rule needs 'patterns'").format(kind=kind), loc)
        rule.patterns = parse_patterns(col, data.get("patterns"), data, "patterns")
    if kind == "cadence":
        check = data.get("check")
        if check not in CADENCE_CHECKS:
            col.error(_("'check' must be one of {checks}").format(checks=", ".join(CADENCE_CHECKS)),
                      loc_of(data, "check") if "check" in data else loc)
        rule.patterns = parse_patterns(col, data.get("patterns"), data, "patterns")
        if check != "boilerplate" and not rule.patterns:
            col.error(_("a cadence '{check}' rule needs 'patterns' (what counts as a hook, prompt or call)").format(
                check=check), loc)
        for name in ("within_seconds", "max_gap_seconds", "similarity", "max_repeats"):
            value = data.get(name)
            if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0):
                col.error(_("'{key}' must be a positive number").format(key=name), loc_of(data, name))
        rule.params = {k: data[k] for k in ("check", "within_seconds", "max_gap_seconds", "similarity",
                                            "max_repeats") if k in data}
        rule.negation = bool(data.get("negation", False))
    if kind in ("calendar", "localization"):
        from ..calendar.kindspec import parse_params

        rule.params = parse_params(kind, data, col.error, loc_of)
        rule.negation = False
    if kind == "limit":
        rule.max = data.get("max", -1)
        if not isinstance(rule.max, int) or isinstance(rule.max, bool) or rule.max < 1:
            col.error(_("a limit rule needs 'max': a whole number of at least 1"), loc_of(data, "max"))
        rule.per = _mapping_choice(col, data, "per", PER_KEYS)
    if kind == "require":
        trigger = data.get("trigger")
        if not isinstance(trigger, LocDict) or not trigger:
            col.error(_("a require rule needs 'trigger' with 'patterns' and/or 'metadata'"), loc_of(data, "trigger"))
        else:
            _check_keys(col, trigger, {"patterns", "metadata"}, _quoted("trigger"))
            rule.trigger_patterns = parse_patterns(col, trigger.get("patterns"), trigger, "patterns")
            meta = trigger.get("metadata", {})
            if not isinstance(meta, dict):
                col.error(_("'trigger.metadata' must be a mapping"), loc_of(trigger, "metadata"))
            else:
                rule.trigger_metadata = _plain(meta)
        required = data.get("required")
        if not isinstance(required, LocDict) or "patterns" not in required:
            # TRANSLATORS: the braces are YAML syntax, not a placeholder: keep them as they are
            col.error(_("a require rule needs 'required: {patterns: …}'"), loc_of(data, "required"))
        else:
            _check_keys(col, required, {"patterns"}, _quoted("required"))
            rule.required_patterns = parse_patterns(col, required.get("patterns"), required, "patterns")
        rule.scope = _mapping_choice(col, data, "scope", SCOPE_KEYS, words=("document", "segment"))
        fix = data.get("fix")
        if fix is not None:
            if not isinstance(fix, LocDict) or not _is_text_map(fix.get("insert")):
                # TRANSLATORS: the braces are YAML syntax, not placeholders: keep them as they are
                col.error(_("'fix' must be {insert: {en: …, zh: …}, at: start|trigger}"), loc_of(data, "fix"))
            else:
                _check_keys(col, fix, {"insert", "at", "safe"}, _quoted("fix"))
                if fix.get("at", "start") not in ("start", "trigger"):
                    col.error(_("'fix.at' must be start or trigger"), loc_of(fix, "at"))
                rule.fix = _plain(fix)
    elif "fix" in data:
        col.error(_("'fix' insertions are for require rules; forbid rules use 'suggestions'"), key_loc(data, "fix"))
    return rule


def _mapping_choice(col: _Collector, data: LocDict, key: str, keys: set[str],
                    words: tuple[str, ...] = ("document",)) -> dict[str, Any]:
    value = data.get(key, "document")
    if isinstance(value, str) and value in words:
        return {value: True}
    if isinstance(value, str) or not isinstance(value, LocDict) or not value:
        # TRANSLATORS: {words} is e.g. "document or segment"; {keys} is a list of key names
        col.error(_("'{key}' must be {words} or a mapping with {keys}").format(
            key=key, words=_either(words), keys=", ".join(sorted(keys))), loc_of(data, key))
        return {}
    _check_keys(col, value, keys, _quoted(key))
    for k, v in value.items():
        if not isinstance(v, (int, float)) or isinstance(v, bool) or v <= 0:
            col.error(_("'{key}' must be a positive number").format(key=f"{key}.{k}"), loc_of(value, k))
    return _plain(value)


def _suggestions(col: _Collector, data: LocDict) -> list[dict[str, Any]]:
    value = data.get("suggestions", [])
    if not isinstance(value, list):
        col.error(_("'suggestions' must be a list"), loc_of(data, "suggestions"))
        return []
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("safe", False), bool) or not any(
                isinstance(v, str) for k, v in item.items() if k != "safe"):
            # TRANSLATORS: the braces are YAML syntax, not a placeholder: keep them as they are
            col.error(_("a suggestion is {en: replacement, zh: …, safe: true|false}"), loc_of(value, i))
            continue
        bad = [k for k in item if k != "safe" and (not LANG_RE.match(k) or not isinstance(item[k], str))]
        if bad:
            col.error(_("suggestion keys must be language codes with text, or 'safe' (got {key})").format(
                key=repr(bad[0])), loc_of(value, i))
            continue
        out.append(_plain(item))
    return out


def _when(col: _Collector, data: LocDict) -> dict[str, Any]:
    value = data.get("when")
    if value is None:
        return {}
    if not isinstance(value, LocDict):
        col.error(_("'when' must be a mapping"), loc_of(data, "when"))
        return {}
    _check_keys(col, value, {"metadata", "formats", "timed", "periods", "outside_periods", "near_days",
                             "local_time", "markets"}, _quoted("when"))
    markets = value.get("markets")
    if markets is not None and (not isinstance(markets, list) or not markets
                                or not all(isinstance(m, str) for m in markets)):
        col.error(_("'when.markets' must list market codes"), loc_of(value, "markets"))
    from ..calendar.kindspec import check_when

    check_when(value, col.error, loc_of)
    meta = value.get("metadata", {})
    if not isinstance(meta, dict):
        col.error(_("'when.metadata' must map keys to values or lists of values"), loc_of(value, "metadata"))
    return _plain(value)


def _tests(col: _Collector, data: LocDict, rid: str) -> dict[str, list]:
    value = data.get("tests")
    if not isinstance(value, LocDict):
        col.error(_("rule '{id}' needs 'tests' with 'flag' and 'pass' examples").format(id=rid),
                  loc_of(data, "tests") if "tests" in data else data.loc)
        return {}
    _check_keys(col, value, {"flag", "pass"}, _quoted("tests"))
    out: dict[str, list] = {}
    for key in ("flag", "pass"):
        cases = value.get(key)
        if not isinstance(cases, list) or not cases:
            col.error(_("'{key}' needs at least one example").format(key=f"tests.{key}"),
                      loc_of(value, key) if key in value else value.loc)
            continue
        parsed = []
        for i, case in enumerate(cases):
            line = loc_of(cases, i)[0]
            if isinstance(case, str):
                parsed.append({"text": case, "line": line})
            elif isinstance(case, dict) and isinstance(case.get("text"), str):
                extra = set(case) - {"text", "market", "ext", "metadata", "count", "date"}
                if extra:
                    col.error(_("unknown key '{key}' in a test case").format(key=sorted(extra)[0]), loc_of(cases, i))
                parsed.append({**_plain(case), "line": line})
            else:
                # TRANSLATORS: the braces are YAML syntax, not a placeholder: keep them as they are
                col.error(_("a test case is a text or {text: …, market: …, ext: …, metadata: …}"), loc_of(cases, i))
        out[key] = parsed
    return out


def load_pack(folder: Path, seen_ids: dict[str, str] | None = None) -> tuple[Pack, list[PackError]]:
    """Load and validate one pack folder. Raises PackErrors on any error; returns warnings."""
    seen_ids = {} if seen_ids is None else seen_ids
    pack_file = folder / "pack.yaml"
    col = _Collector(str(pack_file))
    if not pack_file.is_file():
        raise PackError(_("a rule pack folder needs a pack.yaml"), str(folder))
    meta = _read(pack_file, col)
    if not isinstance(meta, LocDict):
        raise PackErrors([PackError(_("pack.yaml must be a mapping"), str(pack_file), 1, 1)])
    _check_keys(col, meta, PACK_KEYS, "pack.yaml")
    pack_id = meta.get("pack")
    if not isinstance(pack_id, str) or not PACK_RE.match(pack_id):
        col.error(_("'pack' must be a lowercase name, not {value}").format(value=repr(pack_id)), loc_of(meta, "pack"))
        pack_id = folder.name
    elif pack_id != folder.name:
        col.error(_("pack '{pack}' must live in a folder named '{pack}'").format(pack=pack_id), loc_of(meta, "pack"))
    kind = meta.get("kind", "market")
    if kind not in PACK_KINDS:
        col.error(_("'kind' must be market, region, global or platform, not {value}").format(value=repr(kind)),
                  loc_of(meta, "kind"))
    for key in ("languages", "extends", "aliases", "timezones", "markets"):
        value = meta.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            col.error(_("'{key}' must be a list of names").format(key=key), loc_of(meta, key))
    languages = list(meta.get("languages") or [])
    if not languages:
        col.error(_("'languages' must list at least one language"), loc_of(meta, "languages") if "languages" in meta else meta.loc)
    name = _text_map(col, meta, "name", "pack.yaml", required=False) or {"en": pack_id}
    pack = Pack(
        id=pack_id, kind=kind, name=name, languages=languages,
        extends=[str(e) for e in meta.get("extends") or []],
        aliases=[str(a) for a in meta.get("aliases") or []],
        locale=meta.get("locale"), currency=meta.get("currency"),
        timezones=[str(t) for t in meta.get("timezones") or []],
        markets=[str(m).lower() for m in meta.get("markets") or []],
        disclaimers=parse_patterns(col, meta.get("disclaimers"), meta, "disclaimers"),
        signals=_signals(col, meta),
        path=str(folder),
        extra={k: _plain(meta[k]) for k in ("calendar", "interaction", "thresholds", "units", "date_format")
               if k in meta},
    )
    from ..calendar.kindspec import pack_calendar

    pack_calendar(meta, pack_id, col.error, loc_of)  # validates `calendar:`; its festival ids feed `when`
    errors = list(col.errors)
    warnings = list(col.warnings)
    for rule_file in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        if rule_file.name in ("pack.yaml",):
            continue
        rcol = _Collector(str(rule_file))
        data = _read(rule_file, rcol)
        if data is None:
            continue
        if not isinstance(data, LocDict) or not isinstance(data.get("rules"), list):
            rcol.error(_("a rule file must be a mapping with a 'rules:' list"), getattr(data, "loc", (1, 1)))
        else:
            _check_keys(rcol, data, {"rules"}, _("a rule file"))
            for i, item in enumerate(data["rules"]):
                rule = _parse_rule(rcol, item, pack_id, i, seen_ids)
                if rule is not None:
                    pack.rules.append(rule)
        errors.extend(rcol.errors)
        warnings.extend(rcol.warnings)
    if not errors:
        from ..match.compiler import check_patterns

        errors.extend(check_patterns(pack))
    if errors:
        raise PackErrors(errors)
    return pack, warnings


def _signals(col: _Collector, meta: LocDict) -> dict[str, list[Pattern]]:
    """Positive signals for the culture-fit score: ``signals: {name: {lang: [patterns]}}``."""
    value = meta.get("signals")
    if value is None:
        return {}
    if not isinstance(value, LocDict):
        col.error(_("'signals' must map signal names to patterns by language"), loc_of(meta, "signals"))
        return {}
    return {str(name): parse_patterns(col, pats, value, name) for name, pats in value.items()}


def read_pack_text(path: Path) -> str:
    """A pack file's text, read defensively: a regular file inside its pack folder, of bounded size, UTF-8.

    A pack is untrusted input: a link to /dev/zero, a FIFO or a huge file must not hang the run or fill
    memory, and a link out of the pack folder must not make culture-lint read (and echo) other files.
    """
    import os
    import stat as stat_

    try:
        st = path.stat()
        if not stat_.S_ISREG(st.st_mode):
            raise PackErrors([PackError(_("rule file is not a regular file"), str(path))])
        real = Path(os.path.realpath(path))
        if real.parent != Path(os.path.realpath(path.parent)):
            raise PackErrors([PackError(_("rule file links to a file outside its pack folder; copy it in"),
                                        str(path))])
        if st.st_size > MAX_PACK_FILE_BYTES:
            raise PackErrors([PackError(_("rule file is too large ({size} bytes; limit {limit})").format(
                size=st.st_size, limit=MAX_PACK_FILE_BYTES), str(path))])
        with open(path, "rb") as fh:
            data = fh.read(MAX_PACK_FILE_BYTES + 1)
        if len(data) > MAX_PACK_FILE_BYTES:
            raise PackErrors([PackError(_("rule file is too large (limit {limit} bytes)").format(
                limit=MAX_PACK_FILE_BYTES), str(path))])
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackErrors([PackError(_("rule file is not UTF-8 ({reason})").format(reason=exc.reason),
                                    str(path))]) from None
    except OSError as exc:
        raise PackErrors([PackError(_("cannot read rule file: {reason}").format(reason=exc.strerror),
                                    str(path))]) from None


def _read(path: Path, col: _Collector) -> Any:
    return load_yaml(read_pack_text(path), str(path), PackError)
