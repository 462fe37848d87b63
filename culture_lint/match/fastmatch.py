"""A token-pattern matcher for the subset of spaCy patterns rule packs use, without building spaCy Docs.

spaCy's Matcher steps every pattern over every token (and makes a Python Token object per token per
call); with a thousand patterns that was most of the linting time. Here each pattern is indexed by the
values its first token must have (a stem, a lower-cased word, a word, or "a number"), so only patterns
that can start at a token are tried there.

The result is the same as spaCy's: for each pattern and each start, the ends of the matches (the engine
keeps the shortest). Supported: token specs whose keys are LEMMA, LOWER, ORTH/TEXT, NORM or lexeme flags
(IS_PUNCT, LIKE_NUM, …) with a string, a bool or ``{IN: […]}``/``{NOT_IN: […]}``, and the operators
``?``, ``{n}``, ``{n,m}``, ``{,m}``, and ``REGEX`` on a text attribute. Anything else (``*``, ``+``, ``!``, ``FUZZY``, token-level
attributes) returns ``None`` from ``compile_specs`` and stays with spaCy's Matcher.
"""

from __future__ import annotations

import re
from itertools import compress
from typing import Any, Callable

# lexeme flags and their spaCy Lexeme attribute names
FLAGS = {
    "IS_ALPHA": "is_alpha", "IS_ASCII": "is_ascii", "IS_DIGIT": "is_digit", "IS_LOWER": "is_lower",
    "IS_PUNCT": "is_punct", "IS_SPACE": "is_space", "IS_TITLE": "is_title", "IS_UPPER": "is_upper",
    "LIKE_URL": "like_url", "LIKE_NUM": "like_num", "LIKE_EMAIL": "like_email", "IS_STOP": "is_stop",
    "IS_BRACKET": "is_bracket", "IS_QUOTE": "is_quote", "IS_LEFT_PUNCT": "is_left_punct",
    "IS_RIGHT_PUNCT": "is_right_punct", "IS_CURRENCY": "is_currency",
}
TEXT_ATTRS = {"LEMMA": "stems", "LOWER": "lowers", "ORTH": "words", "TEXT": "words", "NORM": "norms"}
_RANGE = re.compile(r"^\{(\d*)(?:(,)(\d*))?\}$")


class Unsupported(Exception):
    """A pattern feature this matcher leaves to spaCy."""


# Words too common to index a phrase by ("the best …" is indexed by "best")
COMMON_WORDS = frozenset(
    "the a an to in of is are be for this that and or on with it you your no not at by as from all our we "
    "de la le el los las les un une des du der die das und et y e di il lo que en het een van ist".split()
    + list("的了是不我你在有一这个们就也都和很"))


class LazyStems:
    """A group's stems of a token stream, looked up per index from the stemmer's table (the words were
    stemmed, each once, beforehand): a group whose anchors occur nowhere never builds a list of stems."""

    __slots__ = ("lowers", "table")

    def __init__(self, lowers: list[str], table: dict[str, str]):
        self.lowers = lowers
        self.table = table

    def __len__(self) -> int:
        return len(self.lowers)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return list(map(self.table.__getitem__, self.lowers[i]))
        return self.table[self.lowers[i]]

    def __iter__(self):
        return map(self.table.__getitem__, self.lowers)


class DocView:
    """One token stream as the matcher sees it: words, lower-cased words, stems, lazily flags and norms."""

    __slots__ = ("words", "lowers", "stems", "lexicon", "_norms", "_distinct")

    def __init__(self, words: list[str], lowers: list[str], stems: list[str], lexicon: "Lexicon",
                 distinct: dict | None = None):
        self.words = words
        self.lowers = lowers
        self.stems = stems
        self.lexicon = lexicon
        self._norms = None
        self._distinct = {} if distinct is None else distinct  # id(list) -> set(list), shared by groups

    def distinct(self, values) -> set[str]:
        if isinstance(values, LazyStems):
            table = values.table
            return {table[low] for low in self.distinct(self.lowers)}
        found = self._distinct.get(id(values))
        if found is None or found[0] is not values:
            found = self._distinct[id(values)] = (values, set(values))
        return found[1]

    @property
    def norms(self) -> list[str]:
        if self._norms is None:
            self._norms = [self.lexicon.attr(w, "norm_") for w in self.words]
        return self._norms

    def flag(self, name: str, i: int) -> bool:
        return self.lexicon.attr(self.words[i], name)


