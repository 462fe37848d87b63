"""Language-neutral tokenizer: words for spaced scripts, one token per character for CJK and Thai."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from operator import add

# Scripts written without spaces between words are matched character by character.
SPLIT_RANGES = (
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u3100-\u312f\u3130-\u318f"
    "\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u1100-\u11ff\uf900-\ufaff"
    "\u0e00-\u0e7f\u0e80-\u0eff\u1780-\u17ff\u1000-\u109f"
)
# Combining marks that belong inside words (Arabic harakat, Indic vowel signs, Latin accents).
MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963"
BOUNDARY = "\ue000"  # private-use character placed between segments: no pattern crosses it

_URL = r"(?P<url>(?:https?://|www\.)[^\s\ue000]+)"
_EMAIL = r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
_SPLIT = rf"(?P<split>[{SPLIT_RANGES}]+)"  # a run of CJK/Thai characters: one token per character (tokenize)
_NUM = r"(?P<num>\d+(?:[.,:]\d+)*)"
_WORD = rf"(?P<word>(?:[^\W\d_{SPLIT_RANGES}]|[{MARKS}])+(?:['’](?:[^\W\d_{SPLIT_RANGES}])+)*)"
_OTHER = r"(?P<other>\S)"
_TOKEN_PARTS = (_URL, _EMAIL, _SPLIT, _NUM, _WORD, _OTHER)
# Faster equivalents of _TOKEN_RE for the texts most scripts are: without "://"/"www." the URL
# alternative cannot match, without "@" the e-mail one cannot, and without combining marks a word is a
# plain run of letters; the word alternative may come first (its first characters are no other's).
# Trying URL and e-mail at every word was half of the tokenizing time.
_PLAIN_WORD = rf"(?P<word>[^\W\d_{SPLIT_RANGES}]+(?:['’][^\W\d_{SPLIT_RANGES}]+)*)"
_ONE_SPLIT = rf"[{SPLIT_RANGES}]"  # tokenize matches CJK/Thai characters one at a time


def _variant(url: bool, email: bool, marks: bool) -> re.Pattern:
    """The tokenizer regex without named groups, a CJK/Thai character per match (``findall`` gives the
    tokens at C speed)."""
    first = ([_URL] if url else []) + ([_EMAIL] if email else [])
    rest = [_SPLIT, _NUM, _WORD, _OTHER] if marks else [_PLAIN_WORD, _SPLIT, _NUM, _OTHER]
    parts = [re.sub(r"\(\?P<\w+>", "(?:", p) for p in first + rest]
    parts = [_ONE_SPLIT if p == re.sub(r"\(\?P<\w+>", "(?:", _SPLIT) else p for p in parts]
    return re.compile("|".join(parts))


@lru_cache(maxsize=None)
def _token_re(url: bool, email: bool, marks: bool) -> re.Pattern:
    return _variant(url, email, marks)


@lru_cache(maxsize=None)
def _named_variant(url: bool, email: bool, marks: bool) -> re.Pattern:
    """The variant with named groups and CJK/Thai runs as one match (expanded by ``_tokenize_runs``)."""
    first = ([_URL] if url else []) + ([_EMAIL] if email else [])
    rest = [_SPLIT, _NUM, _WORD, _OTHER] if marks else [_PLAIN_WORD, _SPLIT, _NUM, _OTHER]
    return re.compile("|".join(first + rest))


@lru_cache(maxsize=None)
def _compiled(name: str) -> re.Pattern:
    if name == "marks":
        return re.compile(f"[{MARKS}]")
    if name == "split":
        return re.compile(f"[{SPLIT_RANGES}]")
    if name == "one_split":
        return re.compile(f"{_ONE_SPLIT}")
    return re.compile("|".join(_TOKEN_PARTS))


def __getattr__(name: str):
    """Regexes compile on first use (importing the module costs nothing): _TOKEN_RE, the reference."""
    if name == "_TOKEN_RE":
        return _compiled("reference")
    if name == "_MARKS_RE":
        return _compiled("marks")
    raise AttributeError(name)


class LazyRegex:
    """A regex compiled on first use (import costs nothing); its methods are then plain attributes."""

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str):
        rx = re.compile(self.pattern, self.flags)
        for attr in ("search", "match", "fullmatch", "finditer", "findall", "sub", "split"):
            setattr(self, attr, getattr(rx, attr))
        return getattr(rx, name)


@dataclass
class Tokens:
    """Tokens of one text: their text, lower-cased form and [start, end) offsets."""

    words: list[str]
    lowers: list[str]
    starts: list[int]
    ends: list[int]
    split: list[bool]  # True for single characters of CJK/Thai runs

    def __len__(self) -> int:
        return len(self.words)


def tokenize(text: str) -> Tokens:
    variant = ("://" in text or "www." in text, "@" in text,
               not text.isascii() and bool(_compiled("marks").search(text)))
    has_split = not text.isascii() and bool(_compiled("split").search(text))
    if (has_split and variant[1]) or len(text) < 200:
        # a short text (a pattern, a chunk) costs less a match at a time; and an e-mail address may start
        # inside a CJK run only when it is matched a character at a time
        return _tokenize_runs(text, _named_variant(*variant))
    rx = _token_re(*variant)
    words = rx.findall(text)  # C speed: one string per token
    starts = list(map(re.Match.start, rx.finditer(text)))
    ends = list(map(add, starts, map(len, words)))
    if not has_split:
        split = [False] * len(words)
    else:
        split = list(map(bool, map(_compiled("one_split").fullmatch, words)))
    return Tokens(words, list(map(str.lower, words)), starts, ends, split)


def _tokenize_runs(text: str, rx: re.Pattern) -> Tokens:
    """``tokenize`` a match at a time, a CJK/Thai run per match (the reference the fast path equals)."""
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    split: list[bool] = []
    for m in rx.finditer(text):
        if m.lastgroup == "split":
            run = m.group()
            start = m.start()
            words.extend(run)
            starts.extend(range(start, start + len(run)))
            ends.extend(range(start + 1, start + len(run) + 1))
            split.extend([True] * len(run))
            continue
        words.append(m.group())
        starts.append(m.start())
        ends.append(m.end())
        split.append(False)
    return Tokens(words, [w.lower() for w in words], starts, ends, split)


# Snowball stemmers by language code; languages without one compare lower-cased words.
SNOWBALL = {
    "en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian",
    "nl": "dutch", "pt": "portuguese", "id": "indonesian", "ms": "indonesian", "ar": "arabic",
    "hi": "hindi", "ru": "russian", "tr": "turkish", "sv": "swedish", "da": "danish",
    "ro": "romanian", "el": "greek", "ca": "catalan",
}
# spaCy blank pipelines whose lexical attributes (LIKE_NUM, stop words) we use per language.
SPACY_LANGS = {"en", "de", "fr", "es", "it", "nl", "pt", "id", "ar", "hi", "ru", "tr", "sv", "da",
               "ro", "el", "ca", "ms", "tl"}


def stem_group(lang: str) -> str:
    """Languages sharing a stemmer share one matching pass; the rest compare lower case ("xx")."""
    return lang if lang in SNOWBALL else "xx"


def pure_python() -> bool:
    """Use snowballstemmer's pure-Python stemmers even when PyStemmer (the C build) is installed
    (``CULTURE_LINT_PURE_STEMMER=1``; the tests compare the two)."""
    import os

    return os.environ.get("CULTURE_LINT_PURE_STEMMER", "") not in ("", "0")


@lru_cache(maxsize=None)
def _stemmer(group: str, pure: bool = False):
    """PyStemmer's C build of the Snowball algorithm when installed, else snowballstemmer's Python one
    (the same algorithms, the same stems)."""
    if not pure:
        try:
            import Stemmer  # PyStemmer

            return Stemmer.Stemmer(SNOWBALL[group])
        except (ImportError, KeyError):
            pass
    import importlib

    module = importlib.import_module(f"snowballstemmer.{SNOWBALL[group]}_stemmer")
    return getattr(module, SNOWBALL[group].capitalize() + "Stemmer")()


class Stemmer:
    """Cached stems for one stemming group."""

    def __init__(self, group: str, pure: bool | None = None):
        self.group = group
        self.cache: dict[str, str] = {}
        self._token_stems: dict[str, str] = {}
        backend = _stemmer(group, pure_python() if pure is None else pure) if group in SNOWBALL else None
        self._stem = backend.stemWord if backend is not None else None
        self._stem_words = backend.stemWords if backend is not None else None

    def stem(self, lower: str) -> str:
        cached = self.cache.get(lower)
        if cached is None:
            if self._stem is None or not lower[:1].isalpha():
                cached = lower
            else:
                cached = self._stem(lower.replace("’", "'")) or lower
            self.cache[lower] = cached
        return cached

    def stems(self, tokens: Tokens) -> list[str]:
        if self._stem is None:
            return tokens.lowers
        # a token's stem by its lower-cased text: a CJK/Thai character (always a split token) is its own
        table = self._token_stems
        if len(table) > 500_000:  # a stream of new words (a huge corpus): start again rather than grow
            table.clear()
        out = list(map(table.get, tokens.lowers))
        if None in out:
            self._learn(tokens, out)
            out = list(map(table.get, tokens.lowers))
        return out

    def lazy_stems(self, tokens: Tokens, distinct: set[str]):
        """The stems of ``tokens`` as a ``fastmatch.LazyStems`` (``distinct``: the set of their lowers): every
        distinct word is stemmed once, but no per-token list is built."""
        if self._stem is None:
            return tokens.lowers
        from .fastmatch import LazyStems

        table = self._token_stems
        if len(table) > 500_000:
            table.clear()
        missing = distinct - table.keys()
        if missing:
            split = self._split_missing(tokens, missing)
            for low in split:
                table[low] = low
            self._add(missing - split)
        return LazyStems(tokens.lowers, table)

    def stems_of(self, lowers: list[str]) -> list[str]:
        """Stems of lower-cased words (no CJK characters among them)."""
        if self._stem is None:
            return lowers
        table = self._token_stems
        out = list(map(table.get, lowers))
        if None in out:
            self._add({low for low, stem in zip(lowers, out) if stem is None})
            out = list(map(table.get, lowers))
        return out

    def _learn(self, tokens: Tokens, out: list) -> None:
        """Stem the distinct words not seen yet, all at once (PyStemmer's ``stemWords`` runs in C)."""
        from itertools import compress, repeat
        from operator import is_

        table = self._token_stems
        missing = set(compress(tokens.lowers, map(is_, out, repeat(None))))
        split = self._split_missing(tokens, missing)
        for low in split:
            table[low] = low
        self._add(missing - split)

    @staticmethod
    def _split_missing(tokens: Tokens, missing: set[str]) -> set[str]:
        # split tokens are single CJK/Thai characters: only one-character words can be one
        singles = {low for low in missing if len(low) == 1 and not low.isascii()}
        if not singles:
            return set()
        from itertools import compress

        return singles & set(compress(tokens.lowers, tokens.split))

    def _add(self, words: set[str]) -> None:
        table, cache = self._token_stems, self.cache
        todo = []
        for low in words:
            hit = cache.get(low)
            if hit is not None:
                table[low] = hit
            elif not low[:1].isalpha():
                table[low] = cache[low] = low
            else:
                todo.append(low)
        if not todo:
            return
        stems = self._stem_words([low.replace("’", "'") for low in todo])
        for low, stem in zip(todo, stems):
            table[low] = cache[low] = stem or low


@lru_cache(maxsize=None)
def get_stemmer(group: str) -> Stemmer:
    return Stemmer(group)
