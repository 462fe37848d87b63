"""Incremental linting for the language server and the web page: re-lint only the segments that changed.

The rules of a linter are split in two tiers, each a :class:`~culture_lint.engine.Linter` of its own over the
same registry and options:

* **segment rules** — ``forbid`` (without a document-wide composition), ``localization`` (show time,
  currency, dates, units) and ``calendar`` festival dates: a finding depends only on the words of its segment
  (matches, exceptions, disclaimers and negation never cross a segment boundary). Their findings are cached
  per segment, keyed by the segment's text, its source slice and its show time; the linter's settings are
  fixed per :class:`Incremental`, so the cache lives as long as its linter does. A lint re-runs them only over
  the segments not in the cache (one engine call for all of them), and moves cached findings to where their
  segment now starts.
* **document rules** — ``require``, ``limit``, ``cadence``, missed festivals, localization of sizes and
  compositions ``within: document``: they read the whole document and run over it (a linter with only their
  patterns, so far cheaper than a full lint); the result is kept for the same text.

The two tiers' findings are then merged as the engine merges a rule run: the nearest pack's finding wins over
a parent's on the same words, suppression comments apply (the tiers run on a copy whose directives are
masked), unused suppressions are reported, ``--ignore`` and ``--min-severity`` filter, and the list is sorted.
The result equals ``Linter.lint`` on the whole document (``tests/test_lsp_incremental.py`` checks this after
random edits). ``quick=True`` skips the document tier when the text changed and moves its previous findings
instead (``exact`` is then False and the caller runs the exact lint soon after).
"""

from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass, field
from typing import Any

from . import suppress
from .engine import Linter
from .models import SEVERITY_RANK, Document, Finding, Segment, Suggestion
from .select import any_matches

SEGMENT_KINDS = frozenset({"forbid"})
SEGMENT_CHECKS = {"localization": frozenset({"show-time", "currency", "date-format", "units"}),
                  "calendar": frozenset({"festival-date"})}
MASK = ("culture-lint:", "culture-lint\x1a")  # same length: offsets stay; suppress.parse finds no directive


def is_segment_rule(rule) -> bool:
    """Does the rule's every finding depend only on the segment it is in?"""
    if rule.kind in SEGMENT_CHECKS:
        return rule.params.get("check") in SEGMENT_CHECKS[rule.kind]
    if rule.kind not in SEGMENT_KINDS:
        return False
    if rule.fix and rule.fix.get("at", "start") != "trigger":
        return False  # an insertion at the start of the content: where that is depends on the whole document
    for attr in ("patterns", "exceptions"):
        for pattern in getattr(rule, attr):
            comp = getattr(pattern, "compose", None)
            if comp is not None and comp.mode != "seq" and comp.within not in ("clause", "sentence", "segment"):
                return False
    return True


@dataclass
class _Entry:
    """A segment's cached findings, where the segment started when they were made."""

    base: int
    line: int
    column: int
    findings: list[Finding]


@dataclass
class DocCache:
    """What one document keeps between lints: its segments' findings and the last document-tier run."""

    segments: dict[tuple, _Entry] = field(default_factory=dict)
    key: Any = None  # interface language, metadata (front matter and settings), format: what the entries assume
    doc_source: str | None = None
    doc_findings: list[Finding] = field(default_factory=list)
    doc_signals: dict = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=lambda: {"relinted": 0, "reused": 0})


