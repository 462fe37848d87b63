"""Sentence assembly: caption fragments (no punctuation, partial results, words split over captions) into units
that can be linted, each remembering the caption times of its characters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .events import Event

SENTENCE_END = re.compile(r"[.!?。！？…]+[\"'”’」』)）]*$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
SECONDS_PER_WORD = 0.4  # a caption without an end time lasts this long per word (speech is ~2.5 words/s)


@dataclass
class Piece:
    """The characters ``[start, end)`` of a sentence that one caption carried, and that caption's times."""

    start: int  # character offsets in the unit's text
    end: int
    t: float
    t_end: float


@dataclass
class Unit:
    """An assembled sentence of one track."""

    track: str
    text: str
    pieces: list[Piece]
    lang: str | None = None
    seq: int = 0  # per session, in order of completion

    @property
    def start(self) -> float:
        return self.pieces[0].t

    @property
    def end(self) -> float:
        return max(p.t_end for p in self.pieces)

    def span(self, start: int, end: int) -> tuple[float, float]:
        """Caption times of the characters ``[start, end)``: from the first caption they touch to the last."""
        touched = [p for p in self.pieces if p.start < max(end, start + 1) and p.end > start]
        if not touched:
            return self.start, self.end
        return touched[0].t, max(p.t_end for p in touched)


def _duration(text: str) -> float:
    words = len(text.split()) + len(_CJK.findall(text)) // 2
    return max(0.5, words * SECONDS_PER_WORD)


def _joiner(left: str, right: str) -> tuple[str, str]:
    """How two fragments join: (left text as kept, separator)."""
    if not left:
        return left, ""
    if left.endswith("-") and len(left) > 1 and left[-2].isalnum() and right[:1].isalnum():
        return left[:-1], ""  # a word split over two captions: "gor-" + "geous"
    if _CJK.match(left[-1]) and _CJK.match(right[:1] or " "):
        return left, ""
    return left, " "


@dataclass
class _Buffer:
    """A track's sentence being assembled."""

    text: str = ""
    pieces: list[Piece] = field(default_factory=list)
    lang: str | None = None
    last_end: float = 0.0

    def words(self) -> int:
        return len(self.text.split()) + len(_CJK.findall(self.text)) // 2


class Assembler:
    """One buffer per track. ``add`` returns the units a final fragment completes; ``flush`` ends a track's
    sentence (a pause on the live clock, the end of input)."""

    def __init__(self, pause: float = 1.0, max_words: int = 40):
        self.pause = pause
        self.max_words = max_words
        self.buffers: dict[str, _Buffer] = {}
        self.partials: dict[str, str] = {}  # the latest partial result per track (for the dashboard)
        self.seq = 0

    def add(self, event: Event) -> list[Unit]:
        if not event.final:
            self.partials[event.track] = event.text
            return []
        self.partials.pop(event.track, None)
        text = event.text.strip()
        if not text or event.t is None:
            return []
        out: list[Unit] = []
        buf = self.buffers.setdefault(event.track, _Buffer())
        if buf.pieces and (event.t - buf.last_end >= self.pause or (event.lang and buf.lang and event.lang != buf.lang)):
            out.extend(self.flush(event.track))
            buf = self.buffers.setdefault(event.track, _Buffer())
        t_end = event.t_end if event.t_end is not None and event.t_end >= event.t else event.t + _duration(text)
        left, sep = _joiner(buf.text, text)
        if len(left) < len(buf.text):  # the split word's hyphen was dropped
            last = buf.pieces[-1]
            buf.pieces[-1] = Piece(last.start, last.end - 1, last.t, last.t_end)
        start = len(left) + len(sep)
        buf.text = left + sep + text
        buf.pieces.append(Piece(start, len(buf.text), event.t, t_end))
        buf.lang = buf.lang or event.lang
        buf.last_end = t_end
        if SENTENCE_END.search(text) or buf.words() >= self.max_words:
            out.extend(self.flush(event.track))
        return out

    def flush(self, track: str | None = None) -> list[Unit]:
        tracks = [track] if track is not None else sorted(self.buffers)
        out = []
        for tr in tracks:
            buf = self.buffers.pop(tr, None)
            if buf is None or not buf.pieces:
                continue
            self.seq += 1
            out.append(Unit(tr, buf.text, buf.pieces, buf.lang, self.seq))
        return out

    def idle(self, track: str) -> float | None:
        """Show time of the end of the track's pending sentence, None when nothing is pending."""
        buf = self.buffers.get(track)
        return buf.last_end if buf and buf.pieces else None


def srt_time(seconds: float) -> str:
    from ..models import format_timestamp

    return format_timestamp(seconds).replace(".", ",")


def transcript_srt(units) -> tuple[str, dict[int, Unit]]:
    """Sentences as SubRip text, and which unit each cue's text line holds (1-based line)."""
    parts: list[str] = []
    lines: dict[int, Unit] = {}
    line = 1
    for n, unit in enumerate(units, 1):
        parts.append(f"{n}\n{srt_time(unit.start)} --> {srt_time(unit.end)}\n{unit.text}\n")
        lines[line + 2] = unit
        line += 4
    return "\n".join(parts), lines
