"""Markdown: front matter, headings, paragraphs and list items; code blocks and HTML comments skipped."""

from __future__ import annotations

import re

from ..models import Document
from .base import content_ranges, parse_front_matter, segment_from_ranges, split_lines, strip_ranges

# Inline markup removed before matching (positions of the remaining characters are kept).
_INLINE = re.compile(
    r"<!--.*?-->|</?[A-Za-z][^>\n]*>"           # HTML comments and tags
    r"|!?\[|\]\([^)\n]*\)|\]"                    # link/image brackets and targets
    r"|(?<![\w*])\*{1,3}(?=\S)|(?<=\S)\*{1,3}(?![\w*])"  # emphasis stars
    r"|(?<!\w)_{1,3}(?=\S)|(?<=\S)_{1,3}(?!\w)"   # emphasis underscores
    r"|~~|`+"                                     # strikethrough, code ticks
    r"|^\s{0,3}#{1,6}\s+|\s+#+\s*$"              # ATX heading marks
    r"|^\s*(?:>\s*)+"                            # blockquote marks
    r"|^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?",  # list markers and task boxes
    re.M,
)


def read(doc: Document) -> Document:
    from markdown_it import MarkdownIt

    source = doc.source
    content_start = parse_front_matter(source, doc)
    lines = split_lines(source)
    first_line = 0
    while first_line < len(lines) and lines[first_line][0] < content_start:
        first_line += 1
    body = "\n".join(source[s:e] for s, e in lines[first_line:])
    tokens = MarkdownIt("commonmark").enable("table").parse(body)

    skip: set[int] = set()
    blocks: list[tuple[int, int, str]] = []
    for tok in tokens:
        if tok.map is None:
            continue
        begin, stop = tok.map[0] + first_line, tok.map[1] + first_line
        if tok.type in ("fence", "code_block", "html_block"):
            skip.update(range(begin, stop))
        elif tok.type in ("paragraph_open", "heading_open", "th_open", "td_open", "tr_open"):
            kind = "heading" if tok.type == "heading_open" else "speech"
            blocks.append((begin, stop, kind))
    seen: set[int] = set()
    for begin, stop, kind in blocks:
        ranges = []
        for ln in range(begin, min(stop, len(lines))):
            if ln in skip or ln in seen:
                continue
            seen.add(ln)
            s, e = lines[ln]
            for a, b in content_ranges(source, s, e):
                ranges.extend(strip_ranges(source, a, b, _INLINE))
        seg = segment_from_ranges(source, ranges, index=len(doc.segments), kind=kind)
        if seg is not None:
            doc.segments.append(seg)
    return doc
