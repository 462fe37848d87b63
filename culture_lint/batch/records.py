"""Lint catalog records (table rows): one Document per row, one segment per text column.

This is the single-process core of ``culture-lint batch`` and of :mod:`culture_lint.dask`; it imports
neither Dask nor pandas at module level, so it is also the reference the batch tests compare against.

A row's cells are joined into one document (so document-scope rules see the whole listing) and every
finding is mapped back to the cell it came from: ``text_column`` names the column, and ``line``/``column``
are 1-based positions inside that cell, exactly as they would be if the cell were a file of its own.

Workers build their linter from a :class:`LinterSpec`: a small, hashable, picklable description of the
run (markets, extra rule folders, selection, severities, metadata, interface language). The compiled
linter is cached per process (:func:`get_linter`), so packs are loaded and compiled once per worker
process, not once per row or per partition.
"""

from __future__ import annotations

import bisect
import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..models import Document, Finding, Segment

SEPARATOR = "\n\n"  # between cells: a paragraph break, so no phrase spans two columns
RECORD_FORMAT = "csv"  # rows are catalog copy: rules written for `formats: [csv]` apply to them too
KEY_WORDS = ("id", "sku", "handle")

FINDING_COLUMNS = ("key", "text_column", "rule", "category", "severity", "market", "message", "line", "column",
                   "end_line", "end_column", "text", "timestamp", "suggestions", "source")
SCORE_COLUMNS = ("key", "market", "score", "band", "compliance", "taboo", "language", "calendar", "embedding",
                 "interaction", "words", "errors", "warnings", "infos")
INT_FINDING_COLUMNS = ("line", "column", "end_line", "end_column")
INT_SCORE_COLUMNS = ("words", "errors", "warnings", "infos")
FLOAT_SCORE_COLUMNS = ("score", "compliance", "taboo", "language", "calendar", "embedding", "interaction")


# --------------------------------------------------------------------------------------------------------
# The linter spec and the per-process cache


@dataclass(frozen=True)
class LinterSpec:
    """Everything needed to rebuild the same linter in another process; cheap to pickle and hashable."""

    markets: tuple[str, ...]
    rules_dirs: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    min_severity: str = "info"
    metadata: str = "{}"  # JSON, sorted keys: dicts are not hashable
    lang: str = "en"
    platforms: tuple[str, ...] = ()  # platform packs on top of the markets' (--platform)
    columns: tuple[str, ...] = ()  # catalog text columns of scripts that are tables (--columns)
    max_file_size: int | None = None  # scripts larger than this get core.input.too-large (None: the default)

    @classmethod
    def create(cls, markets: Sequence[str] | str, *, rules_dirs: Iterable[str | Path] = (),
               select: Iterable[str] = (), ignore: Iterable[str] = (), severity: Mapping[str, str] | None = None,
               min_severity: str = "info", metadata: Mapping[str, Any] | None = None,
               lang: str | None = None, platforms: Iterable[str] = (), columns: Iterable[str] = (),
               max_file_size: int | None = None) -> "LinterSpec":
        from ..i18n import current_lang
        from ..select import split_codes

        if isinstance(markets, str):
            markets = split_codes([markets])
        return cls(
            markets=tuple(markets),
            rules_dirs=tuple(str(Path(d).resolve()) for d in rules_dirs),
            select=tuple(select), ignore=tuple(ignore),
            severity=tuple(sorted((str(k), str(v)) for k, v in (severity or {}).items())),
            min_severity=min_severity,
            metadata=json.dumps(dict(metadata or {}), sort_keys=True, default=str),
            lang=lang or current_lang(),
            platforms=tuple(platforms), columns=tuple(str(c) for c in columns), max_file_size=max_file_size,
        )

    def build(self):
        """Load and compile the packs (slow: use :func:`get_linter` for the cached one)."""
        from ..engine import Linter, Options
        from ..packs.registry import Registry

        options = Options(select=list(self.select), ignore=list(self.ignore), severity=dict(self.severity),
                          min_severity=self.min_severity, metadata=json.loads(self.metadata),
                          platforms=list(self.platforms), columns=list(self.columns),
                          max_file_size=self.max_file_size)
        return Linter(list(self.markets), Registry([Path(d) for d in self.rules_dirs]), options)


_LINTERS: dict[LinterSpec, Any] = {}
BUILDS = {"count": 0}  # how many linters this process has compiled (the tests check it stays at one)


def get_linter(spec: LinterSpec):
    """The compiled linter for ``spec``, built once per process and reused for every row and partition."""
    from ..i18n import current_lang, set_lang

    if current_lang() != spec.lang:
        set_lang(spec.lang)  # rule messages are picked in the interface language of the client
    linter = _LINTERS.get(spec)
    if linter is None:
        linter = _LINTERS[spec] = spec.build()
        BUILDS["count"] += 1
    return linter


