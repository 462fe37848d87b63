"""`culture-lint check`: settings from config + flags, lint, report, exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import CultureLintError
from ..i18n import _
from ..models import SEVERITY_RANK

def settings(p: dict) -> Settings:
    """Settings from a mapping of flags (the language server and live mode build them this way)."""
    from ..report import FORMATS

    return Settings.resolve(p, FORMATS)


def make_options(s: Settings):
    """The engine's options from merged settings (`check`, `score`, `fix`, the language server, live mode)."""
    return s.options()


def exit_code(reports, fail_on: str, fail_under: float | None) -> int:
    if fail_on != "never":
        floor = SEVERITY_RANK[fail_on]
        if any(SEVERITY_RANK[f.severity] >= floor for r in reports for f in r.findings):
            return 1
    if fail_under is not None:
        if any(s["score"] < fail_under for r in reports for s in r.scores.values()):
            return 1
    return 0


def run(s: Settings) -> int:
    """`check` and `score`: lint the paths, render the report, return the exit code."""
    from ..packs.registry import Registry
    from ..report import Run, render
    from ..runner import lint_many

    registry = Registry(s.rules_dirs)
    for m in s.markets:
        registry.resolve_market(m)  # unknown market: exit 2 before reading anything
    for name in s.platforms:
        registry.resolve_platform(name)  # unknown platform: the same
    options = s.options()
    options.lazy_documents = True
    if not s.flag("no_cache"):
        from ..cache import results_dir

        options.cache_dir = str(results_dir(s.config.path))
    files = select_files(s)
    reports, markets, rules = lint_many(registry, s.markets, options, files, encoding=s.encoding,
                                        stdin_filename=s.flag("stdin_filename"), jobs=s.flag("jobs", 1))
    scores = bool(s.flag("scores") or s.fail_under is not None)
    details = {}
    if scores or s.format == "html":
        from ..runner import add_scores

        details = add_scores(reports, registry, markets)
    out = render(s.format, Run(reports, markets, rules, color=_color(s), explain=s.flag("explain", False),
                               show_scores=scores, score_details=details))
    if s.flag("quiet") and s.format == "text":
        out = "\n".join(line for line in out.splitlines() if ":" in line.split(" ")[0]) + "\n"
    write_report(s.output, out)
    return exit_code(reports, s.fail_on, s.fail_under)


def select_files(s: Settings) -> list[str]:
    """The files to lint: the paths walked with include/exclude, or those changed since a git ref."""
    from ..runner.files import changed_paths, collect

    if s.flag("changed_since"):
        return changed_paths(s.flag("changed_since"), s.paths, s.include, s.exclude)
    return collect(s.paths, s.include, s.exclude)


def write_report(output, out: str) -> None:
    """The report to ``output`` (atomically, honouring the umask) or to standard output."""
    if output:
        from ..util.fsutil import atomic_write

        try:
            atomic_write(output, out.encode("utf-8"))
        except OSError as exc:  # disk full, read-only folder: a clear exit 2, the old report left as it was
            raise CultureLintError(_("{path}: cannot write ({reason}); the file is unchanged").format(
                path=output, reason=exc.strerror or exc)) from None
    else:
        sys.stdout.write(out)
        sys.stdout.flush()


def _color(s: Settings) -> bool:
    import os

    if s.output or "NO_COLOR" in os.environ:
        return False
    return sys.stdout.isatty()
