"""Human output: file:line:col, severity, rule, message, the source line with the span underlined."""

from __future__ import annotations

import io
import os

from ..i18n import _

STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _label(severity: str) -> str:
    return {"error": _("error"), "warning": _("warning"), "info": _("info")}[severity]


def render(run) -> str:
    from rich.console import Console
    from rich.markup import escape
    from rich.text import Text

    buf = io.StringIO()
    color = run.color
    if color is None:
        color = False
    console = Console(file=buf, force_terminal=color, no_color=not color or "NO_COLOR" in os.environ,
                      width=max(60, min(160, _width())), highlight=False, soft_wrap=True)
    for report in run.reports:
        if report.skipped:
            console.print(Text(f"{report.path}: {report.skipped}", style="dim"))
        doc = report.document
        for f in report.findings:
            head = Text()
            head.append(f"{report.path}:{f.line}:{f.column}: ", style="bold")
            head.append(_label(f.severity), style=STYLES[f.severity])
            head.append(f" {f.rule} ", style="magenta")
            head.append(f"[{f.market}] ", style="dim")
            if f.timestamp:
                head.append(f"@{f.timestamp} ", style="dim")
            head.append(f.message)
            console.print(head)
            if doc is not None and doc.source and f.line <= len(doc.line_starts):
                src = doc.line_text(f.line).expandtabs(1)
                gutter = f"{f.line:>5} | "
                console.print(Text(gutter, style="dim") + Text(src))
                width = (f.end_column - f.column) if f.end_line == f.line else max(1, len(src) - f.column + 1)
                under = " " * (_cells(src[: f.column - 1])) + "^" * max(1, _cells(src[f.column - 1: f.column - 1 + width]))
                console.print(Text(" " * 6 + "| ", style="dim") + Text(under, style=STYLES[f.severity]))
            for s in f.suggestions:
                tag = _("safe fix") if s.safe else _("suggestion")
                console.print(Text(f"      = {tag}: ", style="green") + Text(s.replacement))
            if run.explain and f.source:
                console.print(Text(f"      = {_('source')}: {f.source}", style="dim"))
        if run.show_scores and report.scores:
            for market, score in report.scores.items():
                console.print(escape(f"{report.path} [{market}] {_('score')}: {score['score']} ({score['band']})"))
    counts = run.summary()
    if counts["errors"] + counts["warnings"] + counts["infos"] == 0:
        console.print(Text(_("No problems found in {files} file(s) for {markets}.").format(
            files=counts["files"], markets=", ".join(run.markets)), style="green"))
    else:
        console.print(Text(_("Found {errors} error(s), {warnings} warning(s), {infos} info(s) in {files} file(s) "
                             "for {markets}.").format(markets=", ".join(run.markets), **counts), style="bold"))
    return buf.getvalue()


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _width() -> int:
    try:
        return os.get_terminal_size().columns
    except OSError:
        return 120
