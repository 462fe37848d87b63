"""Fixes: edits from rule suggestions and insertions, applied safely and written atomically."""

from __future__ import annotations

import codecs
import difflib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .i18n import _
from .models import Document, Finding

MAX_PASSES = 10
# Characters that carry structure in a format: a span containing them is not rewritten automatically.
STRUCTURE_CHARS = {
    "markdown": set("*_[]()<>`#|\\"), "html": set("<>&;\"'"), "csv": set('"\n\r'), "tsv": set('"\t\n\r'),
    "yaml": set('"\\\n\r:#{}[]'), "json": set('"\\\n\r{}[]'), "srt": set("<>{}\n\r"), "vtt": set("<>{}\n\r"),
    "text": set("\n\r"), "docx": set(),
}
UNSAFE_REPLACEMENT_CHARS = {
    "markdown": set("*_[]`<>#|"), "html": set("<>&"), "csv": set('"\n\r'), "tsv": set('"\t\n\r'),
    "yaml": set('"\\\n\r#:'), "json": set('"\\\n\r'), "srt": set("\n\r<>"), "vtt": set("\n\r<>"),
    "text": set("\r"),
}
_NONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Edit:
    """One replacement of the text between two offsets, with the finding it fixes."""

    start: int
    end: int
    text: str
    safe: bool
    rule: str


def match_case(replacement: str, original: str) -> str:
    """Keep the case of what is replaced: SLIMMING → upper, Slimming → capitalised."""
    letters = [c for c in original if c.isalpha()]
    if not letters or not replacement:
        return replacement
    if all(c.isupper() for c in letters) and len(letters) > 1:
        return replacement.upper()
    if letters[0].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def fixable(doc: Document, start: int, end: int, replacement: str) -> bool:
    """A replacement fix applies only when the span holds plain text of the format and so does the fix."""
    if end <= start or doc.format == "docx":
        return False
    if not STRUCTURE_CHARS.get(doc.format, _NONE).isdisjoint(doc.source[start:end]):
        return False
    return UNSAFE_REPLACEMENT_CHARS.get(doc.format, _NONE).isdisjoint(replacement)


def edits_for(doc: Document, findings: list[Finding], unsafe: bool, choices: dict | None = None) -> list[Edit]:
    """One edit per fixable finding: its first applicable suggestion (or the writer's choice)."""
    edits: list[Edit] = []
    seen: set[tuple[int, int]] = set()
    for f in findings:
        if f.category == "input":
            continue
        chosen = None
        if choices is not None:  # interactive: only what the writer picked
            chosen = choices.get((f.rule, f.start))
            if chosen is None:
                continue
        for s in f.suggestions if chosen is None else [chosen]:
            if not (s.safe or unsafe or chosen is not None):
                continue
            if s.edit is None:
                continue
            start, end, text = s.edit
            if (start, end) in seen or doc.source[start:end] == text:
                break
            seen.add((start, end))
            edits.append(Edit(start, end, text, s.safe, f.rule))
            break
    return edits


def apply_edits(source: str, edits: list[Edit]) -> tuple[str, list[Edit]]:
    """Apply non-overlapping edits; of overlapping ones the earliest (then the longest) wins."""
    chosen: list[Edit] = []
    last_end = -1
    for e in sorted(edits, key=lambda e: (e.start, -(e.end - e.start), e.rule, e.text)):
        if e.start < last_end or (chosen and e.start == e.end == chosen[-1].start == chosen[-1].end):
            continue
        chosen.append(e)
        last_end = max(last_end, e.end)
    out = []
    pos = 0
    for e in chosen:
        out.append(source[pos:e.start])
        out.append(e.text)
        pos = e.end
    out.append(source[pos:])
    return "".join(out), chosen


@dataclass
class Snapshot:
    """What a file was when it was read, to refuse writing over a file changed since."""

    size: int
    mtime_ns: int
    digest: str

    @classmethod
    def of(cls, path: str, data: bytes) -> "Snapshot":
        st = os.stat(path)
        return cls(st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest())

    def unchanged(self, path: str) -> bool:
        try:
            if os.stat(path).st_size != self.size:  # cheap, and no reading a file that grew huge meanwhile
                return False
            data = Path(path).read_bytes()
        except OSError:
            return False
        return hashlib.sha256(data).hexdigest() == self.digest


_BOM_CODECS = (
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def encode_like(text: str, original: bytes, encoding: str) -> bytes:
    """Encode ``text`` the way the original file was: same codec, same byte-order mark."""
    for bom, codec in _BOM_CODECS:
        if original.startswith(bom):
            return bom + text.encode(codec)
    codec = "utf-8" if encoding in ("utf-8-sig",) else encoding
    return text.encode(codec)


def unified_diff(path: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=path, tofile=path)
    out = []
    for line in lines:
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def newline_of(source: str) -> str:
    return "\r\n" if "\r\n" in source else "\n"


def describe_conflict(path: str) -> str:
    return _("{path} changed on disk since it was read; not overwritten").format(path=path)


def insertion_point(doc: Document, at: str, trigger_start: int | None) -> int | None:
    """Where an insertion fix goes: the start of the content, or the start of the trigger's line."""
    if doc.format in ("docx", "yaml", "json", "csv", "tsv", "html"):
        return None
    if at == "trigger" and trigger_start is not None:
        line, _col = doc.position(trigger_start)
        return doc.line_starts[line - 1]
    if not doc.segments:
        return None
    first = doc.segments[0]
    line, _col = doc.position(first.offsets[0])
    return doc.line_starts[line - 1] if doc.format not in ("srt", "vtt") else first.offsets[0]


def build_suggestions(doc: Document, rule, hit, texts: list[tuple[str, bool]], insert: str | None):
    """Suggestions with their exact edits, for a finding of ``rule`` at ``hit``."""
    from .models import Suggestion

    out = []
    span = doc.source[hit.start:hit.end]
    for text, safe in texts:
        edit = None
        if rule.kind != "require" and fixable(doc, hit.start, hit.end, text):
            edit = (hit.start, hit.end, match_case(text, span))
        out.append(_with_range(doc, Suggestion(text, safe, edit)))
    if insert:
        at = insertion_point(doc, (rule.fix or {}).get("at", "start"),
                             hit.start if hit.segment is not None else None)
        if at is not None and _insertable(doc.format, insert):
            nl = newline_of(doc.source)
            out.append(_with_range(doc, Suggestion(insert, bool((rule.fix or {}).get("safe", False)),
                                                   (at, at, insert + nl))))
        else:
            out.append(Suggestion(insert, False, None))
    return out


def _insertable(fmt: str, text: str) -> bool:
    """An inserted line must not turn into markup of the format (a heading, a list item, a tag)."""
    blocked = UNSAFE_REPLACEMENT_CHARS.get(fmt, set()) - {"\n", "#"}
    if fmt == "markdown" and text[:2] in ("# ", "- ", "* ", "+ ", "> "):
        return False
    return not any(ch in blocked for ch in text)


def _with_range(doc: Document, s):
    if s.edit is None:
        return s
    line, col = doc.position(s.edit[0])
    end_line, end_col = doc.position(s.edit[1])
    return type(s)(s.replacement, s.safe, s.edit, (line, col, end_line, end_col))
