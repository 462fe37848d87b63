"""A document prepared for matching: normalized segment text, tokens, sentence and clause ids."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Hashable

from ..models import Document
from ..normalize import normalize
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
    """Forbidden wording that only shows once disguises are undone (s-l-i-m, sl1m, ѕlim, 减-肥)."""
    view = patterns.evasion.view(prepared.tokens, text)
    if view is None:
        return
    for m in patterns.run(view.tokens):
        if not (isinstance(m.key, tuple) and m.key[-1] == "p"):
            continue
        start, end = view.origin[m.start][0], view.origin[m.end - 1][1]
        found = prepared.matches.setdefault(m.key, [])
        overlapping = [o for o in found if o.start < end and start < o.end]
        if any(o.start <= start and end <= o.end for o in overlapping):
            continue  # the plain text already matched these words
        for o in overlapping:  # a fragment of a disguised word matched by accident: the whole word wins
            found.remove(o)
        found.append(Match(m.key, m.lang, start, end, disguised=True))
