"""The linter: compiled rules for a set of markets, run over documents to produce findings."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterable

from . import suppress
from .fix import build_suggestions
from .i18n import _, pick
from .kinds import KINDS
from .match.compiler import PatternSet
from .match.compose import Composer, concept_key, unless_key
from .match.context import prepare
from .models import CATEGORIES, SEVERITY_RANK, Document, Finding, format_timestamp
from .packs.model import Role, Rule
from .packs.registry import Registry
from .select import any_matches

ROLES = tuple((role, role.attr) for role in Role)


@dataclass
class Options:
    """What a linter runs: selected/ignored rules and categories, platforms, thresholds (settings → engine)."""

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)  # code -> severity override
    min_severity: str = "info"
    metadata: dict[str, Any] = field(default_factory=dict)  # CLI metadata, wins over the file's
    interaction: dict[str, Any] = field(default_factory=dict)  # cadence thresholds from the config
    cache_dir: str | None = None  # results cache folder (`check`); None: no results cache
    lazy_documents: bool = False  # reports keep file bytes and parse again on demand (`check`: flat memory)
    max_file_size: int | None = None  # bytes; larger files get core.input.too-large (None: runner's default)
    columns: list[str] = field(default_factory=list)  # catalog text columns (names or 1-based indexes); []: header
    platforms: list[str] = field(default_factory=list)  # platform packs applied on top of the markets' (--platform)


# Categories that name one concern from different angles: a market's religious rule and a parent's
# cultural-symbol rule on the same words are one finding, the market's.
DEDUPE_GROUP = {"religious": "culture", "cultural-symbol": "culture", "holiday": "culture"}


class Linter:
    """Rules of one or more markets compiled once; ``lint`` runs them over a document."""

    def __init__(self, markets: Iterable[str], registry: Registry | None = None,
                 options: Options | None = None):
        with no_gc():
            self._build(markets, registry, options)

    def _build(self, markets: Iterable[str], registry: Registry | None, options: Options | None) -> None:
        self.registry = registry or Registry()
        self.options = options or Options()
        self.markets = []
        for m in markets:
            pid = self.registry.resolve_market(m)
            if pid not in self.markets:
                self.markets.append(pid)
        self.platforms: list[str] = []
        for p in self.options.platforms:
            pid = self.registry.resolve_platform(p)
            if pid not in self.platforms:
                self.platforms.append(pid)
        self._platform_linters: dict[tuple[str, ...], Linter] = {}
        self.rules: list[Rule] = []
        self.market_rules: dict[str, set[int]] = {}
        index: dict[str, int] = {}
        for market in self.markets:
            chosen = set()
            platform_rules = [r for p in self.platforms for r in self.registry.platform_rules(p, market)]
            for rule in self.registry.market_rules(market) + platform_rules:
                if not self._selected(rule):
                    continue
                if rule.id not in index:
                    index[rule.id] = len(self.rules)
                    self.rules.append(rule)
                chosen.add(index[rule.id])
            self.market_rules[market] = chosen
        if self.options.interaction:
            self.rules = [_with_thresholds(r, self.options.interaction) if r.kind == "cadence" else r
                          for r in self.rules]
        self.severity = [self._severity(rule) for rule in self.rules]
        self._lineages: dict[str, list[str]] = {}
        entries = []
        compositions = []
        for i, rule in enumerate(self.rules):
            for role, attr in ROLES:
                for pattern in getattr(rule, attr):
                    if pattern.kind == "concepts":
                        compositions.append(((i, role), pattern.compose))
                    else:
                        entries.append(((i, role), pattern))
        self.composer = self._composer(compositions, entries)
        seen_packs = set()
        self.signal_names: dict[str, set[str]] = {}
        for market in self.markets:
            names: set[str] = set()
            for pid in self.registry.lineage(market):
                pack = self.registry.pack(pid)
                if pid not in seen_packs:
                    seen_packs.add(pid)
                    entries.extend((("d", pid), p) for p in pack.disclaimers)
                for name, pats in pack.signals.items():
                    names.add(name)
                    entries.extend((("s", market, name), p) for p in pats)
            currency = self.registry.pack(market).currency
            if currency:
                names.add("local-currency")
                entries.extend((("s", market, "local-currency"), p) for p in _currency_patterns(
                    currency, self.registry.pack(market).locale))
            self.signal_names[market] = names
        self.patterns = PatternSet(entries)

    def _composer(self, compositions: list, entries: list) -> Composer:
        """Resolve the rules' compositions against the concept lexicons; their terms join ``entries``."""
        if not compositions:
            return Composer([], {})
        from .errors import PackErrors

        concepts = self.registry.concepts()
        composer = Composer(compositions, concepts)
        unknown = [(self.rules[key[0]], item) for key, comp in compositions for item in comp.items
                   if item not in concepts]
        if unknown:
            raise PackErrors(self.registry.check_concepts([_RulesOnly([r for r, _i in unknown])]))
        for name in sorted(composer.base_concepts()):
            entries.extend((concept_key(name), term) for term in concepts[name].terms)
            entries.extend((unless_key(name), term) for term in concepts[name].unless)
        return composer

    def _selected(self, rule: Rule) -> bool:
        opts = self.options
        if opts.select and not any_matches(opts.select, rule.id, rule.category):
            return False
        return not (opts.ignore and any_matches(opts.ignore, rule.id, rule.category))

    def _severity(self, rule: Rule) -> str:
        # the most specific override wins: exact id, then longer prefixes, then category
        best, best_len = rule.severity, -1
        for code, sev in self.options.severity.items():
            code_l = code.lower()
            if code_l == rule.id:
                weight = 1000
            elif rule.id.startswith(code_l.rstrip(".") + "."):
                weight = len(code_l)
            elif code_l == rule.category:
                weight = 0
            else:
                continue
            if weight > best_len:
                best, best_len = sev, weight
        return best

    def lint(self, doc: Document) -> list[Finding]:
        """Findings for every market, suppression applied, sorted (line, column, rule, market)."""
        if self.options.metadata:
            doc.metadata.update(self.options.metadata)
        with no_gc():
            if not self.options.platforms and doc.metadata.get("platform"):
                return self._lint_for_doc_platforms(doc)
            return self._lint_plain(doc)

    def _lint_plain(self, doc: Document) -> list[Finding]:
        """``lint`` once the platform packs are chosen (a document's own ``platform:`` never recurses)."""
        findings: list[Finding] = []
        for diag in doc.diagnostics:
            for market in self.markets:
                findings.append(_copy(diag, market=market))
        if doc.segments:
            findings.extend(self._run_rules(doc))
        directives = suppress.parse(doc)
        findings = suppress.apply(findings, directives)
        findings.extend(self._unused(doc, directives))
        if self.options.ignore:  # the reader's and suppression's own findings can be ignored too
            findings = [f for f in findings if not (f.rule.startswith("core.")
                                                    and any_matches(self.options.ignore, f.rule, f.category))]
        floor = SEVERITY_RANK.get(self.options.min_severity, 0)
        findings = [f for f in findings if SEVERITY_RANK[f.severity] >= floor]
        findings.sort(key=Finding.sort_key)
        return findings

    def _lint_for_doc_platforms(self, doc: Document) -> list[Finding]:
        """`platform:` in the document's metadata (no --platform given): lint with those platform packs too;
        a name no platform pack has is a warning on the front-matter line, and the rest still apply."""
        from dataclasses import replace

        from .errors import MarketError
        from .select import split_codes

        known, notes = [], []
        for name in split_codes(doc.metadata.get("platform")):
            try:
                pid = self.registry.resolve_platform(name)
            except MarketError as exc:
                notes.append(str(exc))
                continue
            if pid not in known:
                known.append(pid)
        linter = self
        if known:
            key = tuple(known)
            if key not in self._platform_linters:
                self._platform_linters[key] = Linter(self.markets, self.registry,
                                                     replace(self.options, platforms=known))
            linter = self._platform_linters[key]
        platform = doc.metadata.pop("platform")  # not again in the other linter
        try:
            findings = linter._lint_plain(doc)
        finally:
            doc.metadata["platform"] = platform
        line = doc.metadata_lines.get("platform", 1)
        for note in notes:
            for market in self.markets:
                findings.append(Finding(rule="core.input.unknown-platform", category="input", severity="warning",
                                        market=market, message=note, line=line, column=1, end_line=line,
                                        end_column=1))
        findings.sort(key=Finding.sort_key)
        return findings

    def _lineage(self, pack_id: str) -> list[str]:
        if pack_id not in self._lineages:
            self._lineages[pack_id] = self.registry.lineage(pack_id)
        return self._lineages[pack_id]

    def _run_rules(self, doc: Document) -> list[Finding]:
        prep = prepare(doc, self.patterns)
        self.composer.apply(prep)
        by_pack: dict[str, list] = {}  # a pack's disclaimers cover its own rules and those of packs extending it
        for key, ms in prep.matches.items():
            if key[0] == "d":
                by_pack.setdefault(key[1], []).extend(ms)
        for market, names in self.signal_names.items():
            doc.signals[market] = {name: bool(prep.matches.get(("s", market, name))) for name in sorted(names)}
        out: list[Finding] = []
        for i, rule in enumerate(self.rules):
            markets = [m for m in self.markets
                       if i in self.market_rules[m] and _applies(rule, doc, m, self.registry)]
            if not markets:
                continue
            kind = KINDS[rule.kind]
            disclaimers = [m for pid in self._lineage(rule.pack) for m in by_pack.get(pid, ())]
            if getattr(kind, "per_market", False):  # calendar, localization: hits depend on the market
                for market in markets:
                    for hit in kind.check_market(rule, i, prep, disclaimers, self.registry, market):
                        finding = self._finding(rule, i, hit, doc)
                        finding.market = market  # a new finding: set in place
                        out.append(finding)
                continue
            hits = kind.check(rule, i, prep, disclaimers)
            if not hits:
                continue
            last = markets[-1]
            for hit in hits:
                base = self._finding(rule, i, hit, doc)
                for market in markets[:-1]:
                    out.append(_copy(base, market=market))
                base.market = last  # the last market takes the finding itself (no copy)
                out.append(base)
        return self._most_specific(out)

    def _most_specific(self, findings: list[Finding]) -> list[Finding]:
        """When a market pack and a parent pack flag the same words for the same reason, keep the market's.

        "The same words" is any overlap: the parent's "cures diabetes" and the market's "cures diabetes and
        cancer" are one claim, reported once, by the pack nearest the market.
        """
        import bisect

        rank: dict[str, dict[str, int]] = {
            m: {pid: depth for depth, pid in enumerate(self._lineage(m))} for m in self.markets}
        groups: dict[tuple, list[tuple[int, Finding]]] = {}
        for f in findings:
            if f.start is None or f.end is None:
                continue
            depth = rank[f.market].get(f.rule.split(".", 1)[0], 99)
            # a platform's finding stands beside the law's: another authority, another consequence
            groups.setdefault((f.market, f.platform, DEDUPE_GROUP.get(f.category, f.category)), []).append((depth, f))
        drop: set[int] = set()
        for members in groups.values():
            depths = sorted({d for d, _ in members})
            if len(depths) < 2:
                continue
            # per depth: starts in order and the running maximum of ends, to test "any overlap" by bisection
            index: dict[int, tuple[list[int], list[int]]] = {}
            for d in depths:
                spans = sorted((f.start, max(f.end, f.start + 1)) for dd, f in members if dd == d)
                running, top = [], -1
                for _, e in spans:
                    top = max(top, e)
                    running.append(top)
                index[d] = ([a for a, _ in spans], running)
            for d, f in members:
                end = max(f.end, f.start + 1)
                for nearer in depths:
                    if nearer >= d:
                        break
                    starts, running = index[nearer]
                    k = bisect.bisect_left(starts, end)  # spans starting before this one ends
                    if k and running[k - 1] > f.start:
                        drop.add(id(f))
                        break
        return [f for f in findings if id(f) not in drop] if drop else findings

    def _finding(self, rule: Rule, i: int, hit, doc: Document) -> Finding:
        line, col = doc.position(hit.start)
        end_line, end_col = doc.position(hit.end)
        if hit.end <= hit.start:
            end_line, end_col = line, col + 1
        seg = doc.segments[hit.segment] if hit.segment is not None else None
        values = {k: v for k, v in hit.values.items()}
        template = pick(rule.message)
        try:
            message = template.format(**values) if "{" in template else template
        except (KeyError, IndexError, ValueError):
            message = template
        if values.get("disguised"):
            message += " " + _("(disguised wording: “{text}”)").format(text=values.get("text", ""))
        return Finding(
            rule=rule.id, category=rule.category, severity=self.severity[i], market="",
            message=message, line=line, column=col, end_line=end_line, end_column=end_col,
            text=hit.values.get("text"), timestamp=format_timestamp(seg.start if seg else None),
            suggestions=hit.values["suggestions"] if "suggestions" in hit.values else build_suggestions(
                doc, rule, hit, [(pick(s_text(s), hit.lang), bool(s.get("safe", False)))
                                 for s in rule.suggestions if s_text(s)],
                pick(rule.fix["insert"], hit.lang) if rule.fix else None),
            source=rule.source, start=hit.start, end=hit.end,
            confidence=rule.confidence_value, disguised=bool(values.get("disguised")),
            platform=rule.pack if rule.pack in self.platforms else None,
        )

    def _known_code(self, code: str) -> bool:
        """Does a suppression code name any rule of any pack (active in this run or not)?"""
        if code in CATEGORIES or code.split(".", 1)[0] not in self.registry.pack_ids:
            return code in CATEGORIES
        pack = self.registry.pack(code.split(".", 1)[0])
        return code == pack.id or any(any_matches([code], r.id, r.category) for r in pack.rules)

    def suppressed(self, doc: Document, findings: list[Finding]) -> list[Finding]:
        """``findings`` with the document's suppression comments applied, plus its unused-suppression notes
        (for callers that lint a document in parts, such as a catalog's rows)."""
        directives = suppress.parse(doc)
        return suppress.apply(findings, directives) + self._unused(doc, directives)

    def _unused(self, doc: Document, directives) -> list[Finding]:
        out = []
        active = self.rules
        for d in directives:
            for code in d.codes:
                if code in d.used or code == "all":
                    continue
                if any(any_matches([code], r.id, r.category) for r in active):
                    rule_id = "core.suppression.unused"
                    msg = _("Unused suppression: no '{code}' finding here").format(code=code)
                elif code.startswith("core") or self._known_code(code):
                    continue  # names rules that are not active in this run
                else:
                    rule_id = "core.suppression.unknown-code"
                    msg = _("Suppression names '{code}', which is no rule id, id prefix or category").format(code=code)
                out.append(Finding(
                    rule=rule_id, category="input", severity="info",
                    market=self.markets[0], message=msg, line=d.line, column=d.column,
                    end_line=d.line, end_column=d.end_column))
        return out


