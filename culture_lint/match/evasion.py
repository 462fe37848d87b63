"""See through disguised wording: spaced letters, leetspeak, look-alike letters, stretched words, near-misses.

Builds a second token view of a document only when it contains something that looks disguised; forbid
patterns that hit only in that view are reported as disguised wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .tokens import MARKS, SPLIT_RANGES, LazyRegex, Tokens

LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
        "@": "a", "$": "s", "!": "i", "|": "i", "€": "e", "+": "t"}
LEET_ALT = {"1": "l", "|": "l", "!": "l"}  # the other reading of the ambiguous symbols
# Cyrillic and Greek letters that look like Latin ones.
HOMOGLYPHS = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ӏ": "l", "ԁ": "d", "ԛ": "q",
    "ԝ": "w", "ɡ": "g", "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ү": "y", "һ": "h", "ɑ": "a", "ı": "i",
}
SEPARATORS = set("-._*·•/\\|~+'\"`^=")
_LATIN = LazyRegex(r"[a-z]")
_TRIPLE = LazyRegex(r"([a-z])\1{2,}")
FUZZY_MIN_LEN = 6
# over-approximations of what Evasion.view undoes, for its quick no-op check (could_change)
_WORD_CHAR = rf"(?:[^\W\d_{SPLIT_RANGES}]|[{MARKS}])"
_SEP_CLASS = "".join(re.escape(ch) for ch in sorted(SEPARATORS))
_SPACED_LETTERS = LazyRegex(rf"(?<!{_WORD_CHAR})[A-Za-z](?: {{1,2}}|[{_SEP_CLASS}])[A-Za-z](?!{_WORD_CHAR})")
_CJK_SEPARATED = LazyRegex(rf"[{SPLIT_RANGES}]\s*[{_SEP_CLASS}]\s*[{SPLIT_RANGES}]")
_LETTER_RUN = LazyRegex(rf"[^\W\d_{SPLIT_RANGES}]+")
FUZZY_CUTOFF = 90.0


def _squeeze(word: str) -> str:
    """Three or more of a letter in a row → two (``re.sub`` with a template is slow: look first)."""
    return _TRIPLE.sub(_two, word) if _TRIPLE.search(word) else word


def _two(m: "re.Match") -> str:
    return m.group(1) * 2


@dataclass
class View:
    """A de-obfuscated reading of the text (spacing, look-alikes, pinyin) and how it maps back to offsets."""

    tokens: Tokens
    origin: list[tuple[int, int]]  # view token -> [start, end) original token indices


def _is_letter_token(word: str) -> bool:
    return len(word) == 1 and word.isalpha() and word.isascii()


def _fold(word: str) -> str:
    low = word.lower()
    if any(ch in HOMOGLYPHS for ch in low):
        low = "".join(HOMOGLYPHS.get(ch, ch) for ch in low)
    return low


def _deleet(text: str, alt: bool = False) -> str | None:
    """Map a letters+symbols word to letters, or None when it is not a plausible disguise."""
    if not any(ch.isalpha() for ch in text) or not any(ch in LEET for ch in text):
        return None
    if not all(ch.isalpha() or ch in LEET for ch in text):
        return None
    letters = sum(ch.isalpha() for ch in text)
    if letters < 3:
        return None
    # a number followed by a unit (10kg, 5ml, 4k, 1080p) is not a disguise
    if re.fullmatch(r"\d+(?:[.,]\d+)?[a-z]{1,3}", text.lower()):
        return None
    table = {**LEET, **LEET_ALT} if alt else LEET
    return "".join(table.get(ch, ch) for ch in text.lower())


class Evasion:
    """Per-linter evasion support; ``fuzzy_words`` are single-word forbidden terms for near-miss matching."""

    def __init__(self, fuzzy_words: set[str], pattern_words: set[str] | None = None):
        self.fuzzy_words = sorted(w for w in fuzzy_words if len(w) >= FUZZY_MIN_LEN and w.isalpha())
        self.pattern_words = {w for w in (pattern_words or set()) | set(fuzzy_words) if len(w) >= 3}
        self._fuzzy_cache: dict[str, str | None] = {}
        self._chunk_cache: dict[str, bool] = {}

    def near_miss(self, word: str) -> str | None:
        if len(word) < FUZZY_MIN_LEN or not self.fuzzy_words or not word.isalpha():
            return None
        if word in self._fuzzy_cache:
            return self._fuzzy_cache[word]
        from rapidfuzz import fuzz, process

        hit = None
        if word not in self.fuzzy_words:
            best = process.extractOne(word, self.fuzzy_words, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            # near-misses keep the first two letters and the length (±1) of the word they imitate
            if best and best[0][:2] == word[:2] and abs(len(best[0]) - len(word)) <= 1:
                hit = best[0]
        self._fuzzy_cache[word] = hit
        return hit

    def could_change(self, text: str) -> bool:
        """False when ``view`` would find nothing disguised: a quick look at the text, cached per chunk.

        It over-approximates each thing ``view`` undoes (spaced letters, glued symbols, separated CJK
        characters, look-alike and stretched letters, near-misses), so True only means "look closer".
        """
        if _SPACED_LETTERS.search(text) or _CJK_SEPARATED.search(text):
            return True
        cache = self._chunk_cache
        if len(cache) > 200_000:
            cache.clear()
        for chunk in set(text.split()):
            hit = cache.get(chunk)
            if hit is None:
                hit = cache[chunk] = self._chunk_could_change(chunk)
            if hit:
                return True
        return False

    def _chunk_could_change(self, chunk: str) -> bool:
        low = chunk.lower()
        if _TRIPLE.search(low) or any(ch in HOMOGLYPHS for ch in low):
            return True
        # letters glued to digits/symbols: a run of letters and leet symbols, trailing punctuation left out,
        # with 3+ letters and a symbol
        run: list[str] = []
        for ch in low + " ":
            if ch.isalpha() or ch in LEET:
                run.append(ch)
                continue
            while run and not run[-1].isalnum():
                run.pop()
            if run and any(c in LEET for c in run) and sum(c.isalpha() for c in run) >= 3:
                return True
            run = []
        return any(self.near_miss(run) for run in _LETTER_RUN.findall(low))

    def view(self, tokens: Tokens, text: str) -> View | None:
        """A de-disguised token view, or None when nothing in the text looks disguised."""
        if not self.could_change(text):
            return None
        return self.view_range(tokens, text, 0, len(tokens))

    def suspects(self, tokens: Tokens, text: str) -> list[int]:
        """Token indices where ``view`` may change something (an over-approximation, as ``could_change``):
        found by C-speed scans, so text without a disguise costs a few passes over the string."""
        from bisect import bisect_right
        from itertools import compress

        starts = tokens.starts
        out: set[int] = set()
        for rx in (_SPACED_LETTERS, _CJK_SEPARATED):
            for m in rx.finditer(text):
                out.add(max(0, bisect_right(starts, m.start()) - 1))
                out.add(max(0, bisect_right(starts, m.end() - 1) - 1))
        cache = self._chunk_cache
        if len(cache) > 200_000:
            cache.clear()
        # each chunk that could change, found by its longest token (every copy of the chunk contains it)
        marks: dict[str, list[tuple[str, int]]] = {}
        for chunk in set(text.split()):
            hit = cache.get(chunk)
            if hit is None:
                hit = cache[chunk] = self._chunk_could_change(chunk)
            if hit:
                from .tokens import tokenize

                toks = tokenize(chunk)
                if toks.words:
                    k = max(range(len(toks.words)), key=lambda k: len(toks.words[k]))
                    marks.setdefault(toks.words[k], []).append((chunk, toks.starts[k]))
        if marks:
            words = tokens.words
            size = len(text)
            for i in compress(range(len(words)), map(marks.__contains__, words)):
                for chunk, offset in marks[words[i]]:
                    a = starts[i] - offset
                    b = a + len(chunk)
                    if a >= 0 and text.startswith(chunk, a) and (a == 0 or text[a - 1].isspace()) \
                            and (b >= size or text[b].isspace()):
                        out.add(i)
                        break
        return sorted(out)

    def windows(self, tokens: Tokens, text: str, reach: int) -> list[tuple[int, int]]:
        """Token ranges [a, b) to build views over: every suspect with ``reach`` tokens either side, widened
        to places where ``view`` starts afresh (whitespace before a token that neither a spaced-letter run
        nor a glued run can cross)."""
        n = len(tokens)
        out: list[list[int]] = []
        for t in self.suspects(tokens, text):
            a, b = max(0, t - reach), min(n, t + reach + 1)
            if out and a <= out[-1][1]:
                out[-1][1] = max(out[-1][1], b)
            else:
                out.append([a, b])
        result: list[tuple[int, int]] = []
        for a, b in out:
            a, b = self._cut(tokens, a), self._cut(tokens, b)
            if result and a <= result[-1][1]:
                result[-1] = (result[-1][0], max(result[-1][1], b))
            else:
                result.append((a, b))
        return result

    @staticmethod
    def _cut(tokens: Tokens, i: int) -> int:
        """The nearest index at or before ``i`` where ``view`` starts a token afresh."""
        words, starts, ends = tokens.words, tokens.starts, tokens.ends
        n = len(words)
        if i >= n:
            return n
        while i > 0:
            prev = words[i - 1]
            if starts[i] > ends[i - 1] and not _is_letter_token(prev) and prev not in SEPARATORS \
                    and words[i] not in SEPARATORS:
                return i
            i -= 1
        return 0

    def view_range(self, tokens: Tokens, text: str, lo: int, hi: int) -> View | None:
        """The de-disguised view of tokens [lo, hi) (indices in ``origin`` are the text's), or None when
        nothing there changes."""
        words, lowers, starts, ends, split, origin = [], [], [], [], [], []
        changed = False
        n = hi
        i = lo
        while i < n:
            # 1. spaced-out letters: s l i m m i n g / s-l-i-m
            if _is_letter_token(tokens.words[i]):
                j = i
                letters = [tokens.words[i]]
                while j + 1 < n:
                    gap = text[tokens.ends[j]:tokens.starts[j + 1]]
                    nxt = tokens.words[j + 1]
                    if gap.strip(" ") == "" and len(gap) <= 2 and _is_letter_token(nxt):
                        j += 1
                        letters.append(nxt)
                    elif nxt in SEPARATORS and j + 2 < n and _is_letter_token(tokens.words[j + 2]) \
                            and tokens.ends[j] == tokens.starts[j + 1] and tokens.ends[j + 1] == tokens.starts[j + 2]:
                        j += 2
                        letters.append(tokens.words[j])
                    else:
                        break
                word = "".join(letters).lower()
                if len(letters) >= 4 or (len(letters) == 3 and word in self.pattern_words):
                    merged = _squeeze("".join(letters).lower())
                    self._push(words, lowers, starts, ends, split, origin, merged, tokens, i, j + 1)
                    changed = True
                    i = j + 1
                    continue
            # 2. letters glued to digits/symbols: sl1mming, 5lim, sl!mming
            j = i
            while j + 1 < n and tokens.ends[j] == tokens.starts[j + 1] and not tokens.split[j + 1] \
                    and not tokens.split[i]:
                j += 1
            while j > i and not tokens.words[j][-1].isalnum():  # trailing punctuation is punctuation
                j -= 1
            if j > i:
                glued = text[tokens.starts[i]:tokens.ends[j]]
                mapped = _deleet(_fold(glued))
                if mapped and mapped not in self.pattern_words:
                    other = _deleet(_fold(glued), alt=True)
                    if other and (other in self.pattern_words or self.near_miss(_squeeze(other))):
                        mapped = other
                if mapped:
                    mapped = _squeeze(mapped)
                    self._push(words, lowers, starts, ends, split, origin, mapped, tokens, i, j + 1)
                    changed = True
                    i = j + 1
                    continue
            # 3. CJK characters split by separators: 减-肥, 减.肥
            word = tokens.words[i]
            if word in SEPARATORS and words and split and split[-1] and i + 1 < n and tokens.split[i + 1]:
                changed = True
                i += 1
                continue
            # 4. one word: look-alike letters, stretched letters, near-misses
            low = tokens.lowers[i]
            if not tokens.split[i] and not low.isascii():
                folded = _fold(low)
                if folded != low and _LATIN.search(folded) and folded.isascii():
                    low, changed = folded, True
            if not tokens.split[i] and low.isalpha():
                squeezed = _squeeze(low)
                if squeezed != low:
                    low, changed = squeezed, True
                near = self.near_miss(low)
                if near:
                    low, changed = near, True
            self._push(words, lowers, starts, ends, split, origin, low, tokens, i, i + 1,
                       keep_split=tokens.split[i])
            i += 1
        if not changed:
            return None
        return View(Tokens(words, lowers, starts, ends, split), origin)

    @staticmethod
    def _push(words, lowers, starts, ends, split, origin, word, tokens, i, j, keep_split=False):
        words.append(word)
        lowers.append(word.lower())
        starts.append(tokens.starts[i])
        ends.append(tokens.ends[j - 1])
        split.append(keep_split)
        origin.append((i, j))
