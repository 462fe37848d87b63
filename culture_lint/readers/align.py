"""Map a parsed string value back onto the raw source it came from (quotes, escapes, folding)."""

from __future__ import annotations

from ..models import Segment

LOOKAHEAD = 16


def align(value: str, source: str, start: int, end: int) -> list[int]:
    """Source offset for each character of ``value``, searching ``source[start:end]`` in order.

    Characters that do not appear literally (escape sequences, folded line breaks) take the position of
    the next literal character, so spans stay inside the raw text.
    """
    offsets: list[int] = []
    pos = start
    for ch in value:
        found = source.find(ch, pos, min(end, pos + LOOKAHEAD)) if pos < end else -1
        if found == -1 and ch == " ":
            found = next((i for i in range(pos, min(end, pos + LOOKAHEAD)) if source[i] in " \n\t\r"), -1)
        if found == -1:
            offsets.append(min(pos, max(start, end - 1)))
            continue
        offsets.append(found)
        pos = found + 1
    offsets.append(max(pos, offsets[-1] + 1 if offsets else start))
    return offsets


def aligned_segment(value: str, source: str, raw_start: int, raw_end: int, **kw) -> Segment | None:
    if not value or not value.strip():
        return None
    return Segment(text=value, offsets=align(value, source, raw_start, raw_end), **kw)