class Incremental:
    """A linter split into segment and document tiers (built once per linter; see the module docstring)."""

    def __init__(self, linter: Linter):
        self.linter = linter
        local = [r.id for r in linter.rules if is_segment_rule(r)]
        whole = [r.id for r in linter.rules if not is_segment_rule(r)]
        self.segment_linter = self._tier(local)
        self.document_linter = self._tier(whole)
        ok = (self.segment_linter is None or {r.id for r in self.segment_linter.rules} == set(local)) and \
             (self.document_linter is None or {r.id for r in self.document_linter.rules} == set(whole))
        # an id that is also a prefix of another id would select both in one tier: lint whole documents then
        self.enabled = ok
        self._platforms: dict[tuple[str, ...], Incremental] = {}  # a document's own ``platform:``

    def _tier(self, ids: list[str]) -> Linter | None:
        if not ids:
            return None
        options = dataclasses.replace(self.linter.options, select=list(ids), cache_dir=None)
        return Linter(self.linter.markets, self.linter.registry, options)

    # -- the public entry point ---------------------------------------------------------------------------
    def lint(self, doc: Document, cache: DocCache, quick: bool = False) -> tuple[list[Finding], bool]:
        """Findings for ``doc`` as ``Linter.lint`` gives them, and whether they are exact (always, unless
        ``quick`` reused the document tier of an earlier text)."""
        if self.linter.options.metadata:
            doc.metadata.update(self.linter.options.metadata)
        if doc.metadata.get("platform") and not self.linter.options.platforms:
            return self._with_document_platforms(doc, cache, quick)
        return self._lint_plain(doc, cache, quick)

    def _lint_plain(self, doc: Document, cache: DocCache, quick: bool) -> tuple[list[Finding], bool]:
        from .i18n import current_lang

        key = (id(self), current_lang(), repr(sorted((k, repr(v)) for k, v in doc.metadata.items())), doc.format,
               doc.timed)
        if cache.key != key:  # messages are translated, dates and show times read, when findings are made
            cache.segments.clear()
            cache.doc_source, cache.key = None, key
        if not self.enabled:
            cache.doc_source = None
            return self.linter.lint(doc), True
        masked = _masked(doc)
        found = self._segment_findings(doc, masked, cache) if doc.segments else []
        exact = True
        if doc.segments:
            whole, exact = self._document_findings(doc, masked, cache, quick)
            found = found + whole
            doc.signals.update(cache.doc_signals)
        return self._finish(doc, [_unmasked(f) for f in found]), exact

    def _with_document_platforms(self, doc: Document, cache: DocCache, quick: bool) -> tuple[list[Finding], bool]:
        """``platform:`` in the front matter: the platform packs' tiers too (as ``Linter.lint`` does it)."""
        from .errors import MarketError
        from .select import split_codes

        known, notes = [], []
        for name in split_codes(doc.metadata.get("platform")):
            try:
                pid = self.linter.registry.resolve_platform(name)
            except MarketError as exc:
                notes.append(str(exc))
                continue
            if pid not in known:
                known.append(pid)
        inner = self
        if known:
            inner = self._platforms.get(tuple(known))
            if inner is None:
                options = dataclasses.replace(self.linter.options, platforms=known)
                inner = self._platforms[tuple(known)] = Incremental(Linter(self.linter.markets,
                                                                           self.linter.registry, options))
        platform = doc.metadata.pop("platform")  # not again in the inner linter
        try:
            findings, exact = inner._lint_plain(doc, cache, quick)
        finally:
            doc.metadata["platform"] = platform
        line = doc.metadata_lines.get("platform", 1)
        findings += [Finding(rule="core.input.unknown-platform", category="input", severity="warning", market=market,
                             message=note, line=line, column=1, end_line=line, end_column=1)
                     for note in notes for market in self.linter.markets]
        findings.sort(key=Finding.sort_key)
        return findings, exact

    # -- segment tier ---------------------------------------------------------------------------------------
    def _segment_findings(self, doc: Document, masked: Document, cache: DocCache) -> list[Finding]:
        if self.segment_linter is None:
            return []
        keys = [_segment_key(doc, seg) for seg in doc.segments]
        out: list[Finding] = []
        missing: list[int] = []
        fresh: dict[tuple, _Entry] = {}
        for i, (seg, key) in enumerate(zip(doc.segments, keys)):
            entry = fresh.get(key) or cache.segments.get(key)  # the same text twice: one entry, moved
            if entry is None:
                missing.append(i)
                continue
            base = seg.offsets[0] if len(seg.offsets) else 0
            if entry.findings:
                line, column = doc.position(base)
                if (entry.line, entry.column) != (line, column):
                    entry = _Entry(base, line, column, [_moved(f, doc, base - entry.base) for f in entry.findings])
                elif entry.base != base:  # same line and column, other offset (an earlier line changed length)
                    entry = _Entry(base, line, column, [_offsets_moved(f, base - entry.base)
                                                        for f in entry.findings])
            fresh.setdefault(key, entry)
            out.extend(entry.findings)
        if missing:
            out.extend(self._relint(doc, masked, missing, keys, fresh))
        cache.stats["relinted"] += len(missing)
        cache.stats["reused"] += len(doc.segments) - len(missing)
        cache.segments = fresh  # only this text's segments are kept: memory stays flat over any number of edits
        return out

    def _relint(self, doc: Document, masked: Document, missing: list[int], keys: list[tuple],
                fresh: dict[tuple, _Entry]) -> list[Finding]:
        """Lint the segments not in the cache (one engine call) and cache their findings per segment."""
        segs = [doc.segments[i] for i in missing]
        mini = dataclasses.replace(masked, segments=segs, diagnostics=[], signals={},
                                   metadata=dict(masked.metadata), metadata_lines=dict(masked.metadata_lines))
        found = self.segment_linter.lint(mini)
        spans = [(seg.offsets[0], seg.offsets[-1]) if len(seg.offsets) else (0, 0) for seg in segs]
        starts = [a for a, _b in spans]
        per: list[list[Finding]] = [[] for _ in segs]
        stray = set()
        for f in found:
            k = bisect.bisect_right(starts, f.start) - 1
            if f.rule.startswith("core.") or k < 0 or not _inside(f, *spans[k]):
                stray.add(k)  # not cached: its segment is linted again next time
                continue
            per[k].append(f)
        for k, i in enumerate(missing):
            if k in stray or keys[i] in fresh or not len(segs[k].offsets):
                continue
            line, column = doc.position(spans[k][0])
            fresh[keys[i]] = _Entry(spans[k][0], line, column, per[k])
        return [f for f in found if not f.rule.startswith("core.")]

    # -- document tier --------------------------------------------------------------------------------------
    def _document_findings(self, doc: Document, masked: Document, cache: DocCache,
                           quick: bool) -> tuple[list[Finding], bool]:
        if self.document_linter is None:
            if cache.doc_source != doc.source:
                cache.doc_signals = self._signals_only(doc, masked)
                cache.doc_source = doc.source
            return [], True
        if cache.doc_source == doc.source:
            return list(cache.doc_findings), True
        if quick and cache.doc_source is not None:
            return shift_findings(cache.doc_findings, cache.doc_source, doc), False
        copy = dataclasses.replace(masked, diagnostics=[], signals={}, metadata=dict(masked.metadata))
        found = [f for f in self.document_linter.lint(copy) if not f.rule.startswith("core.")]
        cache.doc_source, cache.doc_findings = doc.source, found
        cache.doc_signals = dict(copy.signals)
        return list(found), True

    def _signals_only(self, doc: Document, masked: Document) -> dict:
        """No document rules in play: the score still needs the markets' signals (one pass of the segment
        tier over the whole text would give them too; this is the rare select-only-forbid case)."""
        copy = dataclasses.replace(masked, diagnostics=[], signals={}, metadata=dict(masked.metadata))
        self.segment_linter.lint(copy) if self.segment_linter is not None else None
        return dict(copy.signals)

    # -- merge --------------------------------------------------------------------------------------------
    def _finish(self, doc: Document, found: list[Finding]) -> list[Finding]:
        """The engine's last steps over both tiers' findings (see ``Linter._lint_plain``)."""
        linter = self.linter
        findings = [dataclasses.replace(d, market=m) for d in doc.diagnostics for m in linter.markets]
        findings.extend(linter._most_specific(found))  # noqa: SLF001  (hook: see docs/editors.md)
        directives = suppress.parse(doc)
        findings = suppress.apply(findings, directives)
        findings.extend(linter._unused(doc, directives))  # noqa: SLF001
        ignore = linter.options.ignore
        if ignore:
            findings = [f for f in findings if not (f.rule.startswith("core.")
                                                    and any_matches(ignore, f.rule, f.category))]
        floor = SEVERITY_RANK.get(linter.options.min_severity, 0)
        findings = [f for f in findings if SEVERITY_RANK[f.severity] >= floor]
        findings.sort(key=Finding.sort_key)
        return findings