@contextmanager
def no_gc():
    """The cyclic garbage collector paused while a linter is built or a document linted: both make hundreds of
    thousands of objects, nearly none in cycles, and each collection walked every object of the packs (a third of
    a run's time). Nothing is frozen: a server that builds linters again can still collect the old ones."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class _RulesOnly:
    """A stand-in pack holding some rules (for ``Registry.check_concepts``)."""

    def __init__(self, rules: list[Rule]):
        self.rules = rules


def _with_thresholds(rule: Rule, overrides: dict[str, Any]) -> Rule:
    """Config thresholds for interaction checks: hook_seconds, prompt_gap_seconds, closing_seconds, …"""
    from dataclasses import replace

    names = {"hook": {"hook_seconds": "within_seconds"}, "closing": {"closing_seconds": "within_seconds"},
             "prompt-gap": {"prompt_gap_seconds": "max_gap_seconds"},
             "boilerplate": {"similarity": "similarity", "max_repeats": "max_repeats"}}
    params = dict(rule.params)
    for key, param in names.get(params.get("check", ""), {}).items():
        if key in overrides:
            params[param] = overrides[key]
    return replace(rule, params=params)


def _currency_patterns(currency: str, locale: str | None):
    """The market currency's code and symbol as signal patterns."""
    from .packs.model import Pattern

    texts = {currency}
    try:
        from babel.numbers import get_currency_symbol

        texts.add(get_currency_symbol(currency, locale or "en"))
        texts.add(get_currency_symbol(currency, "en"))
    except Exception:  # unknown locale data: the code alone still works
        pass
    return [Pattern(lang="xx", text=t, kind="exact") for t in sorted(texts) if t.strip()]