class Lexicon:
    """Lexeme attributes of words in one spaCy vocab (a stemming group's), cached per word."""

    def __init__(self, vocab_factory: Callable[[], Any]):
        self._factory = vocab_factory
        self._vocab = None
        self._cache: dict[str, dict[str, Any]] = {}
        self._getters: dict[str, Callable[[str], Any]] | None = None

    def __getstate__(self):  # a copy in another process loads its own vocab
        return {"_factory": self._factory, "_vocab": None, "_cache": self._cache, "_getters": None}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__dict__.setdefault("_getters", None)

    def getters(self) -> dict[str, Callable[[str], Any]]:
        """Flag getters lifted out of spaCy (``lexattrs``): flags read without importing spaCy."""
        if self._getters is None:
            self._getters = {}
            args = getattr(self._factory, "args", ())
            if len(args) == 1 and getattr(getattr(self._factory, "func", None), "__name__", "") == "vocab_for":
                from .lexattrs import flag_getters

                try:
                    self._getters = flag_getters(args[0], FLAGS)
                except Exception:  # no cache, no spaCy layout we know: the vocab answers
                    self._getters = {}
        return self._getters

    def vocab(self):
        if self._vocab is None:
            self._vocab = self._factory()
        return self._vocab

    def attr(self, word: str, name: str):
        cache = self._cache.get(name)
        if cache is None:
            cache = self._cache[name] = {}
        value = cache.get(word)
        if value is None:
            getter = (self._getters if self._getters is not None else self.getters()).get(name)
            if getter is not None:  # a lexeme flag is a bit: what its getter returns, as a bool
                value = cache[word] = bool(getter(word))
                return value
            if self._vocab is None:
                self._vocab = self._factory()
            value = cache[word] = getattr(self._vocab[word], name)
        return value


def _compile_token(spec: dict) -> tuple[list[tuple], int, int]:
    """One token spec → (tests, min, max repeats). A test is (kind, key, value)."""
    if not isinstance(spec, dict):
        raise Unsupported("token spec is not a mapping")
    tests: list[tuple] = []
    low, high = 1, 1
    for raw_key, value in spec.items():
        if not isinstance(raw_key, str):
            raise Unsupported("attribute name")
        key = raw_key.upper()
        if key == "OP":
            low, high = _op_range(value)
            continue
        if key in TEXT_ATTRS:
            field = TEXT_ATTRS[key]
            if isinstance(value, str):
                tests.append(("eq", field, value))
            elif isinstance(value, dict) and value and all(str(op).upper() in ("IN", "NOT_IN", "REGEX") for op in value):
                for op, items in value.items():
                    op = str(op).upper()
                    if op == "REGEX":  # spaCy's REGEX: re.search on the attribute's text
                        if not isinstance(items, str):
                            raise Unsupported("REGEX value")
                        tests.append(("re", field, re.compile(items)))
                        continue
                    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
                        raise Unsupported("IN/NOT_IN list")
                    tests.append(("in" if op == "IN" else "notin", field, frozenset(items)))
            else:
                raise Unsupported(f"{key} predicate")
        elif key in FLAGS:
            if not isinstance(value, bool):
                raise Unsupported(f"{key} value")
            tests.append(("flag", FLAGS[key], value))
        else:
            raise Unsupported(f"attribute {key}")
    return tests, low, high


def _op_range(op: Any) -> tuple[int, int]:
    if op in (None, "1"):
        return 1, 1
    if op == "?":
        return 0, 1
    if isinstance(op, str):
        m = _RANGE.match(op)
        if m:
            lo, comma, hi = m.groups()
            if comma is None:  # {n}
                if not lo:
                    raise Unsupported("OP {}")
                return int(lo), int(lo)
            if hi == "":  # {n,}: unbounded
                raise Unsupported("unbounded OP")
            return int(lo or 0), int(hi)
    raise Unsupported(f"OP {op!r}")


