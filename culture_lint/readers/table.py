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


HEADER_SCAN_ROWS = 6  # the header may follow a few template rows (Amazon flat files, TikTok Shop templates)
HEADER_CELL_MAX = 64  # header names are short; a longer cell marks a data row


def _header_row(first_rows: list[list], wanted: list[str] | None) -> int:
    """Index of the header among the first rows: the one naming the most text columns, the earliest on a tie.

    Export templates put instructions or version rows above the real header; a row with a long or multi-line
    cell is data, not a header. With nothing recognised the first row is the header, as in plain CSV.
    """
    best, best_count = 0, 0
    for i, row in enumerate(first_rows):
        names = [cell for cell, _ in row]
        if any(len(n) > HEADER_CELL_MAX or "\n" in n for n in names):
            continue
        count = len(choose_columns(names, wanted))
        if count > best_count:
            best, best_count = i, count
    return best


def _column_diagnostics(doc: Document, header: list[str], header_row: list, wanted: list[str]) -> None:
    """A named column missing from the header: a warning, or an error when none of them is there."""
    from rapidfuzz import process

    from ..i18n import _
    from ..models import Finding

    norms = {_norm_header(h) for h in header}
    missing = [w for w in wanted if _norm_header(w) not in norms
               and not (w.isdigit() and 1 <= int(w) <= len(header))]
    if not missing:
        return
    offs = header_row[0][1] if header_row and len(header_row[0][1]) else [0]
    line, col = doc.position(offs[0])
    end_line, end_col = doc.position(offs[-1])
    if end_line != line:
        end_line, end_col = line, col + 1
    found_any = len(missing) < len(wanted)
    header_names = [h for h in header if h.strip()]

    def hint(name: str) -> str:
        guess = process.extractOne(name, header_names, score_cutoff=60) if header_names else None
        return " (" + _("did you mean '{choice}'?").format(choice=guess[0]) + ")" if guess else ""

    if found_any:
        messages = [(_("column '{name}' is not in the header; its cells are not linted").format(name=name)
                     + hint(name)) for name in missing]
    else:
        messages = [_("none of the columns given with --columns ({wanted}) is in the header, so nothing in this "
                      "file is linted; the header has: {names}").format(
            wanted=", ".join(wanted), names=", ".join(header_names) or "-")
            + "".join(hint(name) for name in missing)]
    for message in messages:
        doc.diagnostics.append(Finding(
            rule="core.input.columns", category="input", severity="warning" if found_any else "error",
            market="", message=message, line=line, column=col, end_line=end_line, end_column=max(end_col, col + 1)))


def read(doc: Document, columns: list[str] | None = None) -> Document:
    for row_no, name, value, offs in cells(doc, columns, diagnose=True):
        key = f"{name}#{row_no}"
        if "<" in value and ">" in value:
            for seg in html_segments(value, offs, speaker=key):
                seg.index = len(doc.segments)
                doc.segments.append(seg)
        else:
            doc.segments.append(Segment(text=value, offsets=offs, index=len(doc.segments), speaker=key))
    return doc


def cells(doc: Document, columns: list[str] | None = None, diagnose: bool = False):
    """The catalog's text cells: (row number, column name, text, source offset of each character and the end),
    for the chosen columns of every data row, empty cells left out. ``diagnose``: report unknown columns."""
    delimiter = "\t" if doc.format == "tsv" else ","
    rows = scan(doc.source, delimiter)
    wanted = columns or doc.metadata.get("columns")
    if isinstance(wanted, str):
        wanted = [c.strip() for c in wanted.split(",") if c.strip()]
    first_rows = []
    for row in rows:
        first_rows.append(row)
        if len(first_rows) == HEADER_SCAN_ROWS:
            break
    if not first_rows:
        return
    at = _header_row(first_rows, wanted)
    header_row = first_rows[at]
    header = [cell for cell, _ in header_row]
    chosen = choose_columns(header, wanted)
    if wanted and diagnose:
        _column_diagnostics(doc, header, header_row, wanted)

    def data_rows():
        yield from first_rows[at + 1:]
        yield from rows

    for row_no, row in enumerate(data_rows(), start=1):
        for col in chosen:
            if col >= len(row):
                continue
            value, offs = row[col]
            if value.strip():
                yield row_no, header[col], value, offs


def norm_header(name: str) -> str:
    """A header name as compared when choosing columns (case, spaces and punctuation folded)."""
    return _norm_header(name)
