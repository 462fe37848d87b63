"""Readers turn a file's bytes into a Document of segments; one module per format."""

from __future__ import annotations

from functools import partial
from pathlib import PurePath
from typing import Callable

from ..models import Document, Finding
from . import docx, html, markdown, structured, subtitles, table, text
from .damage import find_damage
from .base import Undecodable, decode, looks_binary, new_document

READERS: dict[str, tuple[str, Callable[[Document], Document]]] = {
    ".txt": ("text", text.read),
    ".text": ("text", text.read),
    ".md": ("markdown", markdown.read),
    ".markdown": ("markdown", markdown.read),
    ".srt": ("srt", subtitles.read),
    ".vtt": ("vtt", subtitles.read),
    ".yaml": ("yaml", structured.read),
    ".yml": ("yaml", structured.read),
    ".json": ("json", structured.read),
    ".csv": ("csv", table.read),
    ".tsv": ("tsv", table.read),
    ".html": ("html", html.read),
    ".htm": ("html", html.read),
}
KNOWN_EXTENSIONS = tuple(READERS)


class BinaryFile(Exception):
    """The file is binary; it is skipped with a message."""


def read_bytes(path: str, data: bytes, encoding: str | None = None,
               columns: list[str] | None = None) -> Document:
    """Decode and parse. Undecodable text becomes a ``core.input.undecodable`` diagnostic.

    ``columns``: the text columns of a catalog (.csv/.tsv), by name or 1-based index; None: chosen from the header.
    """
    suffix = PurePath(path).suffix.lower()
    if suffix == ".docx":
        return docx.read_bytes(path, data)
    fmt, reader = READERS.get(suffix, ("text", text.read))
    if not encoding and looks_binary(data):
        raise BinaryFile(path)
    try:
        source, used = decode(data, encoding)
    except Undecodable as exc:
        doc = new_document(path, "", fmt, encoding or "unknown")
        doc.diagnostics.append(Finding(
            rule="core.input.undecodable", category="input", severity="error", market="",
            message=exc.reason, line=exc.line, column=exc.column, end_line=exc.line,
            end_column=exc.column + 1))
        return doc
    return read_text(path, source, used, fmt=fmt, reader=reader, columns=columns)


def read_text(path: str, source: str, encoding: str = "utf-8", fmt: str | None = None,
              reader: Callable[[Document], Document] | None = None,
              columns: list[str] | None = None) -> Document:
    if fmt is None or reader is None:
        fmt, reader = READERS.get(PurePath(path).suffix.lower(), ("text", text.read))
    if columns and reader is table.read:
        reader = partial(table.read, columns=list(columns))
    if source.startswith("\ufeff"):
        source = source[1:]
    doc = new_document(path, source, fmt, encoding)
    doc = reader(doc)
    find_damage(doc)
    return doc
