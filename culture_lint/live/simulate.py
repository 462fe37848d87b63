"""ASR-like caption streams from a finished script, for tests, the bench and demos.

Speech recognition sends text without punctuation, in pieces of a few words, partial results before each final
one, and now and then a word split over two captions. ``fragments`` turns .srt/.vtt cues into such events,
spread over each cue's time.
"""

from __future__ import annotations

import re

from .events import Event

_PUNCT = re.compile(r"[.,!?;:。，！？；：、…\"“”]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def fragments(cues: list[tuple[float, float, str]], track: str = "host", words: int = 3,
              partials: bool = True, split_words: bool = True) -> list[Event]:
    """Events for ``(start, end, text)`` cues: punctuation dropped, ``words`` words per final caption, a partial
    result before each final, and (``split_words``) the longest word of every other cue split with a hyphen."""
    out: list[Event] = []
    for n, (start, end, text) in enumerate(cues):
        bare = " ".join(_PUNCT.sub(" ", text).split())
        tokens = bare.split() if not _CJK.search(bare) else _cjk_tokens(bare)
        if not tokens:
            continue
        if split_words and n % 2 == 0:
            longest = max(range(len(tokens)), key=lambda i: len(tokens[i]))
            word = tokens[longest]
            if len(word) >= 6 and word.isalpha() and not _CJK.search(word):
                half = len(word) // 2
                tokens[longest:longest + 1] = [word[:half] + "-", word[half:]]
        chunks: list[list[str]] = [[]]
        for tok in tokens:  # a split word's halves go to two captions
            if len(chunks[-1]) >= words:
                chunks.append([])
            chunks[-1].append(tok)
            if tok.endswith("-"):
                chunks.append([])
        chunks = [c for c in chunks if c]
        step = (end - start) / len(chunks)
        for k, chunk in enumerate(chunks):
            t = start + k * step
            joined = _join(chunk)
            if partials and len(chunk) > 1:
                out.append(Event(text=_join(chunk[:-1]), t=round(t, 3), track=track, final=False))
            out.append(Event(text=joined, t=round(t, 3), t_end=round(t + step, 3), track=track))
    return out


def _join(chunk: list[str]) -> str:
    text = ""
    for tok in chunk:
        if text and not (text.endswith("-") or (_CJK.match(text[-1]) and _CJK.match(tok[0]))):
            text += " "
        text += tok
    return text


def _cjk_tokens(text: str) -> list[str]:
    """CJK text in pieces of two characters (Latin words whole), as streaming ASR delivers it."""
    out = []
    for word in text.split():
        if _CJK.search(word):
            out.extend(word[i:i + 2] for i in range(0, len(word), 2))
        else:
            out.append(word)
    return out


def cues_of(path: str) -> list[tuple[float, float, str]]:
    """The cues of an .srt/.vtt file as ``(start, end, text)``."""
    from ..readers import read_bytes

    with open(path, "rb") as fh:
        doc = read_bytes(path, fh.read())
    return [(s.start or 0.0, s.end or (s.start or 0.0), " ".join(s.text.split())) for s in doc.segments]
