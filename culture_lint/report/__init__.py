"""Reporters: one module per output format, each ``render(run) -> str``."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

from ..models import FileReport

FORMATS = ("text", "json", "sarif", "github", "html", "junit", "gitlab", "concise")


@dataclass
class Run:
    """What a reporter needs: the reports, the markets and the rules that produced findings."""

    reports: list[FileReport]
    markets: list[str]
    rules: dict = field(default_factory=dict)  # rule id -> Rule, for SARIF metadata
    color: bool | None = None
    show_scores: bool = False
    explain: bool = False
    score_details: dict = field(default_factory=dict)  # (path, market) -> score.Score

    def summary(self) -> dict[str, int]:
        counts = {"files": len(self.reports), "errors": 0, "warnings": 0, "infos": 0}
        for r in self.reports:
            for f in r.findings:
                counts[{"error": "errors", "warning": "warnings"}.get(f.severity, "infos")] += 1
        return counts


def render(fmt: str, run: Run) -> str:
    module = import_module(f"{__name__}.{fmt}_report")
    return module.render(run)
