"""A document prepared for matching: normalized segment text, tokens, sentence and clause ids."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Hashable

from ..models import Document
from ..normalize import normalize
from ..packs.model import Role
from .compiler import Match, PatternSet
from .negation import is_negated
from .tokens import BOUNDARY, Tokens, tokenize

SENTENCE_END = {".", "!", "?", "。", "！", "？", BOUNDARY}
# a semicolon joins two clauses of one sentence: a qualifier after it still excuses ("recyclable in BC; check locally");
# so does an ellipsis, a pause inside a sentence ("wir schließen … Hosen jetzt 39,00")
CLAUSE_END = SENTENCE_END | {",", "，", "、", "—", "–", "|", "·", "(", ")", "（", "）", ":", "：", ";", "；", "…"}
# A full stop that does not end a sentence: after these abbreviations ("approx. 5 kg", "z. B.", "e.g."), and
# after these only when a number follows ("No. 1", "Art. 5"), or when no space follows ("No.1", "Nr.1")
ABBREVIATIONS = {"vs", "approx", "ca", "dr", "mr", "mrs", "ms", "st", "inc", "ltd", "corp", "incl", "excl", "bzw",
                 "z", "b", "d", "h", "u", "usw", "evtl", "inkl", "zzgl", "exkl", "ggf", "mind", "max", "min", "gem",
                 "lt", "stk", "vgl", "env", "cf", "aprox", "ej", "máx", "mín", "ecc", "e", "g", "i", "sr", "sra", "av",
                 "jl", "tgl", "bln", "sdn", "bhd", "pte"}
BEFORE_NUMBER = {"no", "nr", "nº", "n°", "núm", "num", "art", "abs", "vol", "sec", "tel", "pp", "p"}
CLAUSE_WORDS = {
    "but", "however", "yet", "although", "though", "aber", "doch", "jedoch", "mais", "cependant",
    "pero", "sino", "aunque", "ma", "però", "tuttavia", "maar", "echter", "mas", "porém", "tapi",
    "tetapi", "namun", "لكن", "nhưng", "ngunit", "pero", "但", "却", "而", "しかし", "하지만", "แต่",
}
WORDS_PER_SECOND = 2.5  # about 150 spoken words a minute, for untimed scripts


@dataclass
class Prepared:
    """One document's tokens mapped back to segments and source offsets."""

    doc: Document
    tokens: Tokens
    token_segment: list[int]
    token_source: list[tuple[int, int]]
    sentence: list[int]
    clause: list[int]
    matches: dict[Hashable, list[Match]] = field(default_factory=dict)
    literals: list[frozenset[str]] = field(default_factory=list)  # words each pattern spells out, by index

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        return self.token_source[start][0], self.token_source[end - 1][1]

    def segment_of(self, tok: int):
        return self.doc.segments[self.token_segment[tok]]

    def is_negated(self, m: Match, strict: bool = False, after: bool = True) -> bool:
        """Is the match cancelled by a negation in its clause (see :mod:`.negation`)?"""
        return is_negated(self, m, strict, after)

    def spoken_seconds(self, tok: int) -> float:
        """Estimated show time of a token in an untimed script: words before it at 150 words a minute."""
        spoken = self.__dict__.get("_spoken")
        if spoken is None:  # running totals, built once: counting from the start per call was quadratic
            spoken = [0.0]
            total = 0.0
            for split, word in zip(self.tokens.split, self.tokens.words):
                total += 0.5 if split else (1.0 if word[:1].isalnum() else 0.0)
                spoken.append(total)
            self._spoken = spoken
        return spoken[min(tok, len(spoken) - 1)] / WORDS_PER_SECOND

    def same_sentence(self, a: Match, b: Match) -> bool:
        return self.sentence[a.start] == self.sentence[b.start]


def prepare(doc: Document, patterns: PatternSet) -> Prepared:
    parts: list[str] = []
    seg_starts: list[int] = []
    norms = []
    pos = 0
    for seg in doc.segments:
        if parts:
            parts.append(f" {BOUNDARY} ")
            pos += 3
        norm = normalize(seg.text.replace(BOUNDARY, " "))
        seg_starts.append(pos)
        norms.append(norm)
        parts.append(norm.text)
        pos += len(norm.text)
    text = "".join(parts)
    tokens = tokenize(text)
    token_segment, token_source = _token_sources(doc, tokens, seg_starts, norms)
    sentence, clause = _sentence_and_clause_ids(tokens)
    prepared = Prepared(doc, tokens, token_segment, token_source, sentence, clause,
                        literals=getattr(patterns, "literals", []))
    bounded = getattr(patterns, "bounded", ())
    for m in patterns.run(tokens):
        if m.pattern in bounded and sentence[m.start] != sentence[m.end - 1]:
            continue  # a gap ran into the next sentence
        prepared.matches.setdefault(m.key, []).append(m)
    _add_disguised(prepared, patterns, text)
    return prepared


