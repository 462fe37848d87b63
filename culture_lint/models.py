"""Plain data that flows through the pipeline: documents, segments, findings, reports."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

CATEGORIES: tuple[str, ...] = (
    "health-claim", "weight-loss-claim", "absolute-claim", "ad-disclosure", "personal-data",
    "pricing", "urgency", "giveaway", "green-claim", "restricted-product", "minors", "ip-rights",
    "religious", "cultural-symbol", "politics-sensitive", "holiday", "localization", "interaction",
    "input",
)
SEVERITIES: tuple[str, ...] = ("info", "warning", "error")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


@dataclass
class Segment:
    """One unit of linted text (a cue, a speaker turn, a paragraph).

    ``offsets[i]`` is the offset in the source text of ``text[i]``; ``offsets`` has one
    extra entry (the end offset) so spans map back to ``[start, end)`` in the file.
    """

    text: str
    offsets: list[int]
    index: int = 0
    kind: str = "speech"
    speaker: str | None = None
    start: float | None = None  # seconds from show start, timed formats only
    end: float | None = None

    @classmethod
    def from_source(cls, source: str, start: int, end: int, **kw: Any) -> "Segment":
        return cls(text=source[start:end], offsets=range(start, end + 1), **kw)  # a Sequence: ranges are compact

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map ``[start, end)`` in this segment's text to source offsets."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass
class Document:
    """A decoded file split into segments, with metadata and a line index."""

    path: str
    source: str
    segments: list[Segment]
    format: str = "text"
    metadata: dict[str, Any] = field(default_factory=dict)
    metadata_lines: dict[str, int] = field(default_factory=dict)
    encoding: str = "utf-8"
    timed: bool = False
    diagnostics: list["Finding"] = field(default_factory=list)
    signals: dict[str, dict[str, bool]] = field(default_factory=dict)  # market -> signal -> present
    _line_starts: list[int] | None = field(default=None, repr=False)

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            find = self.source.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._line_starts = starts
        return self._line_starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a source offset; columns count code points."""
        starts = self.line_starts
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    def line_text(self, line: int) -> str:
        starts = self.line_starts
        begin = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.source)
        return self.source[begin:end].rstrip("\r")


@dataclass
class Hit:
    """Where a rule fired: a source span, the segment, the pattern language and the message values.

    A kind (``kinds/*.py``) returns hits; the engine turns each into a Finding, filling the rule's message
    placeholders from ``values`` (the kind declares which names it fills: ``Kind.placeholders``).
    """

    start: int
    end: int
    segment: int | None
    lang: str = "en"
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    """A suggested rewrite; ``edit`` is the exact change (source offsets + text) when it can be applied."""

    replacement: str
    safe: bool = False
    edit: tuple[int, int, str] | None = None
    edit_range: tuple[int, int, int, int] | None = None  # line, column, end_line, end_column

    @property
    def insert(self):
        if self.edit is not None and self.edit[0] == self.edit[1]:
            return self.edit[0], self.edit[2]
        return None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"replacement": self.replacement, "safe": self.safe}
        if self.edit is not None and self.edit_range is not None:
            line, col, end_line, end_col = self.edit_range
            data["fix"] = {"line": line, "column": col, "end_line": end_line, "end_column": end_col,
                           "text": self.edit[2]}
        else:
            data["fix"] = None
        return data


@dataclass
class Finding:
    """One problem found: rule, category, severity, market, message and its place in the file (JSON v1)."""

    rule: str
    category: str
    severity: str
    market: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    text: str | None = None
    timestamp: str | None = None
    suggestions: list[Suggestion] = field(default_factory=list)
    source: str | None = None
    start: int = 0  # source offsets, for fixes and suppression
    end: int = 0
    confidence: float | None = None
    disguised: bool = False
    platform: str | None = None  # the platform pack the rule comes from (--platform), None for market rules

    @property
    def fixable(self) -> bool:
        return any(s.edit is not None for s in self.suggestions)

    def sort_key(self) -> tuple:
        return (self.line, self.column, self.rule, self.market, self.end_line, self.end_column, self.platform or "")

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "market": self.market,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "text": self.text,
            "timestamp": self.timestamp,
            "suggestions": [s.to_dict() for s in self.suggestions],
            "source": self.source,
        }
        if self.platform:  # optional (contract v1): only platform rules' findings carry it
            data["platform"] = self.platform
        return data

    @property
    def where(self) -> str:
        """``us`` or ``us · tiktok-shop``: the market, and the platform for a platform rule's finding."""
        return f"{self.market} · {self.platform}" if self.platform else self.market


@dataclass
class FileReport:
    """One file's findings and culture-fit scores, as the reports print them."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    scores: dict[str, dict[str, Any]] = field(default_factory=dict)
    document: Document | None = None
    skipped: str | None = None  # reason the file was not linted (binary, …)


def format_timestamp(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    millis = int(round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"