def _unmasked(finding: Finding) -> Finding:
    """A finding made on the masked copy quotes the original words (a match may span a suppression comment)."""
    if MASK[1] not in (finding.text or "") and MASK[1] not in finding.message:
        return finding
    return dataclasses.replace(finding, text=finding.text.replace(MASK[1], MASK[0]) if finding.text else finding.text,
                               message=finding.message.replace(MASK[1], MASK[0]))


def _masked(doc: Document) -> Document:
    """The document with its suppression directives made invisible (the merge applies them once)."""
    if MASK[0] not in doc.source:
        return doc
    return dataclasses.replace(doc, source=doc.source.replace(*MASK), _line_starts=doc.line_starts)


def _segment_key(doc: Document, seg: Segment) -> tuple:
    off = seg.offsets
    if not len(off):
        return (seg.text, None, seg.start, seg.end, seg.kind, seg.speaker)
    a, b = off[0], off[-1]
    shape = ("r", len(off)) if isinstance(off, range) else (len(off), b - a)
    return (seg.text, doc.source[max(a - 1, 0):b + 1], a == 0, shape, seg.start, seg.end, seg.kind, seg.speaker)


def _inside(f: Finding, a: int, b: int) -> bool:
    if not (a <= f.start and f.end <= b):
        return False
    return all(s.edit is None or (a <= s.edit[0] and s.edit[1] <= b) for s in f.suggestions)


