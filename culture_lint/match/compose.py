"""Composed matches: concepts combined in a window (packs/concepts.py) turned into rule matches.

The terms of every concept in use are ordinary patterns of the one PatternSet, keyed ``("c", name)``; they are
matched once per document whatever the number of rules and markets. ``Composer.apply`` then builds each rule's
composed matches from them and adds them under the rule's own key, so the kinds (forbid, require, limit) see
them as any other match: exceptions, negation and disclaimers apply as usual.

Every step is bounded: a sequence looks at most ``MAX_GAP`` words ahead of each match by bisection, and
co-occurrence compares unit numbers in sets, so the cost is linear in the number of concept matches.
"""

from __future__ import annotations

import bisect
import re
from typing import Hashable

from ..packs.concepts import Composition, Concept, expand, resolve
from .compiler import Match
from .negation import cues_for


def concept_key(name: str) -> tuple[str, str]:
    return ("c", name)


def unless_key(name: str) -> tuple[str, str]:
    return ("cu", name)


class Composer:
    """The compositions of a linter's rules, resolved against the concept lexicons."""

    def __init__(self, compositions: list[tuple[Hashable, Composition]], concepts: dict[str, Concept]):
        self.compositions = [(key, c) for key, comp in compositions for c in resolve(comp, concepts)]
        self.members: dict[str, list[str]] = {}
        for _key, comp in self.compositions:
            for item in comp.items:
                if item not in self.members:
                    self.members[item] = expand(item, concepts)

    def base_concepts(self) -> set[str]:
        """Concepts whose terms must be matched (includes resolved)."""
        return {name for members in self.members.values() for name in members}

    def apply(self, prep) -> None:
        if not self.compositions:
            return
        found: dict[str, list[Match]] = {}
        langs: dict[tuple[int, int], set[str]] = {}  # every language whose terms matched a span
        kana = _kana_sentences(prep)
        for item, members in self.members.items():
            ms: dict[tuple[int, int], Match] = {}
            for name in members:
                unless = prep.matches.get(unless_key(name), ())
                for m in _outside(prep.matches.get(concept_key(name), ()), unless):
                    span = (m.start, m.end)
                    langs.setdefault(span, set()).add(m.lang)
                    if span not in ms or _rank(m, kana, prep) < _rank(ms[span], kana, prep):
                        ms[span] = m  # the span's language: Han text is Japanese only beside kana
            found[item] = [ms[k] for k in sorted(ms)]
        prep.__dict__["_compose_langs"] = langs
        words = _word_positions(prep)
        for key, comp in self.compositions:
            if comp.mode == "seq":
                out = _sequence(prep, comp, found, words, key)
            else:
                out = _together(prep, comp, found, key)
            if out:
                spans: set[tuple[int, int]] = set()
                out = [m for m in out if (m.start, m.end) not in spans and not spans.add((m.start, m.end))]
                have = prep.matches.setdefault(key, [])
                have.extend(out)
                have.sort(key=lambda m: (m.start, m.end))


def _outside(matches, unless) -> list[Match]:
    """The matches that no ``unless`` wording overlaps (both lists are sorted by start)."""
    if not unless:
        return list(matches)
    spans = sorted((u.start, u.end) for u in unless)
    starts = [a for a, _b in spans]
    ends, top = [], -1
    for _a, b in spans:  # running maximum of ends: any span starting before m.end that reaches past m.start
        top = max(top, b)
        ends.append(top)
    out = []
    for m in matches:
        k = bisect.bisect_left(starts, m.end)
        if not (k and ends[k - 1] > m.start):
            out.append(m)
    return out


_PREFERRED = {"zh": 0, "en": 1}
_KANA = re.compile("[\u3040-\u30ff]")


def _kana_sentences(prep) -> set[int]:
    """Sentences holding hiragana or katakana (found with one C-speed scan per kana token)."""
    sentence = prep.sentence
    return {sentence[i] for i, w in enumerate(prep.tokens.words) if w and _KANA.match(w)} \
        if _KANA.search("".join(prep.tokens.words)) else set()


