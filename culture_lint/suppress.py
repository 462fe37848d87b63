"""Inline suppression comments: disable-next-line, disable … enable, disable-file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .models import Document, Finding
from .select import code_matches

_DIRECTIVE = re.compile(
    r"culture-lint:[ \t]*(?P<kind>disable-next-line|disable-file|disable|enable)\b"
    r"(?P<codes>[ \t]+[A-Za-z0-9*][A-Za-z0-9.,* \t-]*)?")


@dataclass
class Directive:
    """One suppression comment: its kind (disable, enable, next line, file), rules and where it stands."""

    kind: str
    codes: list[str]
    line: int
    column: int
    end_column: int
    lines: set[int] | None = None  # lines it covers; None = whole file
    used: set[str] = field(default_factory=set)


def _codes(raw: str | None) -> list[str]:
    if not raw:
        return ["all"]
    codes = [c.strip().strip("-").lower() for c in re.split(r"[,\s]+", raw) if c.strip().strip("-")]
    return codes or ["all"]


def parse(doc: Document) -> list[Directive]:
    if "culture-lint:" not in doc.source:
        return []
    content_lines = _content_lines(doc)
    last_line = len(doc.line_starts)
    directives: list[Directive] = []
    open_ranges: dict[str, Directive] = {}
    for m in _DIRECTIVE.finditer(doc.source):
        line, col = doc.position(m.start())
        _, end_col = doc.position(m.end())
        d = Directive(m.group("kind"), _codes(m.group("codes")), line, col, end_col)
        if d.kind == "disable-file":
            d.lines = None
            directives.append(d)
        elif d.kind == "disable-next-line":
            nxt = next((ln for ln in content_lines if ln > line), None)
            d.lines = {nxt} if nxt else set()
            directives.append(d)
        elif d.kind == "disable":
            d.lines = set(range(line + 1, last_line + 1))
            directives.append(d)
            for code in d.codes:
                open_ranges[code] = d
        else:  # enable: close the matching open ranges
            for code in d.codes:
                targets = [open_ranges.pop(code)] if code in open_ranges else (
                    [open_ranges.pop(c) for c in list(open_ranges)] if code == "all" else [])
                for opened in targets:
                    opened.lines = {ln for ln in (opened.lines or set()) if ln < line}
    return directives


def _content_lines(doc: Document) -> list[int]:
    lines: set[int] = set()
    for seg in doc.segments:
        lines.add(doc.position(seg.offsets[0])[0])
        for i, ch in enumerate(seg.text):
            if ch == "\n" and i + 1 < len(seg.text):
                lines.add(doc.position(seg.offsets[i + 1])[0])
    return sorted(lines)


def apply(findings: list[Finding], directives: list[Directive]) -> list[Finding]:
    """Drop suppressed findings; mark which directive codes were used."""
    if not directives:
        return findings
    kept = []
    for f in findings:
        suppressed = False
        for d in directives:
            if d.lines is not None and f.line not in d.lines:
                continue
            for code in d.codes:
                if code_matches(code, f.rule, f.category):
                    d.used.add(code)
                    suppressed = True
        if not suppressed:
            kept.append(f)
    return kept