def _market_context(registry: Registry | None, market: str):
    from .calendar.market import market_context, standalone_context

    if registry is None:
        return standalone_context(market)
    return market_context(registry, market)


def s_text(suggestion: dict) -> dict[str, str]:
    return {k: v for k, v in suggestion.items() if k != "safe" and isinstance(v, str)}


def _applies(rule: Rule, doc: Document, market: str | None = None, registry: Registry | None = None) -> bool:
    """Whether the rule's `when:` holds; calendar conditions are evaluated for ``market`` (the rule's pack
    when none is given)."""
    when = rule.when
    if not when:
        return True
    if any(k in when for k in ("periods", "outside_periods", "local_time")):
        from .calendar.scope import applies as calendar_applies

        if not calendar_applies(when, doc, _market_context(registry, market or rule.pack)):
            return False
    if "formats" in when and doc.format not in when["formats"]:
        return False
    if "timed" in when and bool(when["timed"]) != doc.timed:
        return False
    for key, allowed in (when.get("metadata") or {}).items():
        have = doc.metadata.get(key)
        allowed = allowed if isinstance(allowed, list) else [allowed]
        if have is None or str(have).lower() not in {str(a).lower() for a in allowed}:
            return False
    return True


def _copy(f: Finding, **changes: Any) -> Finding:
    """A shallow copy of a finding with some fields changed (``dataclasses.replace`` without re-running
    ``__init__``: the fields were checked when ``f`` was made)."""
    new = object.__new__(Finding)
    new.__dict__.update(f.__dict__)
    new.__dict__.update(changes)
    return new
