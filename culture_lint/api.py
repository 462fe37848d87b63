"""The library API: the same findings the CLI prints, for programs that embed culture-lint."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from .engine import Linter, Options
from .runner.files import collect
from .models import FileReport, Finding
from .packs.registry import Registry
from .readers import read_text
from .runner import lint_paths_reports


def make_linter(markets: Sequence[str], *, select: Iterable[str] = (), ignore: Iterable[str] = (),
                rules_dirs: Iterable[str | Path] = (), metadata: dict | None = None,
                min_severity: str = "info", severity: dict[str, str] | None = None) -> Linter:
    registry = Registry([Path(d) for d in rules_dirs])
    options = Options(select=list(select), ignore=list(ignore), severity=dict(severity or {}),
                      min_severity=min_severity, metadata=dict(metadata or {}))
    return Linter(list(markets), registry, options)


def lint_text(text: str, markets: Sequence[str] = ("us",), *, filename: str = "<text>.txt",
              linter: Linter | None = None, **kwargs) -> list[Finding]:
    """Lint a string as if it were a file called ``filename`` (its extension picks the reader)."""
    linter = linter or make_linter(markets, **kwargs)
    return linter.lint(read_text(filename, text))


def lint_paths(paths: Sequence[str], markets: Sequence[str] = ("us",), *, linter: Linter | None = None,
               include: Sequence[str] | None = None, exclude: Sequence[str] | None = None,
               encoding: str | None = None, **kwargs) -> list[FileReport]:
    """Lint files and directories; one FileReport per file, sorted by path."""
    linter = linter or make_linter(markets, **kwargs)
    return lint_paths_reports(linter, collect(list(paths), include, exclude), encoding)
