"""Shared reader helpers: decoding, front matter, directive lines, segments built from source ranges."""

from __future__ import annotations

import codecs
import re
from typing import Any, Iterable

from ..models import Document, Segment

DIRECTIVE_RE = re.compile(r"culture-lint:\s*(disable-next-line|disable-file|disable|enable)\b")
METADATA_KEYS = ("market", "date", "start", "timezone", "lang", "platform", "sponsored", "ai_host",
                 "product_category", "title", "brand")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


class Undecodable(Exception):
    """Raised by a reader when the bytes cannot be decoded; carries the reason and where."""

    def __init__(self, reason: str, line: int = 1, column: int = 1):
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    return b"\x00" in head


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode bytes: explicit encoding, BOM, UTF-8, then charset detection. Returns (text, encoding)."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise Undecodable(f"unknown encoding '{encoding}'") from None
        except UnicodeDecodeError as exc:
            raise _position_error(data, exc, encoding) from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            plain = {"utf-8-sig": "utf-8"}.get(name, name)
            if name in ("utf-16", "utf-32"):
                plain = f"{name}-le" if bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF32_LE) else f"{name}-be"
            try:
                return body.decode(plain), name
            except UnicodeDecodeError as exc:
                raise _position_error(body, exc, plain) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    from charset_normalizer import from_bytes

    results = [r for r in from_bytes(data) if r.encoding]
    if results:
        # Short texts leave the detector undecided between CJK code pages; among the near-best
        # candidates prefer those our writers use (GB18030 > Big5 > Shift_JIS > EUC-KR).
        best_chaos = min(r.chaos for r in results)
        close = [r for r in results if r.chaos <= best_chaos + 0.1]
        close.sort(key=lambda r: (_PREFERRED.get(r.encoding.replace("-", "_").lower(), 99), r.chaos))
        for r in close:
            try:
                return data.decode(r.encoding), r.encoding
            except (UnicodeDecodeError, LookupError):
                continue
    raise _position_error(data, utf8_error, "utf-8")


_PREFERRED = {"gb18030": 0, "gbk": 1, "gb2312": 1, "big5": 2, "big5hkscs": 3, "cp950": 3, "cp932": 4,
              "shift_jis": 4, "euc_jp": 5, "cp949": 6, "euc_kr": 6, "cp1252": 7, "latin_1": 8, "iso8859_1": 8}


def _position_error(data: bytes, exc: UnicodeDecodeError, encoding: str) -> Undecodable:
    good = data[: exc.start].decode(encoding, errors="replace")
    line = good.count("\n") + 1
    column = len(good) - (good.rfind("\n") + 1) + 1
    return Undecodable(f"not valid {encoding} (byte 0x{data[exc.start]:02x} at offset {exc.start})", line, column)


def split_lines(source: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without the line ending."""
    out = []
    pos = 0
    n = len(source)
    while pos <= n:
        nl = source.find("\n", pos)
        end = n if nl == -1 else nl
        stop = end - 1 if end > pos and source[end - 1] == "\r" else end
        out.append((pos, stop))
        if nl == -1:
            break
        pos = nl + 1
    return out


def segment_from_ranges(source: str, ranges: Iterable[tuple[int, int]], **kw: Any) -> Segment | None:
    """Join source ranges into one segment (with newlines between); None when it has no text."""
    chars: list[str] = []
    offsets: list[int] = []
    last_end = None
    contiguous = True
    for start, end in ranges:
        if end <= start:
            continue
        if last_end is not None and start != last_end:
            contiguous = False
        if last_end is not None and "\n" in source[last_end:start]:
            chars.append("\n")  # keep line breaks between lines; markup removed inside a line leaves no gap
            offsets.append(last_end)
        chars.append(source[start:end])
        offsets.extend(range(start, end))
        last_end = end
    if last_end is None:
        return None
    text = "".join(chars)
    if not text.strip():
        return None
    offsets.append(last_end)
    if contiguous:  # one run of source text: a range costs 48 bytes, a list 36 bytes a character
        return Segment(text=text, offsets=range(offsets[0], last_end + 1), **kw)
    return Segment(text=text, offsets=offsets, **kw)


def strip_ranges(source: str, start: int, end: int, pattern: re.Pattern) -> list[tuple[int, int]]:
    """Ranges of ``source[start:end]`` left after removing the spans matched by ``pattern``."""
    out = []
    pos = start
    for m in pattern.finditer(source, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = max(pos, m.end())
    if pos < end:
        out.append((pos, end))
    return out


def parse_front_matter(source: str, doc: Document) -> int:
    """Read a leading ``---`` YAML block into ``doc.metadata``; returns the offset where content starts."""
    if not (source.startswith("---\n") or source.startswith("---\r\n")):
        return 0
    lines = split_lines(source)
    for i, (start, end) in enumerate(lines[1:], start=1):
        if source[start:end].strip() in ("---", "..."):
            block = source[lines[1][0]:start] if i > 1 else ""
            apply_metadata(doc, block, first_line=2)
            return lines[i + 1][0] if i + 1 < len(lines) else len(source)
    return 0


def span_end(doc: Document, line: int, column: int) -> int:
    """End column of a one-character diagnostic at (line, column), kept inside the line (empty at its end)."""
    return max(column, min(column + 1, len(doc.line_text(line)) + 1))


def apply_metadata(doc: Document, block: str, first_line: int) -> None:
    from ..models import Finding
    from ..yamlio import LocDict, load_yaml

    try:
        data = load_yaml(block, doc.path) if block.strip() else {}
    except Exception as exc:  # malformed front matter is reported, the rest is still linted
        line = first_line + (getattr(exc, "line", None) or 1) - 1
        line = min(max(line, 1), len(doc.line_starts))
        column = min(getattr(exc, "column", None) or 1, len(doc.line_text(line)) + 1)
        doc.diagnostics.append(Finding(
            rule="core.input.front-matter", category="input", severity="warning", market="",
            message=f"front matter is not valid YAML: {getattr(exc, 'message', exc)}",
            line=line, column=column, end_line=line, end_column=span_end(doc, line, column)))
        return
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        doc.metadata[str(key)] = value
        if isinstance(data, LocDict) and key in data.key_locs:
            doc.metadata_lines[str(key)] = data.key_locs[key][0] + first_line - 1


# A directive with the comment markup around it: `# …`, `// …`, `<!-- … -->`, `[ … ]`, `{ … }`.
DIRECTIVE_COMMENT = re.compile(
    r"(?:<!--[ \t]*|\[[ \t]*|\{[ \t]*|//[ \t]*|#+[ \t]*|;[ \t]*)?"
    r"culture-lint:[ \t]*(?:disable-next-line|disable-file|disable|enable)\b"
    r"(?:[^\n]*?-->|[^\]\n]*\]|[^}\n]*\}|[^\n]*)")


def is_directive_line(text: str) -> bool:
    return "culture-lint:" in text and DIRECTIVE_RE.search(text) is not None


def content_ranges(source: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of a line that are text, not a suppression comment (text beside a directive is linted)."""
    line = source[start:end]
    if "culture-lint:" not in line:
        return [(start, end)] if line.strip() else []
    ranges = strip_ranges(source, start, end, DIRECTIVE_COMMENT)
    return [(a, b) for a, b in ranges if source[a:b].strip()]


def new_document(path: str, source: str, fmt: str, encoding: str) -> Document:
    return Document(path=path, source=source, segments=[], format=fmt, encoding=encoding)
