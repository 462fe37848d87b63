"""Word documents (.docx): body paragraphs and table cells, in document order.

A .docx has no text lines, so culture-lint lints a text view of it: one line per paragraph (table cells
are paragraphs too). Findings report ``line`` = paragraph number in that view and ``column`` = character
in the paragraph; ``text`` shows the words so they can be found in Word.
"""

from __future__ import annotations

import io

from ..models import Document
from .base import content_ranges, segment_from_ranges, split_lines


def extract(data: bytes) -> str:
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

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
