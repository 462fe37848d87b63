"""Plain-text scripts: front matter, speaker labels (``HOST:``), ``[stage directions]``, paragraphs."""

from __future__ import annotations

import re

from ..models import Document
from .base import content_ranges, parse_front_matter, segment_from_ranges, split_lines

# A speaker label is a short name whose every word starts with a capital or digit (HOST, Guest 2, Dr. Lee):
# "Slimming tea: only $5" is speech, not a label, and must still be linted.
SPEAKER_RE = re.compile(
    r"^\s*(?P<name>[A-Z][A-Za-z0-9._'-]{0,15}(?: [A-Z0-9][A-Za-z0-9._'-]{0,15}){0,2}"
    r"|[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]{1,6}"
    r"(?:\s?[A-Za-z0-9]{1,3})?)\s*[:：]\s+|^\s*(?P<name2>[\u4e00-\u9fff]{1,6})[:：]")
STAGE_RE = re.compile(r"^\s*[\[［【(（].*[\]］】)）]\s*$")


def read_lines(doc: Document, start_offset: int = 0) -> None:
    """Split ``doc.source`` from ``start_offset`` into segments: paragraphs, broken at speaker turns."""
    source = doc.source
    current: list[tuple[int, int]] = []
    speaker: str | None = None
    kind = "speech"

    def flush() -> None:
        nonlocal current
        seg = segment_from_ranges(source, current, index=len(doc.segments), kind=kind, speaker=speaker)
        if seg is not None:
            doc.segments.append(seg)
        current = []

    for start, end in split_lines(source):
        if end < start_offset or start < start_offset:
            continue
        pieces = content_ranges(source, start, end)
        if not pieces:  # blank, or nothing but a suppression comment
            flush()
            continue
        start, end = pieces[0][0], pieces[-1][1]
        line = source[start:end]
        if STAGE_RE.match(line):
            flush()
            kind, speaker = "stage", None
            current = list(pieces)
            flush()
            kind = "speech"
            continue
        m = SPEAKER_RE.match(line)
        if m:
            flush()
            speaker = (m.group("name") or m.group("name2")).strip()
            kind = "speech"
            current = list(pieces)  # the label stays in the text: "Slimming tea:" is copy, not a name
            continue
        current.extend(pieces)
    flush()


def read(doc: Document) -> Document:
    content_start = parse_front_matter(doc.source, doc)
    read_lines(doc, content_start)
    return doc
