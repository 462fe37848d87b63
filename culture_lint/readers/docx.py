"""Word documents (.docx): body paragraphs and table cells, in document order.

A .docx has no text lines, so culture-lint lints a text view of it: one line per paragraph (table cells
are paragraphs too). Findings report ``line`` = paragraph number in that view and ``column`` = character
in the paragraph; ``text`` shows the words so they can be found in Word.
"""

from __future__ import annotations

import io

from ..models import Document
from .base import content_ranges, segment_from_ranges, split_lines


MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # a .docx that unpacks to more is refused (zip bomb)
MAX_MEMBERS = 10_000


class TooLarge(Exception):
    """The archive unpacks to more than the reader accepts."""


def _check_archive(data: bytes) -> None:
    """Refuse zip bombs before python-docx inflates every part into memory."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a zip: python-docx reports it
    if len(members) > MAX_MEMBERS:
        raise TooLarge(f"Word document has too many parts ({len(members)}; limit {MAX_MEMBERS})")
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED_BYTES:
        raise TooLarge(f"Word document unpacks to {total} bytes (limit {MAX_UNPACKED_BYTES})")


def extract(data: bytes) -> str:
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_archive(data)
    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []

    def walk(container) -> None:
        for child in container.iter_inner_content():
            if isinstance(child, Paragraph):
                lines.append(child.text.replace("\n", " ").replace("\r", " "))
            elif isinstance(child, Table):
                for row in child.rows:
                    seen = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:  # merged cells repeat
                            continue
                        seen.add(id(cell._tc))
                        walk(cell)
                lines.append("")

    walk(document)
    return "\n".join(lines)


def read_bytes(path: str, data: bytes) -> Document:
    from .base import new_document

    try:
        text = extract(data)
    except TooLarge as exc:
        from ..models import Finding

        doc = new_document(path, "", "docx", "docx")
        doc.diagnostics.append(Finding(
            rule="core.input.too-large", category="input", severity="error", market="",
            message=str(exc), line=1, column=1, end_line=1, end_column=2))
        return doc
    except Exception as exc:  # not a valid Word file: reported, never a crash
        from ..models import Finding

        doc = new_document(path, "", "docx", "docx")
        doc.diagnostics.append(Finding(
            rule="core.input.undecodable", category="input", severity="error", market="",
            message=f"cannot read Word document: {type(exc).__name__}: {exc}"[:300],
            line=1, column=1, end_line=1, end_column=2))
        return doc
    doc = new_document(path, text, "docx", "docx")
    for start, end in split_lines(text):
        seg = segment_from_ranges(text, content_ranges(text, start, end), index=len(doc.segments))
        if seg is not None:
            doc.segments.append(seg)
    return doc