def _token_sources(doc: Document, tokens: Tokens, seg_starts: list[int], norms) -> tuple[list, list]:
    """Each token's segment and its [start, end) in the source file (one pass per segment)."""
    token_segment: list[int] = []
    token_source: list[tuple[int, int]] = []
    starts, ends, words = tokens.starts, tokens.ends, tokens.words
    n = len(starts)
    firsts = [bisect.bisect_left(starts, s) for s in seg_starts] + [n]
    for si, seg in enumerate(doc.segments):
        a, b = firsts[si], firsts[si + 1]
        if a >= b:
            continue
        boundary = words[b - 1] == BOUNDARY  # the boundary after a segment counts as the segment's
        stop = b - 1 if boundary else b
        base = seg_starts[si]
        off = seg.offsets
        index = norms[si].index
        if index is None:
            token_source.extend([(off[s - base], off[e - base - 1] + 1)
                                 for s, e in zip(starts[a:stop], ends[a:stop])])
        else:
            token_source.extend([(off[index[s - base]], off[index[e - base - 1]] + 1)
                                 for s, e in zip(starts[a:stop], ends[a:stop])])
        if boundary:
            token_source.append((off[-1], off[-1]))
        token_segment.extend([si] * (b - a))
    return token_segment, token_source


def _sentence_and_clause_ids(tokens: Tokens) -> tuple[list[int], list[int]]:
    """Sentence and clause numbers per token: enders and clause words start a new clause (and sentence)
    after themselves and sit in one of their own; a segment boundary sits alone between two sentences."""
    from itertools import accumulate, compress
    from operator import add

    words = tokens.words
    is_boundary = [w == BOUNDARY for w in words]
    ends_sentence = [w in SENTENCE_END for w in words]
    lowers, starts, ends = tokens.lowers, tokens.starts, tokens.ends
    n = len(words)
    kept = []  # full stops that do not end a sentence (found at C speed: most tokens are not ".")
    for i in compress(range(n), map(".".__eq__, words)):
        if 0 < i < n - 1:
            prev, nxt = lowers[i - 1], words[i + 1]
            glued = starts[i + 1] == ends[i] and nxt[:1].isalnum()
            if prev in ABBREVIATIONS or glued or (prev in BEFORE_NUMBER and nxt[:1].isdigit()):
                ends_sentence[i] = False
                kept.append(i)
            elif prev == "." or nxt == ".":
                ends_sentence[i] = False  # "..." (an ellipsis after NFKC) pauses, it does not end the sentence
    ends_clause = [w in CLAUSE_END or low in CLAUSE_WORDS for w, low in zip(words, lowers)]
    for i in kept:
        ends_clause[i] = False
    before = list(accumulate(map(add, is_boundary, ends_sentence), initial=0))
    sentence = list(map(add, before, is_boundary))
    before = list(accumulate(map(add, ends_clause, ends_clause), initial=0))
    clause = list(map(add, before, ends_clause))
    return sentence, clause


def _add_disguised(prepared: Prepared, patterns: PatternSet, text: str) -> None:
    """Forbidden wording that only shows once disguises are undone (s-l-i-m, sl1m, ѕlim, 减-肥).

    The de-disguised view is built only around the places that may change (``Evasion.windows``), with the
    longest pattern's length in tokens on either side, and the patterns run over those windows only: a match
    that holds no changed token is the plain text's own match, found already.
    """
    evasion = patterns.evasion
    if not evasion.could_change(text):
        return
    views = _disguise_views(patterns, prepared.tokens, text)
    if not views:
        return
    joined, origin, joins = _joined(views)
    index: dict = {}
    for m in patterns.run(joined):
        if not (isinstance(m.key, tuple) and m.key[-1] == Role.PATTERN):
            continue
        if joins:
            k = bisect.bisect_left(joins, m.start)
            if k < len(joins) and joins[k] < m.end:
                continue
        start, end = origin[m.start][0], origin[m.end - 1][1]
        found = prepared.matches.setdefault(m.key, [])
        spans = index.get(m.key)
        if spans is None:
            spans = index[m.key] = _Spans(found)
        overlapping = spans.overlapping(start, end)
        if any(o.start <= start and end <= o.end for o in overlapping):
            continue  # the plain text already matched these words
        for o in overlapping:  # a fragment of a disguised word matched by accident: the whole word wins
            found.remove(o)
            spans.remove(o)
        new = Match(m.key, m.lang, start, end, disguised=True)
        found.append(new)
        spans.add(new)


