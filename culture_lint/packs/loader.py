"""Load rule packs from YAML and validate them strictly (file:line:col for every problem)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import PackError, PackErrors
from ..i18n import _
from ..models import CATEGORIES, SEVERITIES
from ..kinds import KINDS
from ..util.yamlio import LocDict, key_loc, load_yaml, loc_of
from .messages import check_message
from .model import CONFIDENCE, Pack, Pattern, Rule
from .schema import LANG_RE, Collector, check_keys, parse_patterns, plain, quoted, text_map

__all__ = ["LANG_RE", "Collector", "check_keys", "load_pack", "parse_patterns", "read_pack_text"]

ID_RE = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
PACK_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PACK_KINDS = ("market", "region", "global", "platform")
MAX_PACK_FILE_BYTES = 2_000_000

PACK_KEYS = {"pack", "kind", "name", "languages", "extends", "aliases", "locale", "currency",
             "timezones", "disclaimers", "signals", "calendar", "interaction", "thresholds", "units", "date_format",
             "markets"}
COMMON_KEYS = {"id", "category", "severity", "kind", "confidence", "legal", "message", "why", "source",
               "suggestions", "when", "tests", "examples", "tags"}
TEST_CASE_KEYS = {"text", "market", "ext", "metadata", "count", "date", "at", "message", "fixed"}

# the names other modules used before packs/schema.py held them
_Collector = Collector
_check_keys = check_keys


def _new_collector(path: str) -> Collector:
    from .concepts import parse_composition

    return Collector(path, compose=parse_composition)


def _parse_rule(col: Collector, data: Any, pack_id: str, index: int, seen: dict[str, str]) -> Rule | None:
    if not isinstance(data, LocDict):
        col.error(_("each rule must be a mapping"), (1, 1))
        return None
    rid = _rule_id(col, data, pack_id, seen)
    if rid is None:
        return None
    kind = KINDS.get(data.get("kind"))  # type: ignore[arg-type]
    if kind is None:
        col.error(_("rule kind must be one of {kinds}, not {value}").format(
            kinds=", ".join(KINDS), value=repr(data.get("kind"))), loc_of(data, "kind"))
        return None
    if "fix" in data and "fix" not in kind.keys:
        col.error(_("'fix' insertions are for require rules; forbid rules use 'suggestions'"), key_loc(data, "fix"))
    check_keys(col, data, COMMON_KEYS | kind.keys | {"fix"}, _("a {kind} rule").format(kind=kind.name))
    rule = _common(col, data, rid, pack_id, kind.name)
    negation = data.get("negation", kind.negation)
    if not isinstance(negation, bool):
        col.error(_("'negation' must be true or false"), loc_of(data, "negation"))
    rule.negation = bool(negation)
    rule.exceptions = parse_patterns(col, data.get("exceptions"), data, "exceptions")
    kind.parse(rule, data, col)
    rule.suggestions = _suggestions(col, data)
    rule.when = _when(col, data)
    rule.tests = _tests(col, data, rid)
    check_message(col, data, rule, kind)
    return rule


def _rule_id(col: Collector, data: LocDict, pack_id: str, seen: dict[str, str]) -> str | None:
    """The rule's id, checked (format, pack prefix, unique); None when it is unusable."""
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
    return rid


def _common(col: Collector, data: LocDict, rid: str, pack_id: str, kind: str) -> Rule:
    """A Rule with the keys every kind has: category, severity, confidence, legal, source, message, why."""
    loc = data.loc
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
    return Rule(
        id=rid, pack=pack_id, category=str(category), severity=str(severity), kind=kind,
        message=text_map(col, data, "message", _("rule '{id}'").format(id=rid)),
        why=text_map(col, data, "why", _("rule '{id}'").format(id=rid)),
        source=source if isinstance(source, str) else None, legal=bool(legal),
        confidence=confidence if confidence in CONFIDENCE else "medium", path=col.path, line=loc[0],
    )


def _suggestions(col: Collector, data: LocDict) -> list[dict[str, Any]]:
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
        out.append(plain(item))
    return out


def _when(col: Collector, data: LocDict) -> dict[str, Any]:
    value = data.get("when")
    if value is None:
        return {}
    if not isinstance(value, LocDict):
        col.error(_("'when' must be a mapping"), loc_of(data, "when"))
        return {}
    check_keys(col, value, {"metadata", "formats", "timed", "periods", "outside_periods", "near_days",
                             "local_time", "markets"}, quoted("when"))
    markets = value.get("markets")
    if markets is not None and (not isinstance(markets, list) or not markets
                                or not all(isinstance(m, str) for m in markets)):
        col.error(_("'when.markets' must list market codes"), loc_of(value, "markets"))
    from ..calendar.kindspec import check_when

    check_when(value, col.error, loc_of)
    meta = value.get("metadata", {})
    if not isinstance(meta, dict):
        col.error(_("'when.metadata' must map keys to values or lists of values"), loc_of(value, "metadata"))
    return plain(value)