def _rank(m: Match, kana: set[int], prep) -> tuple[int, str]:
    if m.lang == "ja" and prep.sentence[m.start] in kana:
        return (-1, m.lang)
    return (_PREFERRED.get(m.lang, 2), m.lang)


def _word_positions(prep) -> list[float]:
    """Words before each token: a word is 1, a CJK/Thai character ½, punctuation 0 (as spoken time counts)."""
    cached = prep.__dict__.get("_compose_words")
    if cached is None:
        from itertools import accumulate

        weights = (0.5 if split else (1.0 if word[:1].isalnum() else 0.0)
                   for split, word in zip(prep.tokens.split, prep.tokens.words))
        cached = list(accumulate(weights, initial=0.0))
        prep.__dict__["_compose_words"] = cached
    return cached


def _sequence(prep, comp: Composition, found: dict[str, list[Match]], words: list[float], key) -> list[Match]:
    """Matches of ``items[0]`` followed by each next item within its gap, in the same sentence, with no
    negation word in a gap ("cures no disease", "治不了病")."""
    sentence, lowers = prep.sentence, prep.tokens.lowers
    lists = [found.get(item, []) for item in comp.items]
    if not all(lists):
        return []
    starts = [[m.start for m in ms] for ms in lists]
    out = []
    langs = prep.__dict__.get("_compose_langs", {})
    for first in lists[0]:
        if comp.langs and not (_span_langs(first, langs) & set(comp.langs)):
            continue
        end, sid, last = first.end, sentence[first.start], first
        for j, (low, high) in enumerate(comp.gaps, start=1):
            ms, st = lists[j], starts[j]
            nxt = None
            for k in range(bisect.bisect_left(st, end), len(st)):
                m = ms[k]
                gap = words[m.start] - words[end]
                if gap > high or sentence[m.start] != sid:
                    break
                if gap >= low and sentence[m.end - 1] == sid and not _negation_between(lowers, end, m.start,
                                                                                       first.lang, m.lang):
                    nxt = m
                    break
            if nxt is None:
                last = None
                break
            end, last = nxt.end, nxt
        if last is not None:  # one concept alone keeps its term's pattern (what the negation check reads)
            out.append(Match(key, first.lang, first.start, last.end,
                             pattern=first.pattern if len(comp.items) == 1 else -1))
    return out


def _span_langs(first: Match, langs: dict) -> set[str]:
    """The languages a term's words may be in: Han characters beside kana are Japanese only (促進 in a Japanese
    sentence is no Chinese verb-first claim)."""
    if first.lang == "ja":
        return {"ja"}
    return langs.get((first.start, first.end), {first.lang})


def _negation_between(lowers: list[str], start: int, end: int, lang_a: str, lang_b: str) -> bool:
    if end <= start:
        return False
    cues = cues_for(lang_a) | cues_for(lang_b) if lang_a != lang_b else cues_for(lang_a)
    return any(lowers[i] in cues for i in range(start, end))


def _together(prep, comp: Composition, found: dict[str, list[Match]], key) -> list[Match]:
    """Matches of ``items[0]`` whose clause / sentence / segment / document also holds every other item (on
    other words)."""
    unit = {"clause": prep.clause, "sentence": prep.sentence, "segment": prep.token_segment}.get(comp.within)
    lists = [found.get(item, []) for item in comp.items]
    if not all(lists):
        return []
    units = [[unit[m.start] for m in ms] if unit is not None else None for ms in lists]
    out = []
    for first in lists[0]:
        here = unit[first.start] if unit is not None else 0
        if all(any(m.end <= first.start or m.start >= first.end for m in _near(ms, us, here))
               for ms, us in zip(lists[1:], units[1:])):
            out.append(Match(key, first.lang, first.start, first.end, pattern=first.pattern))
    return out


def _near(ms: list[Match], units: list[int] | None, here: int) -> list[Match]:
    """The matches of a list in unit ``here`` (units are numbered in text order, so bisection finds them).
    Only the first few are looked at: enough to find one on other words than the anchor."""
    if units is None:
        return ms[:4] + ms[-4:]
    lo = bisect.bisect_left(units, here)
    hi = bisect.bisect_right(units, here)
    return ms[lo:min(hi, lo + 8)]
