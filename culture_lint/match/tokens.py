"""Language-neutral tokenizer: words for spaced scripts, one token per character for CJK and Thai."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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
_TOKEN_RE = re.compile("|".join((_URL, _EMAIL, _SPLIT, _NUM, _WORD, _OTHER)))
# Faster equivalents of _TOKEN_RE for the texts most scripts are: without "://"/"www." the URL
# alternative cannot match, without "@" the e-mail one cannot, and without combining marks a word is a
# plain run of letters; the word alternative may come first (its first characters are no other's).
# Trying URL and e-mail at every word was half of the tokenizing time.
_PLAIN_WORD = rf"(?P<word>[^\W\d_{SPLIT_RANGES}]+(?:['’][^\W\d_{SPLIT_RANGES}]+)*)"
_MARKS_RE = re.compile(f"[{MARKS}]")


def _variant(url: bool, email: bool, marks: bool) -> re.Pattern:
    first = ([_URL] if url else []) + ([_EMAIL] if email else [])
    rest = [_SPLIT, _NUM, _WORD, _OTHER] if marks else [_PLAIN_WORD, _SPLIT, _NUM, _OTHER]
    return re.compile("|".join(first + rest))


_TOKEN_RES = {(u, e, m): _variant(u, e, m) for u in (True, False) for e in (True, False) for m in (True, False)}


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
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    split: list[bool] = []
    variant = ("://" in text or "www." in text, "@" in text, not text.isascii() and bool(_MARKS_RE.search(text)))
    for m in _TOKEN_RES[variant].finditer(text):
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


@lru_cache(maxsize=None)
def _stemmer(group: str):
    import snowballstemmer

    return snowballstemmer.stemmer(SNOWBALL[group])


class Stemmer:
    """Cached stems for one stemming group."""

    def __init__(self, group: str):
        self.group = group
        self.cache: dict[str, str] = {}
        self._token_stems: dict[str, str] = {}
        self._stem = _stemmer(group).stemWord if group in SNOWBALL else None

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
        out = list(map(table.get, tokens.lowers))
        if None in out:
            lowers, split = tokens.lowers, tokens.split
            for i, stem in enumerate(out):
                if stem is None:
                    low = lowers[i]
                    out[i] = table[low] = low if split[i] else self.stem(low)
        return out


@lru_cache(maxsize=None)
def get_stemmer(group: str) -> Stemmer:
    return Stemmer(group)