class TokenPattern:
    """A compiled token pattern: a sequence of (tests, optional) steps."""

    __slots__ = ("steps", "closure", "n", "simple")

    def __init__(self, specs: list[dict]):
        steps: list[tuple[tuple, bool]] = []
        for spec in specs:
            tests, low, high = _compile_token(spec)
            for _ in range(low):
                steps.append((tuple(tests), False))
            for _ in range(high - low):
                steps.append((tuple(tests), True))
        if not steps:
            raise Unsupported("empty pattern")
        self.steps = steps
        self.n = len(steps)
        # epsilon closure: from step j, the steps reachable by skipping optional ones (n = accept)
        closure = []
        for j in range(self.n + 1):
            reach = [j]
            k = j
            while k < self.n and steps[k][1]:
                k += 1
                reach.append(k)
            closure.append(tuple(reach))
        self.closure = closure
        self.simple = not any(optional for _tests, optional in steps)  # no choices: one pass, no state sets

    def first_steps(self) -> tuple[int, ...]:
        return tuple(j for j in self.closure[0] if j < self.n)

    def shortest_end(self, doc: DocView, start: int, length: int) -> int | None:
        """The smallest end > start of a match starting at ``start``, or None."""
        steps, closure, n = self.steps, self.closure, self.n
        if self.simple:
            if start + n > length:
                return None
            for j in range(n):
                if not _passes(steps[j][0], doc, start + j):
                    return None
            return start + n
        states = closure[0]
        i = start
        while i < length:
            nxt: set[int] = set()
            for j in states:
                if j < n and _passes(steps[j][0], doc, i):
                    nxt.update(closure[j + 1])
            if not nxt:
                return None
            i += 1
            if n in nxt:
                return i
            states = tuple(nxt)
        return None


def _passes(tests: tuple, doc: DocView, i: int) -> bool:
    for kind, key, value in tests:
        if kind == "eq":
            if getattr(doc, key)[i] != value:
                return False
        elif kind == "in":
            if getattr(doc, key)[i] not in value:
                return False
        elif kind == "notin":
            if getattr(doc, key)[i] in value:
                return False
        elif kind == "re":
            if value.search(getattr(doc, key)[i]) is None:
                return False
        else:  # flag
            if doc.flag(key, i) != value:
                return False
    return True


def compile_specs(specs: list[dict]) -> TokenPattern | None:
    try:
        return TokenPattern(specs)
    except Unsupported:
        return None


