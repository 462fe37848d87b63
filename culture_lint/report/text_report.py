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
            head.append(f"[{f.where}] ", style="dim")
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
                _print_score(console, run, report.path, market, score)
    counts = run.summary()
    if counts["errors"] + counts["warnings"] + counts["infos"] == 0:
        console.print(Text(_("No problems found in {files} file(s) for {markets}.").format(
            files=counts["files"], markets=", ".join(run.markets)), style="green"))
    else:
        console.print(Text(_("Found {errors} error(s), {warnings} warning(s), {infos} info(s) in {files} file(s) "
                             "for {markets}.").format(markets=", ".join(run.markets), **counts), style="bold"))
    return buf.getvalue()


BAND_STYLES = {"good": "bold green", "review": "bold yellow", "fail": "bold red"}
BAND_NAMES = {"good": "good", "review": "review", "fail": "fail"}


def _print_score(console, run, path: str, market: str, score: dict) -> None:
    from rich.text import Text

    bands = {"good": _("good"), "review": _("review"), "fail": _("fail")}
    names = {"compliance": _("compliance"), "taboo": _("taboo"), "language": _("language"),
             "calendar": _("calendar"), "embedding": _("embedding"), "interaction": _("interaction")}
    line = Text(f"{path} [{market}] ", style="bold")
    line.append(f"{_('culture-fit score')}: {score['score']:.1f} ", style=BAND_STYLES[score["band"]])
    line.append(f"({bands[score['band']]})", style=BAND_STYLES[score["band"]])
    console.print(line)
    subs = score.get("subscores", {})
    console.print(Text("      " + "  ".join(f"{names.get(k, k)} {v:.0f}" for k, v in subs.items()), style="dim"))
    detail = run.score_details.get((path, market))
    if run.explain and detail is not None:
        console.print(Text("      " + _("{words} words; penalty points per 100 words lower a sub-score as "
                                      "100·e^(−density/8)").format(words=detail.words), style="dim"))
        for c in detail.contributions:
            if c.what.startswith("signal:"):
                console.print(Text(f"      {names.get(c.subscore, c.subscore)}: {c.what[7:]} = {c.points} ({c.detail})"))
            else:
                console.print(Text(f"      {names.get(c.subscore, c.subscore)}: −{c.points:.1f} {_('points')} "
                                   f"{c.what} ({c.detail})"))


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _width() -> int:
    try:
        return os.get_terminal_size().columns
    except OSError:
        return 120
