"""A document prepared for matching: normalized segment text, tokens, sentence and clause ids."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Hashable

from ..models import Document
from ..normalize import normalize
from .compiler import Match, PatternSet
from .tokens import BOUNDARY, Tokens, tokenize

SENTENCE_END = {".", "!", "?", ";", "。", "！", "？", "；", "…", BOUNDARY}
CLAUSE_END = SENTENCE_END | {",", "，", "、", "—", "–", "|", "·", "(", ")", "（", "）"}
CLAUSE_WORDS = {
    "but", "however", "yet", "although", "though", "aber", "doch", "jedoch", "mais", "cependant",
    "pero", "sino", "aunque", "ma", "però", "tuttavia", "maar", "echter", "mas", "porém", "tapi",
    "tetapi", "namun", "لكن", "nhưng", "ngunit", "pero", "但", "却", "而", "しかし", "하지만", "แต่",
}
# Words that cancel a claim that follows them in the same clause (negation and meta-talk about wording).
NEGATION_WORDS = {
    # en
    "not", "no", "never", "don't", "doesn't", "didn't", "won't", "wouldn't", "can't", "cannot", "isn't",
    "aren't", "wasn't", "weren't", "shouldn't", "mustn't", "without", "nor", "neither", "none", "nothing",
    "avoid", "avoids", "avoiding", "banned", "forbidden", "prohibited", "instead", "rather", "unlike",
    "dont", "doesnt", "wont", "cant", "isnt", "n't",
    # de
    "nicht", "kein", "keine", "keinen", "keinem", "keiner", "nie", "niemals", "ohne", "weder", "vermeiden",
    # fr
    "ne", "n'", "pas", "jamais", "sans", "aucun", "aucune", "ni", "éviter", "interdit",
    # es / pt / it
    "nunca", "sin", "jamás", "tampoco", "ningún", "ninguna", "evitar", "prohibido",
    "não", "sem", "nem", "nenhum", "nenhuma", "non", "mai", "senza", "né", "nessun", "nessuna", "vietato",
    # nl
    "niet", "geen", "nooit", "zonder", "vermijd",
    # id / ms / tl / vi
    "tidak", "bukan", "tanpa", "jangan", "tak", "belum", "hindi", "wala", "huwag", "không", "chưa",
    "chẳng", "đừng", "cấm",
    # ar
    "لا", "لم", "لن", "ليس", "ليست", "بدون", "غير", "دون", "ممنوع", "تجنب",
}
# Negation cues in scripts written without spaces (checked as substrings of the preceding characters).
CJK_NEGATION = ("不", "没", "沒", "无", "無", "非", "别", "勿", "未", "莫", "禁止", "避免", "严禁", "不得",
                "ない", "ません", "ず", "않", "없", "못", "아니", "ไม่", "ห้าม")
CJK_NOT_NEGATION = ("不仅", "不但", "不错", "不断", "不少", "不同", "不用担心", "无论", "不管", "非常", "无比",
                    "无敌", "莫名", "别人", "别的", "特别", "区别", "未来", "之无愧", "不止", "不光",
                    "じゃない？", "못지않")
NEGATION_WINDOW = 5
WORDS_PER_SECOND = 2.5  # about 150 spoken words a minute, for untimed scripts
CJK_WINDOW = 8


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

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        return self.token_source[start][0], self.token_source[end - 1][1]

    def segment_of(self, tok: int):
        return self.doc.segments[self.token_segment[tok]]

    def is_negated(self, m: Match) -> bool:
        toks = self.tokens
        clause = self.clause[m.start]
        words = 0
        cjk: list[str] = []
        i = m.start - 1
        while i >= 0 and self.clause[i] == clause:
            if toks.split[i]:
                if len(cjk) < CJK_WINDOW:
                    cjk.append(toks.words[i])
            else:
                if cjk:
                    break  # a word after a CJK run ends the CJK window
                words += 1
                if words > NEGATION_WINDOW:
                    break
                if toks.lowers[i] in NEGATION_WORDS:
                    return True
            if len(cjk) >= CJK_WINDOW and words:
                break
            i -= 1
        if cjk:
            before = "".join(reversed(cjk))
            for phrase in CJK_NOT_NEGATION:
                before = before.replace(phrase, "\u25a1")
            return any(cue in before for cue in CJK_NEGATION)
        return False

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
    prepared = Prepared(doc, tokens, token_segment, token_source, sentence, clause)
    for m in patterns.run(tokens):
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
    from itertools import accumulate
    from operator import add

    words = tokens.words
    is_boundary = [w == BOUNDARY for w in words]
    ends_sentence = [w in SENTENCE_END for w in words]
    ends_clause = [w in CLAUSE_END or low in CLAUSE_WORDS for w, low in zip(words, tokens.lowers)]
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
