"""Product catalogs (.csv/.tsv): text columns chosen from the header, positions kept per cell.

The standard ``csv`` module does not report where a cell starts, so this scanner follows RFC 4180
(quoted cells, doubled quotes, line breaks inside quotes) and keeps every cell's source offsets.
"""

from __future__ import annotations

import re

from ..models import Document, Segment
from .html import html_segments

# Header names (lower-cased, punctuation folded to spaces) that hold copy worth linting.
TEXT_COLUMN_WORDS = (
    "title", "name", "description", "desc", "body", "html", "bullet", "feature", "highlight", "copy",
    "caption", "subtitle", "summary", "details", "selling point", "keywords", "tags", "seo", "text",
    "标题", "描述", "详情", "卖点", "文案", "名称", "商品名",
)
EXCLUDE_WORDS = ("id", "sku", "url", "image", "src", "handle", "price", "barcode", "gtin", "weight",
                 "qty", "quantity", "inventory", "status", "vendor type")


def scan(text: str, delimiter: str):
    """Yield rows as lists of (value, raw_start, raw_end, value_offsets)."""
    n = len(text)
    pos = 0
    row: list[tuple[str, list[int]]] = []
    while pos <= n:
        if pos < n and text[pos] == '"':
            chars: list[str] = []
            offs: list[int] = []
            i = pos + 1
            while i < n:
                ch = text[i]
                if ch == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        chars.append('"')
                        offs.append(i)
                        i += 2
                        continue
                    i += 1
                    break
                chars.append(ch)
                offs.append(i)
                i += 1
            offs.append(i - 1)
            # anything after the closing quote up to the delimiter belongs to the cell too
            j = i
            while j < n and text[j] not in (delimiter, "\n", "\r"):
                chars.append(text[j])
                offs.insert(len(offs) - 1, j)
                j += 1
            row.append(("".join(chars), offs))
            pos = j
        else:
            j = pos
            while j < n and text[j] not in (delimiter, "\n", "\r"):
                j += 1
            row.append((text[pos:j], range(pos, j + 1)))  # a range: a million cells must not cost gigabytes
            pos = j
        if pos >= n:
            yield row
            return
        ch = text[pos]
        if ch == delimiter:
            pos += 1
            if pos == n:
                row.append(("", [n]))
                yield row
                return
            continue
        if ch == "\r" and pos + 1 < n and text[pos + 1] == "\n":
            pos += 1
        pos += 1
        yield row
        row = []
        if pos == n:
            return


def _norm_header(name: str) -> str:
    return re.sub(r"[\W_]+", " ", name.lower()).strip()


def choose_columns(header: list[str], wanted: list[str] | None = None) -> list[int]:
    if wanted:
        wanted_norm = {_norm_header(w) for w in wanted}
        return [i for i, h in enumerate(header) if _norm_header(h) in wanted_norm or str(i + 1) in wanted]
    out = []
    for i, h in enumerate(header):
        norm = _norm_header(h)
        words = norm.split()
        if any(w in words for w in EXCLUDE_WORDS) and not any(t in norm for t in ("title", "description", "body")):
            continue
        if any(t in norm for t in TEXT_COLUMN_WORDS):
            out.append(i)
    return out


def read(doc: Document, columns: list[str] | None = None) -> Document:
    delimiter = "\t" if doc.format == "tsv" else ","
    rows = scan(doc.source, delimiter)
    header_row = next(rows, None)
    if not header_row:
        return doc
    header = [cell for cell, _ in header_row]
    wanted = columns or doc.metadata.get("columns")
    if isinstance(wanted, str):
        wanted = [c.strip() for c in wanted.split(",")]
    chosen = choose_columns(header, wanted)
    for row_no, row in enumerate(rows, start=1):
        for col in chosen:
            if col >= len(row):
                continue
            value, offs = row[col]
            if not value.strip():
                continue
            key = f"{header[col]}#{row_no}"
            if "<" in value and ">" in value:
                for seg in html_segments(value, offs, speaker=key):
                    seg.index = len(doc.segments)
                    doc.segments.append(seg)
            else:
                doc.segments.append(Segment(text=value, offsets=offs, index=len(doc.segments), speaker=key))
    return doc
