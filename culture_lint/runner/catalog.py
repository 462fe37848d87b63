"""A catalog (CSV/TSV) is records: ``check`` lints each row as its own document, exactly as ``batch`` does.

Each row's text cells become one record document (:func:`culture_lint.batch.records.record_document`), so
document-scope and script-level rules (an opening hook, repeated stock lines) see one listing, never the
whole file read as one script. Findings are mapped back to the file's own lines and columns.
"""

from __future__ import annotations

import bisect
from dataclasses import replace
from itertools import groupby

from ..models import Document, Finding

CATALOG_FORMATS = ("csv", "tsv")
ROW_DIAGNOSTICS = ("core.input.garbled",)  # found again in each row's record: not reported twice


def is_catalog(doc: Document) -> bool:
    """Whether ``doc`` was read as a catalog table (its rows are records)."""
    return doc.format in CATALOG_FORMATS and not any(f.rule == "core.input.undecodable" for f in doc.diagnostics)


def lint_catalog(linter, doc: Document) -> list[Finding]:
    """Findings of every row of the catalog ``doc``, positioned in the file; signals merged for its score."""
    from ..batch.records import record_document
    from ..readers.table import cells
    from ..select import any_matches

    if linter.options.metadata:
        doc.metadata.update(linter.options.metadata)
    findings = _file_diagnostics(linter, doc, any_matches)
    for _row, group in groupby(cells(doc, linter.options.columns or None), key=lambda c: c[0]):
        row = list(group)
        record = record_document([(name, value) for _, name, value, _ in row])
        record.doc.metadata.update(doc.metadata)
        offsets = [offs for *_, offs in row]
        for f in linter.lint(record.doc):
            findings.append(_to_file(doc, record, offsets, f))
        for market, signals in record.doc.signals.items():
            merged = doc.signals.setdefault(market, {})
            for name, present in signals.items():
                merged[name] = merged.get(name, False) or present
    findings = linter.suppressed(doc, findings)  # `# culture-lint: disable…` lines of the file itself
    findings.sort(key=Finding.sort_key)
    return findings


def _file_diagnostics(linter, doc: Document, any_matches) -> list[Finding]:
    """The reader's findings about the file itself (columns, decoding), once per market."""
    from ..models import SEVERITY_RANK

    floor = SEVERITY_RANK.get(linter.options.min_severity, 0)
    out = []
    for diag in doc.diagnostics:
        if diag.rule in ROW_DIAGNOSTICS or SEVERITY_RANK[diag.severity] < floor:
            continue
        if linter.options.ignore and any_matches(linter.options.ignore, diag.rule, diag.category):
            continue
        out.extend(replace(diag, market=m) for m in linter.markets)
    return out


def _source_offset(record, offsets: list[list[int]], offset: int) -> int:
    """The file offset of a record-document offset (clamped into the cell it falls in)."""
    idx = max(0, bisect.bisect_right(record.starts, offset) - 1)
    offs = offsets[idx]
    rel = min(max(offset - record.starts[idx], 0), len(offs) - 1)
    return offs[rel]


def _to_file(doc: Document, record, offsets: list[list[int]], f: Finding) -> Finding:
    if not record.starts:
        return f
    start = _source_offset(record, offsets, f.start)
    end = max(_source_offset(record, offsets, f.end), start)
    line, col = doc.position(start)
    end_line, end_col = doc.position(end)
    suggestions = [_moved(doc, record, offsets, s) for s in f.suggestions]
    return replace(f, line=line, column=col, end_line=end_line, end_column=end_col, start=start, end=end,
                   suggestions=suggestions)


def _moved(doc: Document, record, offsets: list[list[int]], s):
    """A suggestion with its edit and edit range in file coordinates."""
    if s.edit is not None:
        a, b = (_source_offset(record, offsets, x) for x in s.edit[:2])
        s = replace(s, edit=(a, max(a, b), s.edit[2]))
    if s.edit_range:
        a = _source_offset(record, offsets, _offset(record.doc, s.edit_range[0], s.edit_range[1]))
        b = _source_offset(record, offsets, _offset(record.doc, s.edit_range[2], s.edit_range[3]))
        s = replace(s, edit_range=(*doc.position(a), *doc.position(max(a, b))))
    return s


def _offset(rdoc: Document, line: int, column: int) -> int:
    starts = rdoc.line_starts
    return starts[min(max(line, 1), len(starts)) - 1] + max(column, 1) - 1