def _disguise_views(patterns: PatternSet, tokens: Tokens, text: str) -> list:
    """De-disguised views of the windows that may change, widened until every match in them is whole."""
    evasion = patterns.evasion
    reach = getattr(patterns, "max_length", None)
    if reach is None:
        view = evasion.view_range(tokens, text, 0, len(tokens))
        return [view] if view is not None else []
    from collections import deque

    n = len(tokens)
    views = []
    pending = deque(evasion.windows(tokens, text, reach + 4))
    budget = 2 * n + 10_000  # tokens viewed: widening windows that keep merging would be quadratic
    while pending:
        lo, hi = pending.popleft()
        budget -= hi - lo
        if budget < 0:  # disguise suspects everywhere: one view of the whole text is cheaper
            view = evasion.view_range(tokens, text, 0, n)
            return [view] if view is not None else []
        view = evasion.view_range(tokens, text, lo, hi)
        if view is None:
            continue
        first, last = _changed_span(view, tokens)
        # a match holding a changed view token lies within ``reach`` view tokens of it: widen if short
        if (first < reach and lo > 0) or (len(view.origin) - last <= reach and hi < n):
            wider = (evasion._cut(tokens, max(0, lo - 2 * reach)) if first < reach else lo,
                     evasion._cut(tokens, hi + 2 * reach) if len(view.origin) - last <= reach else hi)
            while pending and pending[0][0] <= wider[1]:
                wider = (wider[0], max(wider[1], pending.popleft()[1]))
            while views and views[-1][1] >= wider[0]:
                wider = (min(wider[0], views[-1][0]), wider[1])
                views.pop()
            pending.appendleft(wider)
            continue
        views.append((lo, hi, view))
    return [v for _lo, _hi, v in views]


def _joined(views: list) -> tuple[Tokens, list, list[int]]:
    """The windows' views joined into one token stream (one pass of the patterns, not one per window): a
    boundary token between them; ``joins`` are the boundary positions (a match across one is dropped)."""
    words, lowers, starts, ends, split, origin, joins = [], [], [], [], [], [], []
    for view in views:
        if words:
            joins.append(len(words))
            words.append(BOUNDARY)
            lowers.append(BOUNDARY)
            starts.append(view.tokens.starts[0])
            ends.append(view.tokens.starts[0])
            split.append(False)
            origin.append((view.origin[0][0], view.origin[0][0]))
        vt = view.tokens
        words += vt.words
        lowers += vt.lowers
        starts += vt.starts
        ends += vt.ends
        split += vt.split
        origin += view.origin
    return Tokens(words, lowers, starts, ends, split), origin, joins


def _changed_span(view, tokens: Tokens) -> tuple[int, int]:
    """The first and last view token that differs from the text's lower-cased token at its place (or follows
    a gap)."""
    words = tokens.lowers
    first = last = -1
    prev_end = None
    for k, ((a, b), word) in enumerate(zip(view.origin, view.tokens.words)):
        if b - a != 1 or word != words[a] or (prev_end is not None and a != prev_end):
            if first < 0:
                first = k
            last = k
        prev_end = b
    if first < 0:
        return len(view.origin), -1
    return first, last


class _Spans:
    """The matches of one key by start, for overlap look-ups in O(log n) (a scan per match was quadratic)."""

    def __init__(self, found: list[Match]):
        self.items = sorted(((m.start, m.end, id(m)), m) for m in found)
        self.keys = [k for k, _m in self.items]
        self.longest = max((m.end - m.start for m in found), default=0)

    def overlapping(self, start: int, end: int) -> list[Match]:
        lo = bisect.bisect_left(self.keys, (start - self.longest, -1, -1))
        hi = bisect.bisect_left(self.keys, (end, -1, -1))
        return [m for (s, e, _i), m in self.items[lo:hi] if s < end and start < e]

    def add(self, m: Match) -> None:
        key = (m.start, m.end, id(m))
        at = bisect.bisect_left(self.keys, key)
        self.keys.insert(at, key)
        self.items.insert(at, (key, m))
        self.longest = max(self.longest, m.end - m.start)

    def remove(self, m: Match) -> None:
        key = (m.start, m.end, id(m))
        at = bisect.bisect_left(self.keys, key)
        if at < len(self.keys) and self.keys[at] == key:
            del self.keys[at], self.items[at]