def rules_fingerprint(linter) -> str:
    """A short hash of the compiled rules: workers must run exactly the rules the client has."""
    import hashlib

    from .. import __version__

    h = hashlib.sha1(__version__.encode())
    for rule, sev in zip(linter.rules, linter.severity):
        h.update(f"{rule.id}|{sev}|{len(rule.patterns)}|{len(rule.exceptions)}\n".encode())
    h.update(",".join(linter.markets).encode())
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------------------------------------
# Choosing columns


def choose_text_columns(header: Sequence[str], wanted: Sequence[str] | None = None) -> list[str]:
    """Text columns as the CSV reader picks them: by header words, or the names/1-based indexes ``wanted``."""
    from ..readers.table import choose_columns

    header = [str(h) for h in header]
    return [header[i] for i in choose_columns(header, list(wanted) if wanted else None)]


def choose_key_column(header: Sequence[str]) -> str | None:
    """The first id/sku/handle column (``id``, ``product_id``, ``Variant SKU``, ``Handle``), or None."""
    from ..readers.table import norm_header

    for name in header:
        if any(w in KEY_WORDS for w in norm_header(str(name)).split()):
            return str(name)
    return None


def cell_text(value: Any) -> str | None:
    """A cell as text: None for missing values, list-like cells (tags) one item per line."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
        items = [cell_text(v) for v in value]
        return "\n".join(i for i in items if i)
    try:
        import pandas as pd  # only present when pandas is (batch extra)

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    return str(value)


# --------------------------------------------------------------------------------------------------------
# One record


@dataclass
class Record:
    """A row as a document: ``cells`` (column name, text) and where each cell starts in ``doc.source``."""

    key: str
    doc: Document
    columns: list[str]
    starts: list[int]
    texts: list[str]
    findings: list[tuple[str | None, Finding]] = field(default_factory=list)  # (column, cell-relative finding)


def record_document(cells: Sequence[tuple[str, str | None]], key: str = "") -> Record:
    """Build one Document from a row's text cells (empty cells are left out)."""
    from ..readers.base import new_document
    from ..readers.damage import find_damage
    from ..readers.html import html_segments

    columns, starts, texts, parts = [], [], [], []
    pos = 0
    for column, text in cells:
        if text is None or not text.strip():
            continue
        if text.startswith("\ufeff"):
            text = text[1:]
        if parts:
            parts.append(SEPARATOR)
            pos += len(SEPARATOR)
        columns.append(column)
        starts.append(pos)
        texts.append(text)
        parts.append(text)
        pos += len(text)
    doc = new_document(f"<row {key}>", "".join(parts), RECORD_FORMAT, "utf-8")
    for column, start, text in zip(columns, starts, texts):
        offs = list(range(start, start + len(text) + 1))
        if "<" in text and ">" in text:  # HTML in a cell: visible text only, as the CSV reader does
            segments = html_segments(text, offs, speaker=column)
        else:
            segments = [Segment(text=text, offsets=offs, speaker=column)]
        for seg in segments:
            seg.index = len(doc.segments)
            doc.segments.append(seg)
    find_damage(doc)
    return Record(key=key, doc=doc, columns=columns, starts=starts, texts=texts)


def _cell_position(record: Record, line: int, column: int) -> tuple[int, int, int]:
    """(cell index, line, column) inside the cell of a 1-based document position."""
    doc = record.doc
    if not record.starts:
        return 0, line, column
    starts = doc.line_starts
    offset = starts[min(max(line, 1), len(starts)) - 1] + max(column, 1) - 1
    idx = max(0, bisect.bisect_right(record.starts, offset) - 1)
    text = record.texts[idx]
    rel = min(max(offset - record.starts[idx], 0), len(text))
    before = text.rfind("\n", 0, rel)
    return idx, text.count("\n", 0, rel) + 1, rel - (before + 1) + 1


def to_cell(record: Record, f: Finding) -> tuple[str | None, Finding]:
    """The finding with positions inside its cell, and that cell's column name."""
    if not record.starts:
        return None, f
    idx, line, col = _cell_position(record, f.line, f.column)
    end_idx, end_line, end_col = _cell_position(record, f.end_line, f.end_column)
    if end_idx != idx:  # cannot end in another cell: clamp to the end of this one
        text = record.texts[idx]
        end_line = text.count("\n") + 1
        end_col = len(text) - (text.rfind("\n") + 1) + 1
    suggestions = f.suggestions
    if any(s.edit_range for s in suggestions):
        moved = []
        for s in suggestions:
            if s.edit_range:
                _, l1, c1 = _cell_position(record, s.edit_range[0], s.edit_range[1])
                _, l2, c2 = _cell_position(record, s.edit_range[2], s.edit_range[3])
                s = replace(s, edit_range=(l1, c1, l2, c2))
            moved.append(s)
        suggestions = moved
    base = record.starts[idx]
    return record.columns[idx], replace(f, line=line, column=col, end_line=end_line, end_column=end_col,
                                        start=max(f.start - base, 0), end=max(f.end - base, 0),
                                        suggestions=suggestions)