class GroupMatcher:
    """All phrase and token patterns of one stemming group, indexed by a token each match must contain.

    A token pattern is anchored on a required step with a literal (a stem, word or lower-cased word, or
    one of an IN list; the longest, as the likely rarest): a match starting at ``s`` passes that step at a token ``p`` with
    ``lo <= p - s <= hi`` (``lo``/``hi``: required/all steps before it), so only those starts are tried
    where the anchor occurs. Patterns without such a step are anchored on a flag their first token
    needs (LIKE_NUM), else tried at every token.
    """

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        # field -> value -> entries: (None, stems tuple, idx) for phrases, (pattern, idx, lo, hi) for tokens
        self.tables: dict[str, dict[str, list[tuple]]] = {}
        self.flag_first: dict[tuple[str, bool], list[tuple[TokenPattern, int]]] = {}
        self.anywhere: list[tuple[TokenPattern, int]] = []
        self.count = 0

    def __len__(self) -> int:
        return self.count

    def add_phrase(self, idx: int, stems: list[str]) -> None:
        """A phrase is indexed by its rarest-looking stem (the longest, common words last), not its first:
        "the best …" is looked at where "best" occurs, not at every "the"."""
        k = max(range(len(stems)), key=lambda j: (len(stems[j]) - (10 if stems[j] in COMMON_WORDS else 0), -j))
        self.tables.setdefault("stems", {}).setdefault(stems[k], []).append((None, tuple(stems), idx, k))
        self.count += 1

    def add_tokens(self, idx: int, pattern: TokenPattern) -> None:
        self.count += 1
        best = None  # the rarest-looking required literal: long words are rarer than "a" or "the"
        lo = hi = 0
        for tests, optional in pattern.steps:
            anchor = None if optional else _anchor(tests)
            if anchor is not None and anchor[0] == "text":
                keys = anchor[1]
                score = min(len(value) for _, value in keys) - (2 if len(keys) > 1 else 0)
                if best is None or score > best[0]:
                    best = (score, keys, lo, hi)
            lo += 0 if optional else 1
            hi += 1
        if best is not None:
            _, keys, lo, hi = best
            for field, value in keys:
                self.tables.setdefault(field, {}).setdefault(value, []).append((pattern, idx, lo, hi))
            return
        firsts = pattern.first_steps()
        anchors = [_anchor(pattern.steps[j][0]) for j in firsts]
        if len(firsts) == 1 and anchors[0] is not None and anchors[0][0] == "flag":
            self.flag_first.setdefault(anchors[0][1], []).append((pattern, idx))
        else:
            self.anywhere.append((pattern, idx))

    def run(self, doc: DocView, found: dict[tuple[int, int], int]) -> None:
        """Add (idx, start) -> shortest end for every match to ``found``."""
        length = len(doc.stems)
        tried: set[tuple[int, int]] = set()
        for field, table in self.tables.items():
            values = getattr(doc, field)
            present = table.keys() & doc.distinct(values)
            if not present:
                continue
            stem_of = None
            if isinstance(values, LazyStems):  # where a stem occurs, found by the words that have it
                stem_of = values.table
                hits = {low for low in doc.distinct(doc.lowers) if stem_of[low] in present}
                scan = map(hits.__contains__, doc.lowers)
            else:
                scan = map(present.__contains__, values)
            lazy = stem_of if isinstance(values, LazyStems) else None
            lowers = doc.lowers
            for p in compress(range(length), scan):  # C-speed scan
                for pattern, a, b, c in table[lazy[lowers[p]] if lazy is not None else values[p]]:
                    if pattern is None:  # a phrase: a = its stems, b = idx, c = where its anchor is in it
                        s = p - c
                        end = s + len(a)
                        if s >= 0 and end <= length and (len(a) == 1 or tuple(values[s:end]) == a):
                            prev = found.get((b, s))
                            if prev is None or end < prev:
                                found[(b, s)] = end
                        continue
                    idx, lo, hi = a, b, c
                    for s in range(max(0, p - hi), p - lo + 1):
                        if (idx, s) in tried:
                            continue
                        tried.add((idx, s))
                        end = pattern.shortest_end(doc, s, length)
                        if end is not None:
                            prev = found.get((idx, s))
                            if prev is None or end < prev:
                                found[(idx, s)] = end
        if self.flag_first:
            attr = self.lexicon.attr
            words = doc.words
            for (flag, want), cands in self.flag_first.items():
                hits = {w for w in doc.distinct(words) if attr(w, flag) == want}
                if hits:
                    for i in [i for i, w in enumerate(words) if w in hits]:
                        _try(cands, doc, i, length, found)
        if self.anywhere:
            for i in range(length):
                _try(self.anywhere, doc, i, length, found)


def _try(cands, doc: DocView, i: int, length: int, found: dict) -> None:
    for pattern, idx in cands:
        end = pattern.shortest_end(doc, i, length)
        if end is not None:
            prev = found.get((idx, i))
            if prev is None or end < prev:
                found[(idx, i)] = end


def _anchor(tests: tuple):
    """What a first token must be, for the index: ("text", {(field, value), …}) or ("flag", (name, bool))."""
    for kind, key, value in tests:
        if kind == "eq":
            return "text", {(key, value)}
        if kind == "in":
            return "text", {(key, v) for v in value}
    for kind, key, value in tests:
        if kind == "flag" and value is True:
            return "flag", (key, value)
    return None
