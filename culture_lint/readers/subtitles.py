"""SubRip (.srt) and WebVTT (.vtt) subtitles: one segment per cue, carrying the cue's start time."""

from __future__ import annotations

import re

from ..models import Document
from .base import content_ranges, segment_from_ranges, split_lines, strip_ranges

_TIME = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{2})[,.](\d{1,3})"
TIMING_RE = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_TAGS = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}|<\d[\d:.,]*>")
_VOICE = re.compile(r"^<v(?:\.[\w.-]+)?\s+([^>]+)>")


def _seconds(h: str | None, m: str, s: str, ms: str) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(ms.ljust(3, "0")) / 1000


def read(doc: Document) -> Document:
    doc.timed = True
    source = doc.source
    lines = split_lines(source)
    i = 0
    n = len(lines)
    while i < n:
        s, e = lines[i]
        text = source[s:e]
        m = TIMING_RE.match(text)
        if not m:
            if doc.format == "vtt" and text.strip().startswith(("NOTE", "STYLE", "REGION")):
                while i < n and source[lines[i][0]:lines[i][1]].strip():
                    i += 1
            i += 1
            continue
        start = _seconds(*m.group(1, 2, 3, 4))
        end = _seconds(*m.group(5, 6, 7, 8))
        i += 1
        ranges = []
        speaker = None
        while i < n and source[lines[i][0]:lines[i][1]].strip():
            ls, le = lines[i]
            line = source[ls:le]
            if TIMING_RE.match(line):
                break
            voice = _VOICE.match(line)
            if voice:
                speaker = voice.group(1).strip()
            for a, b in content_ranges(source, ls, le):
                ranges.extend(strip_ranges(source, a, b, _TAGS))
            i += 1
        seg = segment_from_ranges(source, ranges, index=len(doc.segments), start=start, end=end,
                                  speaker=speaker)
        if seg is not None:
            doc.segments.append(seg)
    return doc
