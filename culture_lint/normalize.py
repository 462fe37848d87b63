"""Normalize text before matching while keeping a map back to the original characters."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .match.tokens import LazyRegex

_DROP = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u200e", "\u200f",
         "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}
_QUOTES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
}


# Pinyin annotations after Chinese characters, as in 互動(dòng)率 or 報（bào）告: ignored for matching.
_PINYIN = LazyRegex(
    r"(?<=[\u3400-\u9fff])[(（]\s*[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]{1,7}[1-5]?"
    r"(?:\s+[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]{1,7}[1-5]?)*\s*[)）]")
_TONE = LazyRegex(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜǹńň1-5]")


@dataclass
class Normalized:
    """Normalized text; ``index[i]`` is the position in the input of ``text[i]`` (None = identity)."""

    text: str
    index: list[int] | None

    def to_input(self, pos: int) -> int:
        if self.index is None:
            return pos
        return self.index[pos]


@lru_cache(maxsize=1)
def _trad_to_simp() -> dict[str, str]:
    """Character-level traditional→simplified map from OpenCC's dictionary."""
    try:
        import opencc  # opencc-python-reimplemented ships the OpenCC dictionaries
    except ImportError:  # pragma: no cover - declared dependency
        return {}
    table: dict[str, str] = {}
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2 and len(parts[0]) == 1:
                simp = parts[1].split(" ")[0]
                if len(simp) == 1:
                    table[parts[0]] = simp
    return table


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    if ch in _DROP:
        return ""
    if ch in _QUOTES:
        return _QUOTES[ch]
    out = unicodedata.normalize("NFKC", ch)
    if len(out) == 1 and ord(out) >= 0x3400:
        out = _trad_to_simp().get(out, out)
    return out


def normalize(text: str) -> Normalized:
    """NFKC, width folding, zero-width/soft-hyphen removal, straight quotes, traditional→simplified."""
    if text.isascii():
        return Normalized(text, None)
    skip = _pinyin_spans(text)
    if not skip:
        # common case: every character folds to exactly one character, so positions do not move
        table = _one_to_one(set(text))
        if table is not None:
            return Normalized(text.translate(table), None)
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if skip and i in skip:
            continue
        if ch.isascii():
            out.append(ch)
            index.append(i)
            continue
        folded = _fold_char(ch)
        for piece in folded:
            out.append(piece)
            index.append(i)
    index.append(len(text))
    return Normalized("".join(out), index)


# Characters seen so far: the ones folding to another single character (a str.translate table), and the
# ones folding to none or several (text holding those takes the character-by-character path).
_SEEN: set[str] = set()
_FOLD_TABLE: dict[int, str] = {}
_NOT_ONE: set[str] = set()


def _one_to_one(chars: set[str]) -> dict[int, str] | None:
    """The translate table for text made of ``chars``, or None when one of them changes the length."""
    new = chars - _SEEN
    for ch in new:
        if not ch.isascii():
            folded = _fold_char(ch)
            if len(folded) != 1:
                _NOT_ONE.add(ch)
            elif folded != ch:
                _FOLD_TABLE[ord(ch)] = folded
        _SEEN.add(ch)
    if not _NOT_ONE.isdisjoint(chars):
        return None
    return _FOLD_TABLE


def _pinyin_spans(text: str) -> set[int]:
    """Character positions of pinyin annotations (must carry a tone mark or number to count)."""
    if "(" not in text and "（" not in text:
        return set()
    out: set[int] = set()
    for m in _PINYIN.finditer(text):
        inner = m.group()[1:-1]
        if _TONE.search(inner):
            out.update(range(m.start(), m.end()))
    return out