def _moved(f: Finding, doc: Document, delta: int) -> Finding:
    """A finding moved by ``delta`` source offsets, its lines and columns recomputed in ``doc``."""
    start, end = f.start + delta, f.end + delta
    line, col = doc.position(start)
    end_line, end_col = doc.position(end) if end > start else (line, col + 1)
    suggestions = [s if s.edit is None else _moved_suggestion(s, doc, delta) for s in f.suggestions]
    return _copy(f, start=start, end=end, line=line, column=col, end_line=end_line, end_column=end_col,
                 suggestions=suggestions)


def _offsets_moved(f: Finding, delta: int) -> Finding:
    """A finding whose lines and columns stay, its source offsets moved by ``delta``."""
    suggestions = [s if s.edit is None else _copy(s, edit=(s.edit[0] + delta, s.edit[1] + delta, s.edit[2]))
                   for s in f.suggestions]
    return _copy(f, start=f.start + delta, end=f.end + delta, suggestions=suggestions)


def _moved_suggestion(s: Suggestion, doc: Document, delta: int) -> Suggestion:
    a, b = s.edit[0] + delta, s.edit[1] + delta
    la, ca = doc.position(a)
    lb, cb = doc.position(b)
    return _copy(s, edit=(a, b, s.edit[2]), edit_range=(la, ca, lb, cb))


def _copy(obj, **changes):
    """``dataclasses.replace`` without ``__init__`` and ``__post_init__`` (ten times faster; plain fields)."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    new.__dict__.update(changes)
    return new


# -- moving findings across an edit (the quick pass, and the language server's kept state) ---------------------
def common_ends(a: str, b: str) -> tuple[int, int]:
    """Lengths of the common prefix and of the common suffix (not overlapping the prefix)."""
    n = min(len(a), len(b))
    lo = n if a[:n] == b[:n] else 0
    if lo < n:  # binary search on slices: C-speed comparisons
        hi = n
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if a[:mid] == b[:mid]:
                lo = mid
            else:
                hi = mid - 1
    s_lo, s_hi = 0, n - lo
    while s_lo < s_hi:
        mid = (s_lo + s_hi + 1) // 2
        if a[len(a) - mid:] == b[len(b) - mid:]:
            s_lo = mid
        else:
            s_hi = mid - 1
    return lo, s_lo


def minimal_edit(old: str, new: str) -> tuple[int, int, str]:
    """One (start, end, text) edit that turns ``old`` into ``new``."""
    prefix, suffix = common_ends(old, new)
    return prefix, len(old) - suffix, new[prefix:len(new) - suffix]


def shift_findings(findings: list[Finding], old_source: str, doc: Document) -> list[Finding]:
    """Findings made for ``old_source`` placed in ``doc`` (offsets after the edit moved, lines recomputed)."""
    prefix, suffix = common_ends(old_source, doc.source)
    old_end = len(old_source) - suffix
    delta = len(doc.source) - len(old_source)
    n = len(doc.source)

    def at(offset: int) -> int:
        return min(offset + delta if offset >= old_end and offset >= prefix else offset, n)

    out = []
    for f in findings:
        if (f.start == 0 and f.end == 0) or (delta == 0 and f.end <= prefix):
            out.append(f)
            continue
        start = at(f.start)
        end = max(at(f.end), start)
        line, col = doc.position(start)
        end_line, end_col = doc.position(end) if end > start else (line, col + 1)
        suggestions = []
        for s in f.suggestions:
            if s.edit is None:
                suggestions.append(s)
                continue
            a = at(s.edit[0])
            b = max(at(s.edit[1]), a)
            suggestions.append(_copy(s, edit=(a, b, s.edit[2]), edit_range=(*doc.position(a), *doc.position(b))))
        out.append(_copy(f, start=start, end=end, line=line, column=col, end_line=end_line, end_column=end_col,
                         suggestions=suggestions))
    return out


__all__ = ["Incremental", "DocCache", "is_segment_rule", "common_ends", "minimal_edit", "shift_findings"]