def lint_record(linter, cells: Sequence[tuple[str, str | None]], key: str = "") -> Record:
    """Lint one row; ``record.findings`` holds (column, finding) with cell-relative positions."""
    record = record_document(cells, key)
    findings = linter.lint(record.doc)
    record.findings = [to_cell(record, f) for f in findings]
    col_order = {c: i for i, c in enumerate(record.columns)}
    record.findings.sort(key=lambda cf: (col_order.get(cf[0], -1), cf[1].sort_key()))
    return record


def score_record(linter, record: Record) -> dict[str, Any]:
    """{market: Score} for a linted record (scores use the findings, which carry their market)."""
    from ..score import compute

    findings = [f for _, f in record.findings]
    out = {}
    for market in linter.markets:
        pack = linter.registry.pack(market)
        out[market] = compute(record.doc, findings, market, pack.languages, record.doc.signals.get(market, {}))
    return out


def finding_row(key: str, column: str | None, f: Finding) -> dict[str, Any]:
    """A findings-table row: the contract's fields plus ``key`` and ``text_column``."""
    d = f.to_dict()
    d["suggestions"] = json.dumps(d["suggestions"], ensure_ascii=False)
    return {"key": key, "text_column": column, **d}


def score_rows(key: str, record: Record, scores: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for market, score in scores.items():
        counts = {"error": 0, "warning": 0, "info": 0}
        for _, f in record.findings:
            if f.market == market:
                counts[f.severity] = counts.get(f.severity, 0) + 1
        rows.append({"key": key, "market": market, "score": float(score.score), "band": score.band,
                     **{k: float(v) for k, v in score.subscores.items()},
                     "words": int(score.words) if record.doc.segments else 0,
                     "errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"]})
    return rows


def lint_rows(linter, rows: Iterable[tuple[str, Sequence[tuple[str, str | None]]]], scores: bool = True):
    """Lint ``(key, cells)`` rows; returns (finding rows, score rows) as lists of dicts."""
    findings: list[dict[str, Any]] = []
    score_out: list[dict[str, Any]] = []
    for key, cells in rows:
        record = lint_record(linter, cells, key)
        findings.extend(finding_row(key, c, f) for c, f in record.findings)
        if scores:
            score_out.extend(score_rows(key, record, score_record(linter, record)))
    return findings, score_out


# --------------------------------------------------------------------------------------------------------
# pandas frames (the partition function of the Dask API and of `culture-lint batch`)


def frame_rows(df, text_columns: Sequence[str], key: str | None = None):
    """(key, cells) for each row of a pandas DataFrame; without ``key`` the index is the key."""
    cols = list(text_columns)
    values = [df[c].tolist() for c in cols]
    keys = df[key].tolist() if key else df.index.tolist()
    index = df.index.tolist()
    for i in range(len(df)):
        k = cell_text(keys[i])
        if k is None:
            k = str(index[i])
        yield k, [(c, cell_text(values[j][i])) for j, c in enumerate(cols)]


def empty_findings():
    import pandas as pd

    return typed_frame(pd.DataFrame({c: [] for c in FINDING_COLUMNS}), INT_FINDING_COLUMNS, ())


def empty_scores():
    import pandas as pd

    return typed_frame(pd.DataFrame({c: [] for c in SCORE_COLUMNS}), INT_SCORE_COLUMNS, FLOAT_SCORE_COLUMNS)


def typed_frame(df, ints: Sequence[str], floats: Sequence[str]):
    """``df`` with the given int and float columns, every other column pyarrow strings (the tables' schema)."""
    import pandas as pd

    dtypes = {}
    for c in df.columns:
        dtypes[c] = "int64" if c in ints else "float64" if c in floats else pd.StringDtype("pyarrow")
    return df.astype(dtypes)


def lint_frame(df, spec: LinterSpec, text_columns: Sequence[str], key: str | None = None,
               scores: bool = True):
    """Lint a pandas DataFrame: (findings frame, scores frame), typed as :func:`empty_findings` says."""
    import pandas as pd

    linter = get_linter(spec)
    f_rows, s_rows = lint_rows(linter, frame_rows(df, text_columns, key), scores)
    findings = (typed_frame(pd.DataFrame(f_rows, columns=list(FINDING_COLUMNS)), INT_FINDING_COLUMNS, ())
                if f_rows else empty_findings())
    score_df = (typed_frame(pd.DataFrame(s_rows, columns=list(SCORE_COLUMNS)), INT_SCORE_COLUMNS, FLOAT_SCORE_COLUMNS)
                if s_rows else empty_scores())
    return findings, score_df
