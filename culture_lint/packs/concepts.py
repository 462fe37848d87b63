"""Concept lexicons shared by every pack, and the compositions rules build from them.

A concept (``rules/concepts/<name>.yaml``) is vocabulary: the words for one idea in every language
(``effect``: cure, treat, lower, 治疗, 降, ช่วยลด…; ``condition``: diabetes, joint pain, 糖尿病…). It says nothing
about law. A rule chooses concepts and states the law: in any pattern map it may list compositions under the
key ``concepts``::

    patterns:
      concepts:
        - "effect {0,3} condition"                           # a sequence: concept, gap in words, concept
        - {all: [sacred-name, demeaning-surface], within: sentence}   # co-occurrence in a clause/sentence/…
        - disclosure-label                                   # one concept: any of its terms
      en: ["literal wording stays literal"]

A concept may instead be a *claim shape*: ``compose:`` lists compositions of other concepts (``disease-claim`` =
"cure-effect {0,3} condition", "condition {0,2} cure-effect" in verb-last languages, …). A rule that names it
alone gets all of them, so the shape of a claim is written once, not once per market.

A concept may list ``unless:`` wording that contains a term but is not the concept ("treat yourself" is no
treatment, "感染対策" no cure claim): a term's match inside such wording does not count.

Concept files in later rule folders (``--rules``) add terms to a bundled concept of the same name, so a
team's own brand names or product words reach every market that uses the concept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import _

NAME_RE = re.compile(r"^[a-z][a-z0-9-]*$")
WITHIN = ("clause", "sentence", "segment", "document")
MAX_GAP = 12  # words between two concepts of a sequence (a longer reach finds unrelated words)
_SEQ_PART = re.compile(r"\s*(?:\{(\d+),(\d+)\}|([a-z][a-z0-9-]*))\s*")


@dataclass
class Concept:
    """One concept: its terms in every language (Pattern objects) and the concepts it includes."""

    name: str
    description: dict[str, str] = field(default_factory=dict)
    includes: list[str] = field(default_factory=list)
    terms: list[Any] = field(default_factory=list)  # packs.model.Pattern
    unless: list[Any] = field(default_factory=list)  # wording that overlaps a term but is not the concept
    compose: list["Composition"] = field(default_factory=list)  # a claim shape: compositions of other concepts
    paths: list[str] = field(default_factory=list)

    @property
    def languages(self) -> list[str]:
        return sorted({t.lang for t in self.terms})


@dataclass(frozen=True)
class Composition:
    """Concepts combined in a window.

    ``seq``: ``items`` in this order, each within ``gaps[i]`` = (min, max) words after the one before, in one
    sentence (a character of Chinese, Japanese, Korean or Thai counts half a word, as in spoken time).
    ``all``: every item somewhere in the same ``within`` unit as the first; the match is the first item's words.
    """

    mode: str  # "seq" | "all"
    items: tuple[str, ...]
    gaps: tuple[tuple[int, int], ...] = ()
    within: str = "sentence"
    text: str = ""
    langs: tuple[str, ...] = ()  # only text matched by terms of these languages (a verb-last order: ja, ko, hi)

    def describe(self) -> str:
        if self.mode == "all":
            return _("{concepts} in the same {unit}").format(concepts=" + ".join(self.items), unit=self.within)
        parts = [self.items[0]]
        for (low, high), item in zip(self.gaps, self.items[1:]):
            parts.append(_("then within {low}–{high} words").format(low=low, high=high)
                         if high else _("then right after"))
            parts.append(item)
        if self.langs:
            parts.append(_("(text in {langs})").format(langs=", ".join(self.langs)))
        return " ".join(parts)


def parse_sequence(text: str) -> Composition | str:
    """``"effect {0,3} condition"`` → a Composition, or the reason it is not one."""
    items: list[str] = []
    gaps: list[tuple[int, int]] = []
    pending: tuple[int, int] | None = None
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _SEQ_PART.match(text, pos)
        if not m or m.end() == pos:
            return _("expected a concept name or a gap such as {{0,3}} at “{rest}”").format(rest=text[pos:][:30])
        pos = m.end()
        if m.group(3):
            if items:
                gaps.append(pending or (0, 0))
            items.append(m.group(3))
            pending = None
        else:
            low, high = int(m.group(1)), int(m.group(2))
            if not items or pending is not None:
                return _("a gap must stand between two concepts")
            if low > high or high > MAX_GAP:
                return _("a gap is {{low,high}} with low ≤ high ≤ {max}").format(max=MAX_GAP)
            pending = (low, high)
    if not items:
        return _("no concept named")
    if pending is not None:
        return _("a gap must stand between two concepts")
    return Composition("seq", tuple(items), tuple(gaps), "sentence", text)


def parse_composition(value: Any) -> Composition | str:
    """A composition from its YAML form: a sequence string, ``{seq: "...", langs: [ja, ko]}`` or
    ``{all: [...], within: ...}``."""
    if isinstance(value, str):
        return parse_sequence(value)
    if isinstance(value, dict) and "seq" in value:
        unknown = sorted(set(value) - {"seq", "langs"})
        if unknown:
            return _("unknown key '{key}' in a composition (use 'seq' and 'langs')").format(key=unknown[0])
        langs = value.get("langs") or []
        if not isinstance(value["seq"], str) or not isinstance(langs, list) or not all(
                isinstance(x, str) for x in langs):
            return _("'seq' is a sequence such as \"effect {{0,3}} condition\" and 'langs' a list of language codes").format()
        comp = parse_sequence(value["seq"])
        if isinstance(comp, str):
            return comp
        text = comp.text + (f" ({', '.join(langs)})" if langs else "")
        return Composition("seq", comp.items, comp.gaps, "sentence", text, tuple(langs))
    if isinstance(value, dict) and "all" in value:
        unknown = sorted(set(value) - {"all", "within"})
        if unknown:
            return _("unknown key '{key}' in a composition (use 'all' and 'within')").format(key=unknown[0])
        items = value.get("all")
        if not isinstance(items, list) or len(items) < 2 or not all(
                isinstance(i, str) and NAME_RE.match(i) for i in items):
            return _("'all' lists two or more concept names")
        within = value.get("within", "sentence")
        if within not in WITHIN:
            return _("'within' must be one of {units}").format(units=", ".join(WITHIN))
        text = "{all: [" + ", ".join(items) + f"], within: {within}}}"
        return Composition("all", tuple(items), (), within, text)
    # TRANSLATORS: the braces are YAML syntax, not placeholders: keep them as they are
    return _("a composition is \"concept {0,3} concept\", {seq: …, langs: […]} or {all: [concept, …], within: sentence}")


def concept_dirs(rule_dirs: list[Path]) -> list[Path]:
    """The ``concepts/`` folders of the rule folders, bundled first (later ones add terms)."""
    return [Path(base) / "concepts" for base in rule_dirs if (Path(base) / "concepts").is_dir()]


def load_concepts(folders: list[Path]) -> tuple[dict[str, Concept], list]:
    """Every concept of the folders, merged by name; and the problems found (PackError, with locations)."""
    from ..errors import PackError
    from ..yamlio import loc_of, load_yaml
    from .schema import LANG_RE, Collector, check_keys, parse_patterns

    concepts: dict[str, Concept] = {}
    errors: list[PackError] = []
    for folder in folders:
        for path in sorted(folder.glob("*.yaml")):
            col = Collector(str(path))
            try:
                data = load_yaml(path.read_text(encoding="utf-8"), str(path))
            except Exception as exc:  # CultureLintError with the YAML location, or an unreadable file
                errors.append(exc if isinstance(exc, PackError) else PackError(str(exc), str(path)))
                continue
            if not isinstance(data, dict):
                col.error(_("a concept file is a mapping with 'concept' and 'terms'"), (1, 1))
                errors.extend(col.errors)
                continue
            check_keys(col, data, {"concept", "description", "includes", "terms", "unless", "compose"}, _("a concept file"))
            name = data.get("concept")
            if not isinstance(name, str) or not NAME_RE.match(name) or name != path.stem:
                col.error(_("'concept' must be the file's name ({name}), lowercase [a-z0-9-]").format(name=path.stem),
                          loc_of(data, "concept") if "concept" in data else (1, 1))
                errors.extend(col.errors)
                continue
            includes = data.get("includes", []) or []
            if not isinstance(includes, list) or not all(isinstance(i, str) and NAME_RE.match(i) for i in includes):
                col.error(_("'includes' lists concept names"), loc_of(data, "includes"))
                includes = []
            terms = data.get("terms") or {}
            if terms and not all(LANG_RE.match(str(k)) for k in terms):
                bad = next(str(k) for k in terms if not LANG_RE.match(str(k)))
                col.error(_("'{lang}' is not a language code (use en, zh, de, ar, …)").format(lang=bad),
                          loc_of(data, "terms"))
            patterns = parse_patterns(col, terms, data, "terms") if terms else []
            unless = parse_patterns(col, data.get("unless"), data, "unless") if data.get("unless") else []
            compose = _parse_compose(col, data)
            if not patterns and not includes and not compose:
                col.error(_("a concept needs 'terms', 'includes' or 'compose'"), (1, 1))
            errors.extend(col.errors)
            concept = concepts.setdefault(name, Concept(name))
            description = data.get("description")
            if isinstance(description, dict):
                concept.description.update({str(k): str(v) for k, v in description.items()})
            concept.includes.extend(i for i in includes if i not in concept.includes)
            concept.terms.extend(patterns)
            concept.unless.extend(unless)
            concept.compose.extend(c for c in compose if c not in concept.compose)
            concept.paths.append(str(path))
    for concept in concepts.values():
        for inc in concept.includes:
            if inc not in concepts:
                errors.append(PackError(_("concept '{name}' includes unknown concept '{other}'").format(
                    name=concept.name, other=inc), concept.paths[0], 1, 1))
        for comp in concept.compose:
            for item in comp.items:
                if item not in concepts or concepts[item].compose:
                    errors.append(PackError(_("claim shape '{name}' composes '{other}', which is not a concept with "
                                              "terms").format(name=concept.name, other=item), concept.paths[0], 1, 1))
    return concepts, errors


def _parse_compose(col, data: dict) -> list[Composition]:
    """The ``compose:`` list of a claim shape, each entry parsed like a rule's composition."""
    from ..yamlio import loc_of

    raw = data.get("compose")
    if raw is None:
        return []
    if not isinstance(raw, list):
        col.error(_("'compose' lists compositions such as \"cure-effect {{0,3}} condition\"").format(),
                  loc_of(data, "compose"))
        return []
    out = []
    for value in raw:
        comp = parse_composition(value)
        if isinstance(comp, str):
            col.error(comp, loc_of(data, "compose"))
        else:
            out.append(comp)
    return out


def resolve(comp: Composition, concepts: dict[str, Concept]) -> list[Composition]:
    """A rule's composition with a claim shape named alone replaced by the shape's compositions."""
    if comp.mode == "seq" and len(comp.items) == 1 and comp.items[0] in concepts \
            and concepts[comp.items[0]].compose:
        return list(concepts[comp.items[0]].compose)
    return [comp]


def expand(name: str, concepts: dict[str, Concept]) -> list[str]:
    """The concept and every concept it includes, transitively (cycles are harmless)."""
    out: list[str] = []
    todo = [name]
    while todo:
        current = todo.pop()
        if current in out or current not in concepts:
            continue
        out.append(current)
        todo.extend(concepts[current].includes)
    return out


def compositions_of(rule) -> list[tuple[str, Composition]]:
    """(role letter, composition) for every composed pattern of a rule."""
    out = []
    for role, attr in (("p", "patterns"), ("x", "exceptions"), ("t", "trigger_patterns"), ("r", "required_patterns")):
        for pattern in getattr(rule, attr):
            if pattern.kind == "concepts":
                out.append((role, pattern.compose))
    return out