def _tests(col: Collector, data: LocDict, rid: str) -> dict[str, list]:
    value = data.get("tests")
    if not isinstance(value, LocDict):
        col.error(_("rule '{id}' needs 'tests' with 'flag' and 'pass' examples").format(id=rid),
                  loc_of(data, "tests") if "tests" in data else data.loc)
        return {}
    check_keys(col, value, {"flag", "pass"}, quoted("tests"))
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
                extra = set(case) - TEST_CASE_KEYS
                if extra:
                    col.error(_("unknown key '{key}' in a test case").format(key=sorted(extra)[0]), loc_of(cases, i))
                _check_assertions(col, case, key, loc_of(cases, i))
                parsed.append({**plain(case), "line": line})
            else:
                # TRANSLATORS: the braces are YAML syntax, not a placeholder: keep them as they are
                col.error(_("a test case is a text or {text: …, market: …, ext: …, metadata: …, at: …, message: …, "
                            "fixed: …}"), loc_of(cases, i))
        out[key] = parsed
    return out


AT_RE = re.compile(r"^[1-9][0-9]*:[1-9][0-9]*$")


def _check_assertions(col: Collector, case: dict, expect: str, loc: tuple[int, int]) -> None:
    """A case's ``count``/``at``/``message``/``fixed``: only on flag cases, each of the right type."""
    asserted = [k for k in ("count", "at", "message", "fixed") if k in case]
    if expect == "pass" and asserted:
        col.error(_("'{key}' is for flag cases: a pass case asserts no finding").format(key=asserted[0]), loc)
        return
    count = case.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        col.error(_("'count' must be a whole number"), loc)
    at = case.get("at")
    if at is not None and not (isinstance(at, str) and AT_RE.match(at)) and not (
            isinstance(at, list) and len(at) == 2 and all(isinstance(n, int) and n > 0 for n in at)):
        # TRANSLATORS: keep the quotes and brackets: they are YAML syntax
        col.error(_("'at' must be \"line:column\" in quotes (unquoted, YAML reads 1:5 as the number 65) "
                    "or [line, column]"), loc)
    for k in ("message", "fixed"):
        if k in case and not isinstance(case[k], str):
            col.error(_("'{key}' must be a text").format(key=k), loc)


def load_pack(folder: Path, seen_ids: dict[str, str] | None = None) -> tuple[Pack, list[PackError]]:
    """Load and validate one pack folder. Raises PackErrors on any error; returns warnings."""
    seen_ids = {} if seen_ids is None else seen_ids
    pack_file = folder / "pack.yaml"
    col = _new_collector(str(pack_file))
    if not pack_file.is_file():
        raise PackError(_("a rule pack folder needs a pack.yaml"), str(folder))
    meta = _read(pack_file, col)
    if not isinstance(meta, LocDict):
        raise PackErrors([PackError(_("pack.yaml must be a mapping"), str(pack_file), 1, 1)])
    check_keys(col, meta, PACK_KEYS, "pack.yaml")
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
    name = text_map(col, meta, "name", "pack.yaml", required=False) or {"en": pack_id}
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
        extra={k: plain(meta[k]) for k in ("calendar", "interaction", "thresholds", "units", "date_format")
               if k in meta},
    )
    from ..calendar.kindspec import pack_calendar

    pack_calendar(meta, pack_id, col.error, loc_of)  # validates `calendar:`; its festival ids feed `when`
    errors = list(col.errors)
    warnings = list(col.warnings)
    for rule_file in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        if rule_file.name in ("pack.yaml",):
            continue
        rcol = _new_collector(str(rule_file))
        data = _read(rule_file, rcol)
        if data is None:
            continue
        if not isinstance(data, LocDict) or not isinstance(data.get("rules"), list):
            rcol.error(_("a rule file must be a mapping with a 'rules:' list"), getattr(data, "loc", (1, 1)))
        else:
            check_keys(rcol, data, {"rules"}, _("a rule file"))
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


def _signals(col: Collector, meta: LocDict) -> dict[str, list[Pattern]]:
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


def _read(path: Path, col: Collector) -> Any:
    return load_yaml(read_pack_text(path), str(path), PackError)
